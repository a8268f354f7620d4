#!/usr/bin/env bash
# history-bench.sh - issue 7: one month checked against a history of at
# least a million recorded lines (--history).
#
# Builds bench/gen, generates LEDES 1998B invoices month after month (six
# firms, ~300 matters billed monthly, ~33,000 lines a month), splits them
# into one file per invoice month, and records the months one run at a
# time into a fresh history until it holds HIST_LINES lines.  Then it times
# the next month, in the page cache, with the same rules:
#   - without --history (what a run costs today),
#   - with --history --no-record (the pre-scan and every history lookup),
#   - with --history (the lookups and the recording transaction; each run
#     on a fresh copy of the history, the copy not timed).
# The rules are the built-in defaults with the generated firms and their
# matters listed (a budget and a PO each), so that every check that reads
# history runs: duplicate_invoice, duplicate, budget, purchase_order,
# rate_change and daily_hours.
#
# It prints a Markdown section on stdout (progress goes to stderr), so that
# bench/run.sh can append it to RESULTS.md:
#     bash bench/history-bench.sh >> "$RESULTS"
#
# Environment:
#   BENCH_DIR   scratch directory (default /tmp/billcheck-bench); this uses
#               BENCH_DIR/history (data and the history are reused when the
#               generator, binary and HIST_LINES are unchanged)
#   HIST_LINES  lines to record before the measured month (default 1000000)
#   BENCH_RUNS  timed runs of each command (default 3; the median is shown)
#   BILLCHECK   the binary to measure (default ./billcheck)
#   CC          compiler for the generator (default cc)
# Needs sqlite3 (the command-line shell) for the database figures.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root"

BENCH_DIR=${BENCH_DIR:-/tmp/billcheck-bench}
HIST_LINES=${HIST_LINES:-1000000}
RUNS=${BENCH_RUNS:-3}
CC=${CC:-cc}
BILLCHECK=${BILLCHECK:-$root/billcheck}
SEED=20260401
work=$BENCH_DIR/history
months=$work/months
export SOURCE_DATE_EPOCH=1775001600

log() { printf 'history-bench: %s\n' "$*" >&2; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

mkdir -p "$work"
[ -x "$BILLCHECK" ] || { log "no billcheck at $BILLCHECK (run make)"; exit 2; }
command -v sqlite3 >/dev/null || { log "needs sqlite3"; exit 2; }
[ -x /usr/bin/time ] || { log "needs /usr/bin/time (GNU time)"; exit 2; }
bin=$work/billcheck
cp "$BILLCHECK" "$bin"

# ---- data -------------------------------------------------------------
"$CC" -std=c11 -O2 -o "$work/gen" "$here/gen.c"
# About 345 bytes a line: enough months for the history, the measured
# month, and a partial last month that is dropped.
mb=$(( HIST_LINES * 345 / 1000000 + 40 ))
stamp="gen $(sha256sum "$here/gen.c" | cut -c1-16) mb $mb seed $SEED"
if [ "$(cat "$work/data.stamp" 2>/dev/null)" != "$stamp" ]; then
	log "generating ${mb} MB of LEDES 1998B"
	rm -rf "$months" "$work/h.db"* "$work/history.stamp"
	mkdir -p "$months"
	"$work/gen" -f ledes -m "$mb" -s "$SEED" 2> "$work/gen.log" |
	    awk -F'|' -v dir="$months" '
		NR <= 2 { head = head $0 "\n"; next }
		{
			m = substr($1, 1, 6)
			f = dir "/" m ".ledes"
			if (!(m in seen)) {
				seen[m] = 1
				printf "%s", head > f
			}
			print > f
			if (++open[m] == 1 && ++nopen > 20) {
				for (k in open) close(dir "/" k ".ledes")
				nopen = 0
			}
		}'
	# The last month stops mid-way: drop it.
	rm -f "$(ls "$months"/*.ledes | tail -n 1)"
	echo "$stamp" > "$work/data.stamp"
fi
mapfile -t files < <(ls "$months"/*.ledes)
log "${#files[@]} complete months in $months"

# The built-in rules with every generated firm and matter listed; a
# matter bills about 2 million over 30 months (the largest about 4).
rules=$work/rules.yaml
{
	sed -n '1,/^firms:/p' rules/default.yaml | sed '$d'
	echo "firms:"
	awk -F'|' 'FNR > 2 { print $20 "|" $4 }' "${files[0]}" | sort -u |
	    awk -F'|' '
		$1 != firm {
			firm = $1
			printf "  - id: \"%s\"\n    matters:\n", firm
		}
		{
			printf "      - {id: \"%s\", budget: 6000000.00, " \
			    "po: \"PO-%s\", po_amount: 7000000.00}\n", $2, $2
		}'
	sed -n '/^firms:/,$p' rules/default.yaml | sed '1d'
} > "$rules"
"$bin" --check-rules -r "$rules" >&2

# ---- the history --------------------------------------------------------
hstamp="$(cat "$work/data.stamp") lines $HIST_LINES bin $(sha256sum "$bin" | cut -c1-16) rules $(sha256sum "$rules" | cut -c1-16)"
db=$work/h.db
if [ "$(cat "$work/history.stamp" 2>/dev/null)" != "$hstamp" ]; then
	rm -f "$db" "$db"-*
	: > "$work/record.times"
	recorded=0
	i=0
	while [ "$recorded" -lt "$HIST_LINES" ] && [ $i -lt $(( ${#files[@]} - 1 )) ]; do
		f=${files[$i]}
		t0=$(date +%s.%N)
		"$bin" -q -r "$rules" --history "$db" -o /dev/null "$f" || [ $? -eq 1 ]
		t1=$(date +%s.%N)
		recorded=$(sqlite3 "$db" "SELECT coalesce(sum(lines), 0) FROM invoices")
		echo "$(basename "$f") $(elapsed "$t0" "$t1") $recorded" >> "$work/record.times"
		log "recorded $(basename "$f"): $recorded lines in history"
		i=$((i + 1))
	done
	echo "$i" > "$work/history.next"
	echo "$hstamp" > "$work/history.stamp"
fi
next=$(cat "$work/history.next")
month=${files[$next]}
month_lines=$(( $(wc -l < "$month") - 2 ))
# The first month's first invoice sent again with its first narrative
# revised: a resubmission only the history can catch.
resub=$work/resubmitted.ledes
awk -F'|' -v OFS='|' '
	NR <= 2 { print; next }
	NR == 3 { inv = $2; $19 = $19 " (revised)"; print; next }
	$2 == inv { print }' "${files[0]}" > "$resub"
resub_lines=$(( $(wc -l < "$resub") - 2 ))
log "measuring $(basename "$month") ($month_lines lines) + $resub_lines resubmitted"

# ---- timing -----------------------------------------------------------
cat "$month" "$db" > /dev/null
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Runs "$@" RUNS times; prints the median wall seconds, the median CPU
# seconds (user + system, which other load on the machine inflates far
# less) and the largest peak RSS (KiB).  $prep runs before each, untimed.
measure() {
	local walls=() cpus=() rss=0 w c m
	for _ in $(seq "$RUNS"); do
		[ -n "${prep:-}" ] && eval "$prep"
		/usr/bin/time -o "$work/time.out" -f '%e %U %S %M' "$@" || true
		read -r w u sy m < <(tail -n 1 "$work/time.out")
		walls+=("$w")
		cpus+=("$(awk -v a="$u" -v b="$sy" 'BEGIN { print a + b }')")
		[ "$m" -gt "$rss" ] && rss=$m
	done
	printf '%s %s %s\n' "$(printf '%s\n' "${walls[@]}" | median)" \
	    "$(printf '%s\n' "${cpus[@]}" | median)" "$rss"
}

prep=
read -r t_plain c_plain rss_plain < <(measure "$bin" -q -r "$rules" -o /dev/null "$month" "$resub")
read -r t_what c_what rss_what < <(measure "$bin" -q -r "$rules" --history "$db" --no-record -o /dev/null "$month" "$resub")
prep="cp '$db' '$work/copy.db'"
read -r t_rec c_rec rss_rec < <(measure "$bin" -q -r "$rules" --history "$work/copy.db" -o /dev/null "$month" "$resub")
prep=

# What history found in that month (findings naming an earlier run).
"$bin" -q -r "$rules" --history "$db" --no-record -f jsonl "$month" "$resub" > "$work/month.jsonl" || true
hist_findings=$(grep -c ' run [0-9]* of ' "$work/month.jsonl" || true)
all_findings=$(wc -l < "$work/month.jsonl")
by_rule=$(grep ' run [0-9]* of ' "$work/month.jsonl" |
    sed 's/.*"rule":"\([^"]*\)".*/\1/' | sort | uniq -c |
    awk '{ printf "%s%s %s", sep, $2, $1; sep = ", " }')
plain_findings=$("$bin" -q -r "$rules" -f jsonl "$month" "$resub" | wc -l || true)

db_bytes=$(stat -c %s "$db")
read -r h_runs h_inv h_lines h_fps h_days h_rates h_spend h_find < <(sqlite3 -separator ' ' "$db" "
    SELECT (SELECT count(*) FROM runs), (SELECT count(*) FROM invoices),
    (SELECT sum(lines) FROM invoices), (SELECT count(*) FROM line_fps),
    (SELECT count(*) FROM tk_days), (SELECT count(*) FROM tk_rates),
    (SELECT count(*) FROM matter_spend), (SELECT count(*) FROM findings)")
rec_avg=$(awk '{ s += $2; n++ } END { if (n) printf "%.2f", s / n }' "$work/record.times")
rec_max=$(awk '$2 > m { m = $2 } END { printf "%.2f", m }' "$work/record.times")

fmt() { printf '%.2f' "$1"; }
cat <<EOF

## History (issue 7): one month against ${h_lines} recorded lines

Written by \`bench/history-bench.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'),
load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'), nproc $(nproc).
Data: \`bench/gen.c\` (seed $SEED) split into invoice months; rules: the
built-in defaults with the generated firms and matters listed (budget and
PO each), so every check that reads history runs.  The history was built
by recording ${h_runs} monthly runs one after another (mean $(fmt "$rec_avg") s a
run, slowest $(fmt "$rec_max") s, each recording ~$((h_lines / h_runs)) lines).

| history | |
|---|---:|
| runs | ${h_runs} |
| invoices | ${h_inv} |
| lines | ${h_lines} |
| line fingerprints | ${h_fps} |
| timekeeper-days | ${h_days} |
| timekeeper rates | ${h_rates} |
| matter spend rows | ${h_spend} |
| findings | ${h_find} |
| file size | $((db_bytes / 1000000)) MB |

The run measured: the month \`$(basename "$month")\` (${month_lines} lines,
$(( $(stat -c %s "$month") / 1000000 )) MB) and, as a second input, the first month's first
invoice resubmitted with one narrative revised (${resub_lines} lines); median of ${RUNS}
runs, files in the page cache.  CPU s is user + system time.

| run | wall s | CPU s | peak RSS MB | findings |
|---|---:|---:|---:|---:|
| without --history | $(fmt "$t_plain") | $(fmt "$c_plain") | $((rss_plain / 1024)) | ${plain_findings} |
| --history --no-record (pre-scan + lookups) | $(fmt "$t_what") | $(fmt "$c_what") | $((rss_what / 1024)) | ${all_findings} |
| --history (lookups + recording the run) | $(fmt "$t_rec") | $(fmt "$c_rec") | $((rss_rec / 1024)) | ${all_findings} |

${hist_findings} of the findings name an earlier run (${by_rule:-none}).
Every history lookup is an indexed search (\`tests/unit/test_history.c\`
checks each statement's query plan): one per new line fingerprint, per
timekeeper-day, per timekeeper, per matter and PO, and per invoice.
EOF
