#!/bin/sh
# A manual check, not part of `make check`: do the findings CSV (-f csv)
# and the summary CSV (--summary) open in LibreOffice with the right column
# types?  Needs soffice (apt-get install libreoffice-calc-nogui) and
# python3.  Usage, from the top of the source tree, after `make`:
#
#     sh tests/manual/libreoffice-check.sh [BILLCHECK]
#
# Converts both CSVs of the html-trend golden invoices to .xlsx with
# `soffice --headless --convert-to xlsx`, twice: as LibreOffice's import
# reads them given only the character set (UTF-8), and with the id
# columns imported as text (the Text Import dialog's column type), then
# reads the cell types back out of the .xlsx and checks them: amounts and
# counts are numbers, dates are dates, text is text.  Prints one line per
# column and "N passed, N failed".
bin=${1:-./billcheck}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
for tool in soffice python3; do
	command -v $tool >/dev/null 2>&1 ||
	    { echo "libreoffice-check: $tool is not installed"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$root/tests/golden/html-trend" &&
    "$bin" -q -r ../../../examples/northwind-guidelines.yaml -f csv \
    -o "$tmp/findings.csv" --summary "$tmp/summary.csv" invoices)
[ -s "$tmp/findings.csv" ] && [ -s "$tmp/summary.csv" ] ||
    { echo "libreoffice-check: billcheck wrote no CSV"; exit 1; }

# CSV filter options: comma, double quote, UTF-8 (76), from line 1; then
# optionally the column formats (column/format, 1 standard, 2 text).
convert() {
	# convert NAME OUTDIR FILTER
	mkdir -p "$2"
	soffice -env:UserInstallation="file://$tmp/profile" --headless \
	    --infilter="$3" --convert-to xlsx --outdir "$2" \
	    "$tmp/$1.csv" > "$tmp/soffice.log" 2>&1 ||
	    { cat "$tmp/soffice.log"; exit 1; }
}
convert findings "$tmp/plain" "CSV:44,34,76,1"
convert summary "$tmp/plain" "CSV:44,34,76,1"
# firm, firm_name, invoice, matter, line, timekeeper as text.
convert findings "$tmp/typed" "CSV:44,34,76,1,5/2/6/2/7/2/8/2/9/2/12/2"
convert summary "$tmp/typed" "CSV:44,34,76,1,1/2/2/2"

python3 - "$tmp" <<'EOF'
import datetime
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

NS = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
DATE_IDS = set(range(14, 23)) | set(range(45, 48))


def cells(path):
    """{header: [(kind, value), ...]} of the first sheet."""
    z = zipfile.ZipFile(path)
    strings = []
    if 'xl/sharedStrings.xml' in z.namelist():
        root = ET.fromstring(z.read('xl/sharedStrings.xml'))
        for si in root.findall('m:si', NS):
            strings.append(''.join(t.text or '' for t in
                                   si.iter('{%s}t' % NS['m'])))
    styles = ET.fromstring(z.read('xl/styles.xml'))
    fmts = {int(n.get('numFmtId')): n.get('formatCode')
            for n in styles.findall('m:numFmts/m:numFmt', NS)}
    xfs = [int(x.get('numFmtId'))
           for x in styles.findall('m:cellXfs/m:xf', NS)]
    sheet = ET.fromstring(z.read('xl/worksheets/sheet1.xml'))
    rows = []
    for r in sheet.findall('.//m:row', NS):
        row = {}
        for c in r.findall('m:c', NS):
            col = re.match('[A-Z]+', c.get('r')).group(0)
            t = c.get('t', 'n')
            v = c.find('m:v', NS)
            val = v.text if v is not None else ''
            if t == 's':
                val = strings[int(val)]
            fid = xfs[int(c.get('s', '0'))]
            if t in ('s', 'str', 'inlineStr'):
                kind = 'text'
            elif fid in DATE_IDS or re.search('[YD]', fmts.get(fid, ''),
                                              re.I):
                kind = 'date'
            else:
                kind = 'number'
            row[col] = (kind, val)
        rows.append(row)
    head = rows[0]
    out = {}
    for col, (_, name) in head.items():
        out[name] = [r[col] for r in rows[1:] if col in r]
    return out


tmp = sys.argv[1]
# What each column must be; None: not checked (ids, see below).
want = {
    'findings': {
        'rule': 'text', 'check': 'text', 'severity': 'text',
        'clause': 'text', 'firm': 'text', 'firm_name': 'text',
        'invoice': None, 'matter': None, 'line': None, 'file': 'text',
        'row': 'number', 'timekeeper': None, 'date': 'date',
        'description': 'text', 'billed': 'number', 'at_risk': 'number',
        'message': 'text'},
    'summary': {
        'firm': 'text', 'firm_name': 'text', 'month': None,
        'invoices': 'number', 'invoices_with_findings': 'number',
        'exception_rate': 'number', 'lines': 'number',
        'lines_with_findings': 'number', 'billed': 'number',
        'at_risk': 'number', 'approved': 'number'},
}
passed = failed = 0
for how in ('plain', 'typed'):
    for name in ('findings', 'summary'):
        cols = cells('%s/%s/%s.xlsx' % (tmp, how, name))
        print('== %s.csv, %s import' % (name, how))
        for col, kinds in cols.items():
            seen = sorted(set(k for k, _ in kinds))
            expect = want[name].get(col)
            if how == 'typed' and expect is None and name == 'findings':
                expect = 'text'
            ok = expect is None or seen == [expect]
            if col == 'clause' and any('\u00c2' in v for _, v in kinds):
                ok = False  # UTF-8 read as Latin-1
            sample = next((v for _, v in kinds if v), '')
            if seen == ['date']:
                sample = '%s (%s)' % (sample, datetime.date(1899, 12, 30) +
                                      datetime.timedelta(int(sample)))
            print('%s %-24s %-14s e.g. %s' % ('ok  ' if ok else 'FAIL',
                  col, '/'.join(seen), sample[:40]))
            if ok:
                passed += 1
            else:
                failed += 1
# Ids that look like numbers: what the plain import made of them.
plain = cells('%s/plain/findings.xlsx' % tmp)
typed = cells('%s/typed/findings.xlsx' % tmp)
for col in ('invoice', 'matter', 'line', 'timekeeper'):
    for (pk, pv), (_, tv) in zip(plain[col], typed[col]):
        if pk == 'number' and pv != tv:
            print('note: %s %r reads as the number %s unless the column '
                  'is imported as text' % (col, tv, pv))
            break
print('%d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)
EOF
