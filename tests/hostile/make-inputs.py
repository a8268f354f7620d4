#!/usr/bin/env python3
# make-inputs.py - writes the committed inputs (and args) of the hostile
# golden cases, tests/golden/hostile-*/, byte for byte; see README.md.
# The inputs are committed, so this is their documentation and the way to
# change one; it never touches expected.* or cmd scripts.  After running
# it, regenerate the cases that changed with tests/golden/update.sh and
# review the diff (never the hostile-bug-* cases: their expected.out is
# written by hand).
import os, sys
HERE = os.path.dirname(os.path.abspath(__file__))
G = os.path.join(HERE, '..', 'golden')
GOOD = '../../data/ledes/ledes98b_official_sample_rev2014.txt'
HDR98B = open(os.path.join(HERE, '..', 'data', 'ledes', 'ledes98b_official_sample_rev2014.txt'), 'rb').read().split(b'\n')[:2]
HDR = HDR98B[0] + b'\n' + HDR98B[1] + b'\n'
NAMES = HDR98B[1].rstrip(b'[]\r').split(b'|')
assert len(NAMES) == 24

def rec(n, **kw):
    d = {
        'INVOICE_DATE': '20260131', 'INVOICE_NUMBER': 'H-%d' % (100 + n),
        'CLIENT_ID': '00711', 'LAW_FIRM_MATTER_ID': '0528',
        'INVOICE_TOTAL': None, 'BILLING_START_DATE': '20260101',
        'BILLING_END_DATE': '20260131', 'INVOICE_DESCRIPTION': 'Services',
        'LINE_ITEM_NUMBER': str(n), 'EXP/FEE/INV_ADJ_TYPE': 'F',
        'LINE_ITEM_NUMBER_OF_UNITS': '1.0', 'LINE_ITEM_ADJUSTMENT_AMOUNT': '0',
        'LINE_ITEM_TOTAL': '350.00', 'LINE_ITEM_DATE': '20260112',
        'LINE_ITEM_TASK_CODE': 'L510', 'LINE_ITEM_EXPENSE_CODE': '',
        'LINE_ITEM_ACTIVITY_CODE': 'A102', 'TIMEKEEPER_ID': '22547',
        'LINE_ITEM_DESCRIPTION': 'Research issue %d' % n,
        'LAW_FIRM_ID': '24-6437381', 'LINE_ITEM_UNIT_COST': '350.00',
        'TIMEKEEPER_NAME': 'Arnsley, Robert',
        'TIMEKEEPER_CLASSIFICATION': 'PARTNR', 'CLIENT_MATTER_ID': '423-987',
    }
    for k, v in kw.items():
        d['EXP/FEE/INV_ADJ_TYPE' if k == 'TYPE' else k] = v
    if d['INVOICE_TOTAL'] is None:
        d['INVOICE_TOTAL'] = d['LINE_ITEM_TOTAL']
    out = []
    for name in NAMES:
        v = d[name.decode()]
        out.append(v if isinstance(v, bytes) else v.encode())
    return b'|'.join(out)

def L(n, end=b'[]\n', **kw):
    return rec(n, **kw) + end

CSVH = b'Invoice,Firm ID,Date,Timekeeper,Hours,Rate,Amount,Task Code,Activity Code,Description\n'
def C(n, **kw):
    d = {'Invoice': 'C-%d' % (200 + n), 'Firm ID': '24-6437381', 'Date': '2026-01-12',
         'Timekeeper': '22547', 'Hours': '1.0', 'Rate': '350.00', 'Amount': '350.00',
         'Task Code': 'L510', 'Activity Code': 'A102', 'Description': 'Research issue %d' % n}
    d.update(kw)
    vals = [d[k] for k in ['Invoice', 'Firm ID', 'Date', 'Timekeeper', 'Hours', 'Rate', 'Amount', 'Task Code', 'Activity Code', 'Description']]
    return b','.join(v if isinstance(v, bytes) else v.encode() for v in vals) + b'\n'

def case(name, args=None, files=None, cmd=None):
    d = os.path.join(G, 'hostile-' + name)
    os.makedirs(d, exist_ok=True)
    for fn, data in (files or {}).items():
        with open(os.path.join(d, fn), 'wb') as f:
            f.write(data)
    if args is not None:
        with open(os.path.join(d, 'args'), 'w') as f:
            f.write(args + '\n')
    if cmd is not None:
        with open(os.path.join(d, 'cmd'), 'w') as f:
            f.write(cmd.lstrip('\n'))

R = '-r ../core-rules.yaml'
# ---------------------------------------------------------------- malformed
case('csv-unterminated-quote', R + ' -q bad.csv ' + GOOD, {'bad.csv':
    CSVH + C(1) + C(2, Description=b'"Unterminated quote: every later line is inside it')
    + C(3) + C(4)})

case('csv-field-count', R + ' -q bad.csv ' + GOOD, {'bad.csv':
    CSVH + C(1)
    + b'C-202,24-6437381,2026-01-12,22547,1.0,350.00,350.00,L510,A102\n'
    + C(3, Description=b'one comma, too many')
    + b'lonely\n'
    + b',,,,,,,,,\n'
    + C(6)})

ledes_fc = (HDR + L(1)
    + rec(2).rsplit(b'|', 1)[0] + b'[]\n'
    + rec(3) + b'|extra[]\n'
    + rec(4) + b'||[]\n'
    + b'lonely[]\n'
    + L(6))
case('ledes-field-count', R + ' bad.txt ' + GOOD, {'bad.txt': ledes_fc})

case('ledes-nul-bytes', R + ' bad.txt ' + GOOD, {'bad.txt': HDR
    + L(1)
    + L(2, LINE_ITEM_NUMBER_OF_UNITS=b'1\x000')
    + b'\x00\x00[]\n'
    + L(4, LINE_ITEM_DATE=b'202601\x0012')
    + L(5)})

case('csv-nul-bytes', R + ' -q bad.csv ' + GOOD, {'bad.csv': CSVH
    + C(1)
    + C(2, Hours=b'1\x000')
    + b'\x00\x00\x00\n'
    + C(4, Date=b'2026-01\x00-12')
    + C(5)})

case('ledes-truncated', R + ' bad.txt ' + GOOD, {'bad.txt':
    HDR + L(1) + L(2) + rec(3)[:120]})

case('csv-truncated', R + ' -q bad.csv ' + GOOD, {'bad.csv':
    CSVH + C(1) + C(2) + C(3)[:40]})

case('ledes-header-only', R + ' header-only.txt crlf-header-only.txt ' + GOOD, {
    'header-only.txt': HDR,
    'crlf-header-only.txt': HDR.replace(b'\n', b'\r\n') + b'\r\n  \r\n'})

case('ledes-version-only', R + ' version-only.txt ' + GOOD, {
    'version-only.txt': b'LEDES1998B[]\r\n'})

case('empty-file', R + ' empty.txt blank.txt ' + GOOD, {
    'empty.txt': b'', 'blank.txt': b' \n\n\t\r\n'})

case('bom-only', R + ' bom.txt bom-crlf.csv ' + GOOD, {
    'bom.txt': b'\xef\xbb\xbf', 'bom-crlf.csv': b'\xef\xbb\xbf\r\n'})

case('ledes-bad-dates', R + ' bad.txt ' + GOOD, {'bad.txt': HDR
    + L(1, LINE_ITEM_DATE='20260231')
    + L(2, LINE_ITEM_DATE='20261301')
    + L(3, LINE_ITEM_DATE='20260100')
    + L(4, LINE_ITEM_DATE='2026-01-12')
    + L(5, LINE_ITEM_DATE='00000000')
    + L(6, LINE_ITEM_DATE='1e9')
    + L(7, LINE_ITEM_DATE='')
    + L(8, LINE_ITEM_DATE='21000229')
    + L(9, INVOICE_DATE='20260230', BILLING_END_DATE='2026013')
    + L(10, LINE_ITEM_DATE='20240229')})

case('csv-bad-dates', R + ' -q bad.csv ' + GOOD, {'bad.csv': CSVH
    + C(1, Date='2026-02-31')
    + C(2, Date='02/30/2026')
    + C(3, Date='13/13/2026')
    + C(4, Date='31/12/2026')
    + C(5, Date='20260231')
    + C(6, Date='2026-1-5')
    + C(7, Date='')
    + C(8, Date='yesterday')
    + C(9, Date='02/29/2024')})

case('ledes-bad-numbers', R + ' bad.txt ' + GOOD, {'bad.txt': HDR
    + L(1, LINE_ITEM_NUMBER_OF_UNITS='1e9')
    + L(2, LINE_ITEM_NUMBER_OF_UNITS='--5')
    + L(3, LINE_ITEM_TOTAL='1,2,3')
    + L(4, LINE_ITEM_UNIT_COST='NaN')
    + L(5, LINE_ITEM_TOTAL='inf')
    + L(6, LINE_ITEM_ADJUSTMENT_AMOUNT='0x10')
    + L(7, LINE_ITEM_TOTAL='350.0.0')
    + L(8, LINE_ITEM_NUMBER_OF_UNITS='-')
    + L(9, LINE_ITEM_NUMBER_OF_UNITS='1 0')
    + L(10, LINE_ITEM_NUMBER_OF_UNITS='+1.0')
    + L(11, LINE_ITEM_TOTAL='$350.00', INVOICE_TOTAL='350.00')
    + L(12, INVOICE_TOTAL='NaN')
    + L(13)})

case('csv-bad-numbers', R + ' -q bad.csv ' + GOOD, {'bad.csv': CSVH
    + C(1, Amount='1e9')
    + C(2, Amount='--5')
    + C(3, Amount='"1,2,3"')
    + C(4, Amount='NaN')
    + C(5, Hours='$-')
    + C(6, Amount='(5')
    + C(7, Amount='"1,23.00"')
    + C(8, Rate='3.5.0')
    + C(9, Amount='"$1,350.00"', Hours='1.0', Rate='"1,350.00"')
    + C(10, Amount='(350.00)', Hours='-1.0')
    + C(11, Amount='"$(350.00)"', Hours='-1.0')})

case('ledes-overflow', R + ' bad.txt ' + GOOD, {'bad.txt': HDR
    + L(1, LINE_ITEM_TOTAL='99999999999999999999')
    + L(2, LINE_ITEM_NUMBER_OF_UNITS='922337203685477.5808')
    + L(3, LINE_ITEM_UNIT_COST='-99999999999999999999')
    + L(4, LINE_ITEM_NUMBER_OF_UNITS='900000000000', LINE_ITEM_UNIT_COST='900000000000')
    + L(5, INVOICE_TOTAL='1000000000000000')
    + L(6)})

case('csv-overflow', R + ' -q bad.csv ' + GOOD, {'bad.csv':
    b'Invoice,Firm ID,Date,Timekeeper,Hours,Rate,Description\n'
    + b'C-201,24-6437381,2026-01-12,22547,900000000000,900000000000,units x rate overflows\n'
    + b'C-202,24-6437381,2026-01-12,22547,1.0,99999999999999999999,20 digits\n'
    + b'C-203,24-6437381,2026-01-12,22547,1.0,350.00,good\n'})

case('missing-file', R + ' ' + GOOD + ' no-such-file.txt no-such-dir/x.csv ../../data/ledes/ledes98bi_v2_sample.txt', {})

laughs = b'billcheck: 1\n' + b'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
prev = b'a'
for c in b'bcdefghi':
    c = bytes([c])
    laughs += c + b': &' + c + b' [' + b', '.join([b'*' + prev] * 9) + b']\n'
    prev = c
laughs += b'rules:\n  - {id: x, check: arithmetic, clause: *i}\n'
case('rules-billion-laughs', '-r laughs.yaml ' + GOOD, {'laughs.yaml': laughs})

case('rules-duplicate-keys', '-r dup.yaml ' + GOOD, {'dup.yaml': b'''billcheck: 1
name: first name
name: second name
currency: USD
rate_caps: {PARTNR: 300.00, PARTNR: 400.00}
firms:
  - id: "24-6437381"
    id: "99-0000000"
  - id: "24-6437381"
rules:
  - id: math
    check: arithmetic
    check: rate
  - id: math
    check: billing_increment
    increment: 0.1
    increment: 0.25
'''})

case('rules-tabs', '-r tabs.yaml ' + GOOD, {'tabs.yaml':
    b'billcheck: 1\nrules:\n\t- id: math\n\t  check: arithmetic\n'})

case('rules-tab-in-value', '-r tabs.yaml --check-rules', {'tabs.yaml':
    b'billcheck: 1\nname:\tguidelines with a tab after the colon\nrules:\n  - {id: math,\tcheck: arithmetic}\n  - id: tenths\n    check: billing_increment\n    clause: "tab\tinside"\n'})

case('rules-merge-key', '-r merge.yaml ' + GOOD, {'merge.yaml': b'''billcheck: 1
base: &base {check: arithmetic, severity: error}
rules:
  - <<: *base
    id: math
'''})

case('ledes-unknown-version', R + ' v2000.txt v3.txt ' + GOOD, {
    'v2000.txt': b'LEDES2000[]\n' + HDR.split(b'\n')[1] + b'\n' + L(1),
    'v3.txt': b'LEDES98BI V3[]\r\n' + L(1).replace(b'\n', b'\r\n')})

bad_names = HDR.replace(b'LINE_ITEM_TOTAL|', b'LINE_ITEM_TOTL|')
short_names = HDR.replace(b'|CLIENT_MATTER_ID', b'')
case('ledes-bad-field-names', R + ' misspelt.txt short.txt ' + GOOD, {
    'misspelt.txt': bad_names + L(1) + L(2),
    'short.txt': short_names + L(1)})

case('ledes-missing-terminators', R + ' excel.txt ' + GOOD, {'excel.txt':
    HDR + rec(1) + b'\n' + rec(2) + b'\n' + L(3) + L(4)})

case('csv-missing-columns', R + ' -q no-date.csv no-amount.csv ' + GOOD, {
    'no-date.csv': b'Invoice,Firm ID,Timekeeper,Hours,Rate,Amount\nC-1,24-6437381,22547,1.0,350.00,350.00\n',
    'no-amount.csv': b'Invoice,Firm ID,Date,Timekeeper,Hours,Description\nC-1,24-6437381,2026-01-12,22547,1.0,no rate\n'})

case('csv-bad-quotes', R + ' -q bad.csv ' + GOOD, {'bad.csv': CSVH
    + C(1, Description=b'a quote " inside an unquoted field')
    + C(2, Description=b'"closed" then garbage')
    + C(3, Description=b'"doubled ""quotes"" are fine"')
    + C(4)})

# ---------------------------------------------------------------- odd but valid
crlf = (HDR.replace(b'\n', b'\r\n')
    + L(1, end=b'[]\n')
    + L(2, end=b'[]\r\n')
    + L(3, end=b'[]') + L(4, end=b' []\r\n')
    + b'\r\n'
    + L(5, end=b'[]\r')
    + L(6, end=b'[]\n')
    + b'   \r\n')
case('crlf-mixed-ledes', R + ' mixed.txt', {'mixed.txt': crlf})

case('crlf-mixed-csv', R + ' -q mixed.csv', {'mixed.csv':
    CSVH.replace(b'\n', b'\r\n')
    + C(1)
    + C(2).replace(b'\n', b'\r\n')
    + C(3).replace(b'\n', b'\r')
    + C(4, Description=b'"two lines,\r\nin one quoted field"').replace(b'\n', b'\r\n')
    + b'\r\n\n'
    + C(5, Description=b'"lf\nand cr\rinside"')
    + C(6).rstrip(b'\n')})

utf8 = (HDR
    + L(1, LINE_ITEM_NUMBER_OF_UNITS='0.25', LINE_ITEM_TOTAL='87.50', LINE_ITEM_DESCRIPTION=b'bad bytes \xff\xfe here')
    + L(2, LINE_ITEM_NUMBER_OF_UNITS='0.25', LINE_ITEM_TOTAL='87.50', LINE_ITEM_DESCRIPTION=b'overlong \xc0\xaf slash')
    + L(3, LINE_ITEM_NUMBER_OF_UNITS='0.25', LINE_ITEM_TOTAL='87.50', LINE_ITEM_DESCRIPTION=b'surrogate \xed\xa0\x80 half')
    + L(4, LINE_ITEM_NUMBER_OF_UNITS='0.25', LINE_ITEM_TOTAL='87.50', LINE_ITEM_DESCRIPTION=b'cut short \xe2\x82')
    + L(5, LINE_ITEM_NUMBER_OF_UNITS='0.25', LINE_ITEM_TOTAL='87.50', LINE_ITEM_DESCRIPTION=b'Latin-1 caf\xe9 na\xefve')
    + L(6, LINE_ITEM_NUMBER_OF_UNITS='0.25', LINE_ITEM_TOTAL='87.50', LINE_ITEM_DESCRIPTION='valid café ✓ 😀'.encode())
    + L(7, LINE_ITEM_NUMBER_OF_UNITS='0.25', LINE_ITEM_TOTAL='87.50', TIMEKEEPER_NAME=b'Arnsley, R\xf6bert', LINE_ITEM_DESCRIPTION=b'bad name'))
for fmt in ['text', 'csv', 'json', 'jsonl']:
    case('utf8-narrative-' + fmt, R + ' -f ' + fmt + ' --fail-on never ../hostile-utf8-narrative-text/utf8.txt',
         {'utf8.txt': utf8} if fmt == 'text' else {})

credit = (HDR
    + L(1, INVOICE_NUMBER='CR-1', INVOICE_TOTAL='-439.95', LINE_ITEM_NUMBER_OF_UNITS='-1.0', LINE_ITEM_TOTAL='-350.00', LINE_ITEM_DESCRIPTION='Credit: research billed twice')
    + L(2, INVOICE_NUMBER='CR-1', INVOICE_TOTAL='-439.95', TYPE='E', LINE_ITEM_NUMBER_OF_UNITS='1', LINE_ITEM_UNIT_COST='-24.95', LINE_ITEM_TOTAL='-24.95', LINE_ITEM_TASK_CODE='', LINE_ITEM_ACTIVITY_CODE='', LINE_ITEM_EXPENSE_CODE='E111', TIMEKEEPER_ID='', TIMEKEEPER_NAME='', TIMEKEEPER_CLASSIFICATION='', LINE_ITEM_DESCRIPTION='Meals refunded')
    + L(3, INVOICE_NUMBER='CR-1', INVOICE_TOTAL='-439.95', TYPE='IF', LINE_ITEM_NUMBER_OF_UNITS='1', LINE_ITEM_UNIT_COST='', LINE_ITEM_ADJUSTMENT_AMOUNT='-65.00', LINE_ITEM_TOTAL='-65.00', LINE_ITEM_TASK_CODE='', LINE_ITEM_ACTIVITY_CODE='', TIMEKEEPER_ID='', TIMEKEEPER_NAME='', TIMEKEEPER_CLASSIFICATION='', LINE_ITEM_DESCRIPTION='Courtesy discount')
    + L(4, INVOICE_NUMBER='CR-2', LINE_ITEM_NUMBER_OF_UNITS='1.0', LINE_ITEM_ADJUSTMENT_AMOUNT='-350', LINE_ITEM_TOTAL='0', INVOICE_TOTAL='0', LINE_ITEM_DESCRIPTION='Written off in full'))
credit_csv = (CSVH + C(1, Invoice='CC-1', Hours='-1.0', Amount='(350.00)', Description='credit in parentheses')
    + C(2, Invoice='CC-1', Hours='-1.0', Amount='-350.00', Description='credit with a minus')
    + C(3, Invoice='CC-1', Hours='-1.0', Amount='"($350.00)"', Description='accounting parentheses around a dollar amount')
    + C(4, Invoice='CC-1', Hours='-1.0', Amount='"-$350.00"', Description='minus then dollar'))
case('credit-notes', R + ' -q credit.txt credit.csv', {'credit.txt': credit, 'credit.csv': credit_csv})

case('ledes-5000-byte-field', R + ' long.txt', {'long.txt': HDR
    + L(1, LINE_ITEM_DESCRIPTION=('Research ' + 'x' * 4991).encode())
    + L(2, TIMEKEEPER_NAME=('Arnsley ' + 'R' * 4992).encode())
    + L(3)})

tsv_h = b'Invoice\tFirm ID\tDate\tTimekeeper\tHours\tRate\tAmount\tTask Code\tActivity Code\tDescription\n'
case('csv-tabs', R + ' -q tabs.tsv tabs-in-fields.csv', {
    'tabs.tsv': tsv_h + C(1).replace(b',', b'\t') + C(2).replace(b',', b'\t').replace(b'\n', b'\t\n')
        + b'C-203\t24-6437381\t2026-01-12\t22547\t1.0\t350.00\t350.00\tL510\tA102\t"quoted\twith a tab"\n',
    'tabs-in-fields.csv': CSVH + C(1, Hours='\t1.0\t', Description='tab\tinside') + C(2, Description='"\ttab first"')})

case('csv-bom-crlf', R + ' -q bom.csv', {'bom.csv': b'\xef\xbb\xbf' + (CSVH + C(1) + C(2)).replace(b'\n', b'\r\n')})

# ---------------------------------------------------------------- output safety
inj = (CSVH
    + C(1, Hours='0.25', Amount='87.50', Description=b'"=cmd|\' /C calc\'!A0"')
    + C(2, Hours='0.25', Amount='87.50', Description=b'+SUM(1+1)')
    + C(3, Hours='0.25', Amount='87.50', Description=b'-2+3')
    + C(4, Hours='0.25', Amount='87.50', Description=b'@SUM(A1:A9)')
    + C(5, Hours='0.25', Amount='87.50', Description=b'"\ttab first"')
    + C(6, Hours='0.25', Amount='87.50', Description=b'"\rCR first"')
    + C(7, Hours='0.25', Amount='87.50', Invoice=b'"=HYPERLINK(""http://x"")"', Timekeeper=b'@tk', Description=b'injected ids')
    + C(8, Hours='0.25', Amount='87.50', Description=b'</script><script>alert(1)</script>'))
case('formula-injection-csv', R + ' -q -f csv --fail-on never inj.csv "=1+1.csv"', {'inj.csv': inj,
    '=1+1.csv': b'Invoice,Firm ID,Date,Timekeeper,Hours,Rate,Amount\n-1,+24-6437381,2026-01-12,@22547,0.25,350.00,87.50\n'})
case('formula-injection-json', R + ' -q -f json --fail-on never ../hostile-formula-injection-csv/inj.csv', {})

ctl = (CSVH
    + C(1, Hours='0.25', Amount='87.50', Description=b'esc \x1b[31mRED\x1b[0m and \x1b]0;title\x07')
    + C(2, Hours='0.25', Amount='87.50', Description=b'bel \x07 bs \x08 del \x7f vt \x0b ff \x0c')
    + C(3, Hours='0.25', Amount='87.50', Description=b'c1 csi \xc2\x9b31m nel \xc2\x85 end')
    + C(4, Hours='0.25', Amount='87.50', Description='line sep \u2028 para sep \u2029 rlo \u202e gnp.exe'.encode())
    + C(5, Hours='0.25', Amount='87.50', Description=b'"quote "" backslash \\ slash /"'))
for fmt in ['text', 'csv', 'json', 'jsonl']:
    case('control-chars-' + fmt, R + ' -q -f ' + fmt + ' --fail-on never ../hostile-control-chars-text/ctl.csv',
         {'ctl.csv': ctl} if fmt == 'text' else {})

# ---------------------------------------------------------------- bugs
case('bug-ledes-long-invoice-number', R + ' -f csv long-id.txt', {'long-id.txt': HDR
    + L(1, INVOICE_NUMBER='N' * 1200 + 'A', INVOICE_TOTAL='700.00')
    + L(2, INVOICE_NUMBER='N' * 1200 + 'B', INVOICE_TOTAL='700.00')
    + L(3, INVOICE_NUMBER='N' * 1200 + 'A', INVOICE_TOTAL='700.00')
    + L(4, INVOICE_NUMBER='N' * 1200 + 'B', INVOICE_TOTAL='700.00')})
case('bug-money-overflow', None, {'ovf.txt': HDR
    + L(1, LINE_ITEM_NUMBER_OF_UNITS='1', LINE_ITEM_UNIT_COST='922337203685477.5807', LINE_ITEM_TOTAL='-922337203685477.5807')
    + L(2, INVOICE_TOTAL='922337203685477.5807', LINE_ITEM_NUMBER_OF_UNITS='-1', LINE_ITEM_UNIT_COST='900000000000000', LINE_ITEM_TOTAL='-900000000000000')
    + L(3, INVOICE_NUMBER='H-SUM', INVOICE_TOTAL='', LINE_ITEM_NUMBER_OF_UNITS='1', LINE_ITEM_UNIT_COST='900000000000000', LINE_ITEM_TOTAL='900000000000000')
    + L(4, INVOICE_NUMBER='H-SUM', INVOICE_TOTAL='', LINE_ITEM_NUMBER_OF_UNITS='1', LINE_ITEM_UNIT_COST='900000000000000', LINE_ITEM_TOTAL='900000000000000')
    + L(5, LINE_ITEM_UNIT_COST='-922337203685477.5807', LINE_ITEM_TOTAL='-922337203685477.5807')})
case('bug-at-risk-overflow', None, {'risk.txt': HDR
    + L(1, LINE_ITEM_NUMBER_OF_UNITS='900000000000', LINE_ITEM_UNIT_COST='900000000000', LINE_ITEM_TOTAL='350.00')})
case('bug-total-saturation', None, {'sat.txt': HDR
    + L(99, INVOICE_NUMBER='H-C', LINE_ITEM_UNIT_COST='400.00', LINE_ITEM_TOTAL='400.00')
    + b''.join(L(i + 1, INVOICE_NUMBER='CR-%d' % i, LINE_ITEM_NUMBER_OF_UNITS='-1',
                 LINE_ITEM_UNIT_COST='99999999999999.99', LINE_ITEM_TOTAL='-99999999999999.99')
               for i in range(12))})
case('bug-nul-in-text-fields', None, {
    'nul.txt': HDR + L(1, LINE_ITEM_DESCRIPTION=b'Research\x00 hidden after a NUL')
        + L(2, INVOICE_NUMBER=b'H-1\x0002') + L(3),
    'nul.csv': CSVH + C(1, Description=b'Research\x00 hidden after a NUL')
        + C(2, Invoice=b'C-2\x0002') + C(3)})

# ---------------------------------------------------------------- fixed binary junk
def park_miller(seed, n):
    x, out = seed, bytearray()
    for _ in range(n):
        x = (x * 16807) % 2147483647
        out.append(x & 0xff)
    return bytes(out)
junk = park_miller(20260401, 4096)
case('binary-junk', R + ' junk.bin junk.txt ' + GOOD, {'junk.bin': junk, 'junk.txt': junk[::-1]})
lj = bytearray(park_miller(7, 6000))
for i in range(0, len(lj), 97):
    lj[i:i+2] = b'[]'
for i in range(40, len(lj), 13):
    lj[i] = ord('|')
case('ledes-binary-junk', R + ' junk.txt ' + GOOD, {'junk.txt': HDR + bytes(lj)})
case('rules-binary-junk', '-r junk.yaml ' + GOOD, {'junk.yaml': b'billcheck: 1\n' + park_miller(99, 2048)})
case('stdin-broken', R + ' - ' + GOOD, {'stdin': HDR + L(1) + rec(2)[:50] + b'\n' + L(3) + rec(4)[:30]})
d = os.path.join(G, 'hostile-dir-input', 'invoices', 'sub')
os.makedirs(d, exist_ok=True)
case('dir-input', R + ' -q invoices', {
    'invoices/a-bad.txt': HDR + L(1, LINE_ITEM_DATE='20260231') + L(2),
    'invoices/b-good.csv': CSVH + C(1),
    'invoices/.hidden.txt': b'not read\n',
    'invoices/notes.md': b'not an invoice\n',
    'invoices/sub/c-empty.ledes': b'',
    'invoices/sub/d.TSV': tsv_h + C(3).replace(b',', b'\t')})
