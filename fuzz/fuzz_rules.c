/* fuzz_rules.c - libFuzzer target for the rules loader.
 *
 * The bytes are a rules file.  rules_load must refuse it with a
 * positioned diagnostic or accept it; an accepted rule set is then walked
 * through every accessor and used for a run over a small fixed LEDES
 * invoice and a CSV export, so parameters the validator lets through
 * (zero increments, huge caps, odd dates) reach the checks. */
#include "fuzz_common.h"

static const char ledes_invoice[] =
    "LEDES1998B[]\n"
    "INVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_TOTAL|"
    "BILLING_START_DATE|BILLING_END_DATE|INVOICE_DESCRIPTION|"
    "LINE_ITEM_NUMBER|EXP/FEE/INV_ADJ_TYPE|LINE_ITEM_NUMBER_OF_UNITS|"
    "LINE_ITEM_ADJUSTMENT_AMOUNT|LINE_ITEM_TOTAL|LINE_ITEM_DATE|"
    "LINE_ITEM_TASK_CODE|LINE_ITEM_EXPENSE_CODE|LINE_ITEM_ACTIVITY_CODE|"
    "TIMEKEEPER_ID|LINE_ITEM_DESCRIPTION|LAW_FIRM_ID|LINE_ITEM_UNIT_COST|"
    "TIMEKEEPER_NAME|TIMEKEEPER_CLASSIFICATION|CLIENT_MATTER_ID[]\n"
    "20260405|96542|00711|0528|9999.45|20260101|20260131|Services|1|F|"
    "12.25|-70|4217.50|20260110|L510||A102|22547|Research; draft brief; "
    "call client|24-6437381|350|Arnsley, Robert|PARTNR|423-987[]\n"
    "20260405|96542|00711|0528|9999.45|20260101|20260131|Services|2|F|"
    "2.00|0|700|20260110|L510||A105|45875|Internal conference with "
    "team|24-6437381|350|Beaster, John|AS|423-987[]\n"
    "20260405|96542|00711|0528|9999.45|20260101|20260131|Services|3|E|1|0|"
    "289.5|20260111||E110|||Out of town travel|24-6437381|289.5|||"
    "423-987[]\n"
    "20260405|96542|00711|0528|9999.45|20260101|20260131|Services|4|E|"
    "500|0|50|20260103||E101|||Copies|24-6437381|0.10|||423-987[]\n"
    "20260405|96542|00711|0528|9999.45|20260101|20260131|Services|5|F|"
    "2.00|0|700|20260110|L510||A102|22547|Research; draft brief; call "
    "client|24-6437381|350|Arnsley, Robert|PARTNR|423-987[]\n"
    "20260405|96543|00711|1326|-1250|20260101|20260131|Credit|6|IF|1|"
    "-1250.|-1250|20260131|||||Credit note|24-6437381||||425-936[]\n";

static const char csv_invoice[] =
    "Invoice,Invoice Date,Matter,Firm ID,Date,Timekeeper,Class,Hours,Rate,"
    "Amount,Task Code,Activity Code,Expense Code,Type,Description,PO\n"
    "10457,04/02/2026,C-3310,55-1234567,03/07/2026,1007,Partner,11.0,780.00,"
    "8580.00,L120,A106,,Fee,Telephone conference,PO-1\n"
    "10457,04/02/2026,C-3310,55-1234567,03/07/2026,1042,Associate,0.25,"
    "450.00,112.50,L110,A104,,Fee,\"Review lease; draft memo\",PO-1\n";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_devnull = fopen("/dev/null", "w");
	if (fuzz_devnull == NULL)
		abort();
	return 0;
}

static void
walk(const rule_set *rs)
{
	const struct rule *r;
	size_t n, i, j;
	struct input_opts opts;

	FUZZ_ASSERT(rules_name(rs) != NULL);
	FUZZ_ASSERT(strlen(rules_sha256(rs)) == 64);
	(void)rules_currency(rs);
	r = rules_list(rs, &n);
	for (i = 0; i < n; i++) {
		FUZZ_ASSERT(r[i].id != NULL && r[i].check != NULL);
		FUZZ_ASSERT(r[i].severity <= SEV_ERROR);
		FUZZ_ASSERT(r[i].reduction >= 0 &&
		    r[i].reduction <= INT64_C(10000));
	}
	for (i = 0; i < rules_nfirms(rs); i++) {
		const struct firm *f = rules_firm_at(rs, i);

		FUZZ_ASSERT(f != NULL && f->id != NULL);
		FUZZ_ASSERT(rules_firm(rs, f->id, strlen(f->id)) != NULL);
		for (j = 0; j < f->ntks; j++) {
			FUZZ_ASSERT(firm_timekeeper(f, f->tks[j].id,
			    strlen(f->tks[j].id)) != NULL);
			(void)timekeeper_rate_on(&f->tks[j], 20000);
		}
		for (j = 0; j < f->nmatters; j++)
			FUZZ_ASSERT(firm_matter(f, f->matters[j].id,
			    strlen(f->matters[j].id)) != NULL);
		(void)rules_for_firm(rs, f->id, strlen(f->id));
	}
	(void)rules_rate_cap(rs, "PARTNR");
	memset(&opts, 0, sizeof(opts));
	opts.date_form = DATE_AUTO;
	rules_input_opts(rs, &opts);
	memset(&opts, 0, sizeof(opts));
	opts.date_form = DATE_AUTO;
	fuzz_engine_run(rs, ledes_invoice, sizeof(ledes_invoice) - 1, &opts, 0,
	    1);
	fuzz_engine_run(rs, csv_invoice, sizeof(csv_invoice) - 1, &opts, 0, 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rule_set *rs = (rule_set *)1;
	struct diag d;
	int rc;

	memset(&d, 0, sizeof(d));
	rc = rules_load(&rs, "fuzz.yaml", (const char *)data, size, NULL, &d);
	if (rc < 0) {
		FUZZ_ASSERT(rs == NULL);
		/* Every refusal names the file and says why in one line. */
		FUZZ_ASSERT(d.pos.file != NULL);
		FUZZ_ASSERT(d.msg[0] != '\0');
		FUZZ_ASSERT(strnlen(d.msg, sizeof(d.msg)) < sizeof(d.msg));
		FUZZ_ASSERT(strchr(d.msg, '\n') == NULL);
		return 0;
	}
	FUZZ_ASSERT(rc == 0 && rs != NULL);
	walk(rs);
	rules_free(rs);
	return 0;
}
