#!/bin/sh
# The HTML report in a real browser: `make htmltest` (and `make check` when
# chromium is installed).  Not a case tests/run.sh runs (no args or cmd),
# because it needs chromium, xmllint (libxml2-utils) and python3.
#
# For the pages of the html-* golden cases and an empty run, it checks:
#   - nothing in the page can reach the network or run: no script, no
#     src=, no url(), no @import, no link, no http other than the SVG
#     namespace;
#   - the page is well-formed XML (`xmllint --noout`), so every element is
#     closed and every untrusted string escaped;
#   - libxml2's HTML parser reports no error but "Tag X invalid" for the
#     HTML5 and SVG elements it predates (`xmllint --html --noout`);
#   - headless Chromium renders it at 1280 px: a screenshot of the
#     expected size that is not blank and shows the header band and the
#     chart colours (png-check.py);
#   - the trend page prints: a PDF of A4 landscape pages (@media print).
# Ends with "N passed, N failed" and a non-zero status on any failure.
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
bin=$root/${BUILD:-build}/billcheck
browser=${CHROMIUM:-chromium}
export LC_ALL=C

for tool in "$browser" xmllint python3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "htmltest: $tool is not installed (sh .ci/install-deps)"
		exit 1
	fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() {
	pass=$((pass + 1))
	echo "ok   $1"
}

bad() {
	fail=$((fail + 1))
	echo "FAIL $1"
	[ -f "$tmp/log" ] && sed 's/^/    /' "$tmp/log" | head -20
}

# The HTML elements libxml2 2.9 does not know, and SVG's.
allowed='Tag \(svg\|g\|rect\|line\|text\|section\|header\|footer\|main\|nav\|figure\|figcaption\) invalid'

# Every element and attribute the writer emits; anything else in a page
# would be markup that came from the input.
tags='html\|head\|meta\|title\|style\|body\|header\|nav\|a\|main\|section'
tags="$tags"'\|h1\|h2\|h3\|p\|div\|span\|strong\|code\|ul\|li\|footer'
tags="$tags"'\|table\|caption\|thead\|tbody\|tfoot\|tr\|th\|td\|figure'
tags="$tags"'\|figcaption\|svg\|g\|rect\|line\|text'
attrs='lang\|charset\|name\|content\|href\|id\|class\|style\|colspan'
attrs="$attrs"'\|title\|xmlns\|viewBox\|width\|height\|role\|aria-label\|x\|y'
attrs="$attrs"'\|x1\|y1\|x2\|y2\|rx\|text-anchor'

# Markup in page $1 the writer never emits: untrusted text is escaped, so
# every tag and attribute must be one of ours, links stay in the page,
# and the style sheet fetches nothing.
markup_errors() {
	grep -o '<[a-zA-Z][a-zA-Z0-9]*' "$1" | sort -u |
	    grep -v -x -e "<\\($tags\\)"
	grep -o ' [a-zA-Z][a-zA-Z0-9-]*="' "$1" | sort -u |
	    grep -v -x -e " \\($attrs\\)=\""
	grep -o 'href="[^"]*"' "$1" | grep -v '^href="#[a-z]*"$'
	grep -o 'style="[^"]*"' "$1" |
	    grep -v '^style="width:[0-9]*\.[0-9]*%"$'
	sed -n '/<style>/,/<\/style>/p' "$1" |
	    grep -i -e 'url(' -e '@import' -e 'http' -e 'expression('
}

# xmllint --html's complaints other than the allowed ones.
html_errors() {
	xmllint --html --noout "$1" 2>&1 | grep ' : ' | grep -v "$allowed"
}

# The filter must still catch real breakage.
printf '<!DOCTYPE html>\n<html><head><title>t</title></head><body><p>a & b <b>c</p></i><svg></svg></body></html>\n' > "$tmp/broken.html"
if xmllint --noout "$tmp/broken.html" 2>/dev/null ||
    [ -z "$(html_errors "$tmp/broken.html")" ]; then
	bad "self-check: a broken page passed xmllint"
else
	ok "self-check: a broken page fails xmllint"
fi
printf '<p class="x" onclick="y"><img src="x"/><a href="http://e/">e</a></p>\n' \
    > "$tmp/markup.html"
if [ "$(markup_errors "$tmp/markup.html" | wc -l)" -ne 4 ]; then
	bad "self-check: foreign markup passed the markup check"
else
	ok "self-check: foreign markup fails the markup check"
fi
python3 "$here/png-check.py" --blank "$tmp/blank.png" 1280 2000
if python3 "$here/png-check.py" "$tmp/blank.png" 1280 2000 >/dev/null; then
	bad "self-check: a blank screenshot passed"
else
	ok "self-check: a blank screenshot fails"
fi

page() {
	# page NAME DIR STATUS ARGS...: writes $tmp/NAME.html from DIR.
	name=$1 dir=$2 want=$3
	shift 3
	(cd "$dir" && "$bin" -q -f html -o "$tmp/$name.html" "$@" \
	    2>/dev/null)
	status=$?
	if [ "$status" != "$want" ]; then
		echo "exit $status, expected $want" > "$tmp/log"
		bad "$name: billcheck"
		return 1
	fi
	return 0
}

check() {
	# check NAME COLOR...: the checks above on $tmp/NAME.html.
	name=$1
	shift
	html=$tmp/$name.html
	rm -f "$tmp/log"

	markup_errors "$html" > "$tmp/log"
	if [ -s "$tmp/log" ]; then
		bad "$name: self-contained"
	else
		ok "$name: self-contained (only known tags and attributes)"
	fi

	if xmllint --noout "$html" > "$tmp/log" 2>&1 && ! [ -s "$tmp/log" ]
	then
		ok "$name: well-formed (xmllint --noout)"
	else
		bad "$name: well-formed (xmllint --noout)"
	fi

	html_errors "$html" > "$tmp/log"
	if [ -s "$tmp/log" ]; then
		bad "$name: xmllint --html"
	else
		ok "$name: xmllint --html: no errors"
	fi

	rm -rf "$tmp/profile"
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
	    --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$tmp/profile" \
	    --screenshot="$tmp/$name.png" --window-size=1280,2000 \
	    "file://$html" > "$tmp/log" 2>&1
	if [ -f "$tmp/$name.png" ] &&
	    python3 "$here/png-check.py" "$tmp/$name.png" 1280 2000 "$@" \
	    > "$tmp/log" 2>&1; then
		ok "$name: rendered: $(sed "s|$tmp/||" "$tmp/log")"
		[ -n "${KEEP:-}" ] && cp "$tmp/$name.png" "$KEEP/"
	else
		bad "$name: rendered at 1280x2000"
	fi

	[ "$name" = trend ] || return 0
	rm -rf "$tmp/profile"
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
	    --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$tmp/profile" --no-pdf-header-footer \
	    --print-to-pdf="$tmp/$name.pdf" "file://$html" > "$tmp/log" 2>&1
	# A4 landscape is 842 x 595 points.
	if [ -f "$tmp/$name.pdf" ] &&
	    head -c 5 "$tmp/$name.pdf" | grep -q '^%PDF-' &&
	    grep -a -q '/MediaBox \[0 0 841\.9[0-9]* 594\.9' "$tmp/$name.pdf"
	then
		ok "$name: prints ($(grep -a -o '/Type */Page\>' \
		    "$tmp/$name.pdf" | wc -l | tr -d ' ') A4 landscape pages)"
	else
		bad "$name: prints on A4 landscape"
	fi
}

header='#1d3557' rate='#2f6fd6' risk='#d9480f' rule='#7048e8'
if page trend "$here/../html-trend" 1 \
    -r ../../../examples/northwind-guidelines.yaml invoices; then
	check trend "$header" "$rate" "$risk" "$rule"
fi
if page hostile "$here/../html-hostile" 1 -r rules.yaml hostile.csv; then
	check hostile "$header" "$rate" "$risk"
fi
if page errors "$here/../html-errors" 2 -r ../core-rules.yaml bad.csv \
    ../../data/ledes/ledes98bi_v2_sample.txt no-such-file.txt; then
	check errors "$header" "$rate" "$risk"
fi
if page empty "$here" 2 no-such-file.txt; then
	check empty "$header"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
