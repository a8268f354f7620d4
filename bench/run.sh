#!/usr/bin/env bash
# run.sh - the billcheck benchmark (`make bench`, issue 3).
#
# Builds the generator and the baselines, generates LEDES 1998B and CSV
# invoice data at each size, and times, on the same warm files in one
# sitting: cat, wc -l, the parser alone (libcsv counter; LEDES split-only
# scan), Python's csv module, Miller, and billcheck with its built-in
# default rules (-f jsonl and -f text, -o /dev/null).  It measures peak RSS,
# profiles billcheck, and writes bench/RESULTS.md.
#
# Environment:
#   BENCH_DIR      scratch directory: tools, data, profiles
#                  (default /tmp/billcheck-bench; data is reused when the
#                  generator and size are unchanged)
#   BENCH_SIZES    sizes in MB, 1 MB = 10^6 bytes (default "100 1000")
#   BENCH_RUNS     timed runs per command (default 5 up to 100 MB, else 3)
#   BENCH_BUDGET   seconds the whole run should take (default 780): a
#                  larger size runs each command fewer times (at least 2)
#                  when the smaller size says it would not fit
#   BENCH_PROFILE  0 skips profiling (default 1)
#   BENCH_INSTALL  0 never installs hyperfine, miller or time (default 1:
#                  apt-get install them when missing and running as root)
#   BILLCHECK      the binary to measure (default ./billcheck)
#   CC             compiler for the bench tools (default cc)
#
# Nothing here asserts a time: the script reports.  It fails only when a
# tool cannot be built or the data cannot be written.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root"

BENCH_DIR=${BENCH_DIR:-/tmp/billcheck-bench}
SIZES=${BENCH_SIZES:-100 1000}
PROFILE=${BENCH_PROFILE:-1}
CC=${CC:-cc}
BILLCHECK=${BILLCHECK:-$root/billcheck}
RESULTS=$here/RESULTS.md
PROFILE_MB=20
PERF_SECONDS=10
BUDGET=${BENCH_BUDGET:-780}
SEED=20260401
TOOL_CFLAGS="-std=c11 -O2 -Wall -Wextra -Werror"

t_start=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
bin=$BENCH_DIR/bin
work=$BENCH_DIR/run
mkdir -p "$bin" "$work"
rm -f "$work"/*

log() { printf 'bench: %s\n' "$*" >&2; }

# ---- tools --------------------------------------------------------------

install_missing() {
	local pkgs=() p
	command -v hyperfine >/dev/null 2>&1 || pkgs+=(hyperfine)
	command -v mlr >/dev/null 2>&1 || pkgs+=(miller)
	[ -x /usr/bin/time ] || pkgs+=(time)
	[ ${#pkgs[@]} -eq 0 ] && return 0
	if [ "${BENCH_INSTALL:-1}" != 1 ] || [ "$(id -u)" != 0 ] ||
	    ! command -v apt-get >/dev/null 2>&1; then
		log "missing ${pkgs[*]}: not installing (not root, no apt-get" \
		    "or BENCH_INSTALL=0); using fallbacks"
		return 0
	fi
	for p in "${pkgs[@]}"; do
		log "apt-get install $p"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" \
		    >/dev/null 2>&1 ||
		    { apt-get update -qq >/dev/null 2>&1 &&
		    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" \
		    >/dev/null 2>&1; } ||
		    log "could not install $p; using a fallback"
	done
}

install_missing
have_hyperfine=0
command -v hyperfine >/dev/null 2>&1 && have_hyperfine=1
have_mlr=0
command -v mlr >/dev/null 2>&1 && have_mlr=1
have_python=0
command -v python3 >/dev/null 2>&1 && have_python=1
have_time=0
[ -x /usr/bin/time ] && have_time=1

log "building the bench tools in $bin"
$CC $TOOL_CFLAGS -o "$bin/gen" bench/gen.c
$CC $TOOL_CFLAGS -o "$bin/csvcount" bench/csvcount.c -lcsv
$CC $TOOL_CFLAGS -o "$bin/ledescount" bench/ledescount.c
if [ ! -x "$BILLCHECK" ]; then
	log "no $BILLCHECK: build it first (make)"
	exit 2
fi
# Measure a copy: others may rebuild ./billcheck while this runs.
cp "$BILLCHECK" "$bin/billcheck"
BILLCHECK=$bin/billcheck
bc_sum=$(sha256sum "$BILLCHECK" | cut -c1-12)

# ---- data ---------------------------------------------------------------

gen_sig=$(cat bench/gen.c | cksum | cut -d' ' -f1)

data_file() { # SIZE FORMAT
	echo "$BENCH_DIR/invoices-${1}MB.$2"
}

ensure_data() { # SIZE FORMAT
	local f stamp want
	f=$(data_file "$1" "$2")
	stamp="$f.stamp"
	want="gen $gen_sig seed $SEED size $1 format $2"
	if [ -f "$f" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]
	then
		log "reusing $f"
		return 0
	fi
	log "generating $f"
	rm -f "$stamp"
	"$bin/gen" -f "$2" -m "$1" -s "$SEED" >"$f.tmp" 2>"$f.stats"
	mv "$f.tmp" "$f"
	echo "$want" >"$stamp"
}

need=$PROFILE_MB
for s in $SIZES; do need=$((need + s)); done
avail=$(df -Pm "$BENCH_DIR" | awk 'NR == 2 { print $4 }')
if [ -n "$avail" ] && [ "$avail" -lt $((2 * need + 100)) ]; then
	log "warning: $BENCH_DIR has $avail MB free; the data needs up to" \
	    "$((2 * need)) MB"
fi
for s in $SIZES; do
	ensure_data "$s" ledes
	ensure_data "$s" csv
done

# ---- measuring ----------------------------------------------------------

# Results live in files under $work, keyed by SIZE.FORMAT.KEY:
# .t median seconds, .n runs, .rss peak RSS in KiB, .rc exit status.
fsize() { stat -c %s "$1"; }

median_of() { # numbers on stdin -> median
	sort -g | awk '{ a[NR] = $1 } END {
		if (NR == 0) { print "nan"; exit }
		if (NR % 2) m = a[(NR + 1) / 2]; else m = (a[NR / 2] + a[NR / 2 + 1]) / 2
		printf "%.6f\n", m }'
}

# Times COMMAND; its peak RSS comes from /usr/bin/time -v around the
# timed runs themselves when WRAP is 1 (long commands, where its ~1 ms does
# not matter), else from one more run.
measure() { # ID RUNS WARMUP WRAP COMMAND
	local id=$1 runs=$2 warm=$3 wrap=$4 cmd=$5 i s e
	if [ $have_time = 1 ] && [ "$wrap" = 1 ]; then
		cmd="/usr/bin/time -v -o '$work/$id.tv' $cmd"
	fi
	if [ $have_hyperfine = 1 ]; then
		hyperfine --style none -i --runs "$runs" --warmup "$warm" \
		    --export-json "$work/$id.json" "$cmd" \
		    >>"$work/hyperfine.log" 2>&1 || true
		grep -m1 '"median"' "$work/$id.json" 2>/dev/null |
		    sed 's/.*: *\([0-9.eE+-]*\).*/\1/' >"$work/$id.t" || true
		awk -F': *' '/"user"|"system"/ { sub(/,.*/, "", $2); c += $2 }
		    END { if (NR) printf "%.6f\n", c }' "$work/$id.json" \
		    >"$work/$id.cpu" 2>/dev/null || true
	else
		for ((i = 0; i < warm; i++)); do
			bash -c "$cmd" >/dev/null 2>&1 || true
		done
		for ((i = 0; i < runs; i++)); do
			s=$(date +%s%N)
			bash -c "$cmd" >/dev/null 2>&1 || true
			e=$(date +%s%N)
			echo $((e - s))
		done | awk '{ print $1 / 1e9 }' | median_of >"$work/$id.t"
	fi
	[ -s "$work/$id.t" ] || echo nan >"$work/$id.t"
	echo "$runs" >"$work/$id.n"
	if [ $have_time = 1 ] && [ "$wrap" != 1 ]; then
		/usr/bin/time -v -o "$work/$id.tv" bash -c "$cmd" \
		    >/dev/null 2>&1 || true
	fi
	if [ -s "$work/$id.tv" ]; then
		sed -n 's/.*Maximum resident set size (kbytes): *//p' \
		    "$work/$id.tv" >"$work/$id.rss"
		sed -n 's/.*Exit status: *//p' "$work/$id.tv" >"$work/$id.rc"
	fi
	log "  $(printf '%-22s' "$id") median $(cat "$work/$id.t") s," \
	    "peak RSS $(cat "$work/$id.rss" 2>/dev/null || echo '?') KiB"
}

get() { # ID EXT
	if [ -s "$work/$1.$2" ]; then cat "$work/$1.$2"; else echo nan; fi
}

# The memory target excludes the group checks' keyed state: the same
# defaults without the checks that keep state per line, timekeeper-day,
# invoice or matter show what is left.  Rules are blocks starting at
# "  - id:"; a block goes when its "    check:" is one of these.
keyed_checks="duplicate daily_hours attendees internal_conference rate_change task_hours multi_matter duplicate_invoice budget purchase_order ledes_format"
awk -v drop=" $keyed_checks " '
	function flush() { if (blk != "" && !skip) printf "%s", blk; blk = ""; skip = 0 }
	/^  - id: / { flush(); inrules = 1 }
	/^[^ #]/ && !/^rules:/ { flush(); inrules = 0 }
	!inrules { flush(); print; next }
	/^    check: / { c = $2; if (index(drop, " " c " ")) skip = 1 }
	{ blk = blk $0 "\n" }
	END { flush() }' rules/default.yaml >"$work/unkeyed.yaml"
unkeyed_line=$("$BILLCHECK" --check-rules -r "$work/unkeyed.yaml" 2>&1 | head -1 || true)
unkeyed_ids=$(sed -n 's/^  - id: *//p' "$work/unkeyed.yaml" | tr '\n' ' ')

# Keys, their labels and commands (FILE stands for the data file).
csv_keys="cat wc parser python mlr bc_jsonl bc_text bc_unkeyed"
ledes_keys="cat wc parser bc_jsonl bc_text bc_unkeyed"

label() { # FORMAT KEY
	case $2 in
	cat) echo "cat (the limit)" ;;
	wc) echo "wc -l (the limit)" ;;
	parser) [ "$1" = csv ] && echo "libcsv counter (parser alone)" ||
	    echo "LEDES split-only scan (parser alone)" ;;
	python) echo "Python csv module, count rows" ;;
	mlr) echo "Miller count" ;;
	bc_jsonl) echo "**billcheck, default rules, jsonl**" ;;
	bc_text) echo "**billcheck, default rules, text**" ;;
	bc_unkeyed) echo "billcheck, defaults without the keyed checks, jsonl" ;;
	esac
}

shown() { # FORMAT KEY: the command as printed in the table
	case $2 in
	cat) echo 'cat FILE > /dev/null' ;;
	wc) echo 'wc -l FILE' ;;
	parser) [ "$1" = csv ] && echo 'csvcount FILE' ||
	    echo 'ledescount FILE' ;;
	python) echo 'python3 bench/csvcount.py FILE' ;;
	mlr) echo 'mlr --icsv --ojson count FILE' ;;
	bc_jsonl) echo 'billcheck -f jsonl -o /dev/null FILE' ;;
	bc_text) echo 'billcheck -f text -o /dev/null FILE' ;;
	bc_unkeyed) echo 'billcheck -r unkeyed.yaml -f jsonl -o /dev/null FILE' ;;
	esac
}

command_for() { # FORMAT KEY FILE
	case $2 in
	cat) echo "cat '$3'" ;;
	wc) echo "wc -l '$3'" ;;
	parser) [ "$1" = csv ] && echo "'$bin/csvcount' '$3'" ||
	    echo "'$bin/ledescount' '$3'" ;;
	python) echo "python3 '$here/csvcount.py' '$3'" ;;
	mlr) echo "mlr --icsv --ojson count '$3'" ;;
	bc_jsonl) echo "'$BILLCHECK' -f jsonl -o /dev/null '$3'" ;;
	bc_text) echo "'$BILLCHECK' -f text -o /dev/null '$3'" ;;
	bc_unkeyed) echo "'$BILLCHECK' -r '$work/unkeyed.yaml' -f jsonl -o /dev/null '$3'" ;;
	esac
}

available() { # KEY
	case $1 in
	python) [ $have_python = 1 ] ;;
	mlr) [ $have_mlr = 1 ] ;;
	*) true ;;
	esac
}

prev=
for s in $(for s in $SIZES; do echo "$s"; done | sort -n); do
	if [ -n "${BENCH_RUNS:-}" ]; then
		runs=$BENCH_RUNS
	elif [ "$s" -le 100 ]; then
		runs=5
	else
		runs=3
	fi
	# Keep within BENCH_BUDGET: estimate this size from the last one
	# measured (time scales with bytes) and run fewer times if need be,
	# never fewer than 2.
	if [ -n "$prev" ]; then
		est=0
		for fmt in csv ledes; do
			keys=$csv_keys
			[ "$fmt" = ledes ] && keys=$ledes_keys
			for k in $keys; do
				available "$k" || continue
				est=$(awk -v e="$est" -v t="$(get "$prev.$fmt.$k" t)" \
				    -v s="$s" -v p="$prev" \
				    'BEGIN { if (t != "nan") e += t * s / p; print e }')
			done
		done
		left=$(( BUDGET - ($(date +%s) - t_start) - 150 ))
		r2=$(awk -v e="$est" -v n="$runs" -v l="$left" 'BEGIN {
			r = n; if (e * n > l) r = int(l / e); if (r < 2) r = 2
			if (r > n) r = n; print r }')
		if [ "$r2" -lt "$runs" ]; then
			log "$s MB: about $(printf '%.0f' "$est") s a round;" \
			    "$r2 runs instead of $runs to stay within" \
			    "BENCH_BUDGET=$BUDGET s"
			echo "$s MB: $r2 runs instead of $runs (about $(printf '%.0f' "$est") s a round; BENCH_BUDGET=$BUDGET s)" >>"$work/budget.notes"
			runs=$r2
		fi
	fi
	prev=$s
	# The files were just read once (generated or reused); read them
	# again so both sit in the page cache, then one warm-up run each
	# for small files (a 1 GB run warms itself).
	warm=1
	[ "$s" -gt 100 ] && warm=0
	for fmt in csv ledes; do
		f=$(data_file "$s" "$fmt")
		cat "$f" >/dev/null
		cat "$f" >/dev/null
		log "timing $f ($runs runs each)"
		keys=$csv_keys
		[ "$fmt" = ledes ] && keys=$ledes_keys
		for k in $keys; do
			available "$k" || continue
			wrap=1
			case $k in cat | wc | parser) wrap=0 ;; esac
			measure "$s.$fmt.$k" "$runs" "$warm" "$wrap" \
			    "$(command_for "$fmt" "$k" "$f")"
		done
	done
done

# What the checks found on the smallest files (they must do real work).
small=$(for s in $SIZES; do echo "$s"; done | sort -n | sed -n 1p)
large=$(for s in $SIZES; do echo "$s"; done | sort -n | tail -1)
for fmt in csv ledes; do
	"$BILLCHECK" -q -f jsonl -o "$work/findings.$fmt.jsonl" \
	    "$(data_file "$small" "$fmt")" >/dev/null 2>&1 || true
	"$BILLCHECK" -q -f json -o "$work/findings.$fmt.json" \
	    "$(data_file "$small" "$fmt")" >/dev/null 2>&1 || true
done
json_num() { # FILE KEY: the first "KEY": N in a JSON report
	grep -m1 -o "\"$2\": *[0-9]*" "$1" 2>/dev/null | grep -o '[0-9]*$' ||
	    echo '?'
}

# ---- profiling ----------------------------------------------------------

perf_hw=0
perf_sw=0
prof_note=""
if [ "$PROFILE" = 1 ]; then
	if command -v perf >/dev/null 2>&1; then
		if perf stat -e instructions true >"$work/perfstat" 2>&1 &&
		    ! grep -qi 'not supported\|not counted' "$work/perfstat"
		then
			perf_hw=1
		elif perf record -e cpu-clock -o "$work/perf.test" true \
		    >/dev/null 2>&1; then
			perf_sw=1
		fi
	fi
	if [ $perf_hw = 0 ] && command -v valgrind >/dev/null 2>&1; then
		ensure_data "$PROFILE_MB" ledes
		ensure_data "$PROFILE_MB" csv
		for fmt in ledes csv; do
			log "callgrind: billcheck on $(data_file "$PROFILE_MB" "$fmt")"
			valgrind --tool=callgrind \
			    --callgrind-out-file="$work/callgrind.$fmt.out" \
			    "$BILLCHECK" -q -f jsonl -o /dev/null \
			    "$(data_file "$PROFILE_MB" "$fmt")" \
			    >/dev/null 2>"$work/callgrind.$fmt.log" || true
			callgrind_annotate --auto=no "$work/callgrind.$fmt.out" \
			    >"$work/cg.self.$fmt" 2>/dev/null || true
			callgrind_annotate --auto=no --inclusive=yes \
			    "$work/callgrind.$fmt.out" \
			    >"$work/cg.incl.$fmt" 2>/dev/null || true
		done
	elif [ $perf_hw = 0 ]; then
		prof_note="No usable perf and no valgrind: no profile."
	fi
	if [ $perf_hw = 1 ] || [ $perf_sw = 1 ]; then
		ev=cpu-clock
		[ $perf_hw = 1 ] && ev=cycles
		for fmt in ledes csv; do
			log "perf record ($ev): billcheck on $(data_file "$large" "$fmt")"
			# The first PERF_SECONDS of the run: the input is
			# uniform, so they stand for the whole file.
			perf record -e "$ev" -F 999 -o "$work/perf.$fmt.data" -- \
			    timeout -s INT "$PERF_SECONDS" \
			    "$BILLCHECK" -q -f jsonl -o /dev/null \
			    "$(data_file "$large" "$fmt")" >/dev/null 2>&1 || true
			perf report -i "$work/perf.$fmt.data" --stdio \
			    --no-children --sort dso,sym,srcfile --percent-limit 0.8 \
			    2>/dev/null | grep -v '^#' | grep -v '^ *$' \
			    >"$work/perf.$fmt.txt" || true
		done
	fi
fi

# ---- the report ---------------------------------------------------------

# From here on a short read (head) may end a writer early: that is no
# error, and a missing number prints as n/a.
set +e +o pipefail

fmt_num() { # VALUE DECIMALS
	awk -v v="$1" -v d="$2" 'BEGIN {
		if (v == "nan" || v == "") { print "n/a"; exit }
		printf "%.*f\n", d, v }'
}

ratio() { # A B -> A / B
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "nan" || b == "nan" || a == "" || b == "" || b + 0 == 0)
			{ print "n/a"; exit }
		printf "%.2f\n", a / b }'
}

mbps() { # BYTES SECONDS
	awk -v n="$1" -v t="$2" 'BEGIN {
		if (t == "nan" || t + 0 == 0) { print "n/a"; exit }
		printf "%.0f\n", n / 1e6 / t }'
}

mib() { # KiB -> MiB
	awk -v k="$1" 'BEGIN {
		if (k == "nan" || k == "") { print "n/a"; exit }
		printf "%.1f\n", k / 1024 }'
}

stat_field() { # STATS-FILE WORD -> the number before WORD
	sed -n "s|.* \([0-9][0-9]*\) $2.*|\1|p" "$1" | head -1
}

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
[ -n "$cpu_model" ] || cpu_model=$(uname -m)
mem_total=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
git_rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- src include rules Makefile 2>/dev/null)" ]
then
	git_rev="$git_rev + uncommitted changes"
fi
rules_line=$("$BILLCHECK" --check-rules 2>&1 | head -1 || true)
rule_ids=$(sed -n 's/^  - id: *//p' rules/default.yaml | tr '\n' ' ')

{
echo "# billcheck benchmark results"
echo
echo "Written by \`make bench\` (\`bench/run.sh\`) on $(date -u '+%Y-%m-%d %H:%M UTC')."
echo "Do not edit by hand: re-run \`make bench\` (\`BENCH_SIZES=\"100\"\` for the"
echo "100 MB set only).  Issue 3 holds the targets; nothing here is asserted."
echo
echo "## Machine and method"
echo
if awk -v l="${load_start%% *}" -v n="$(nproc)" 'BEGIN { exit !(l + 0 > n / 2) }'
then
	echo "**The machine was busy when this run started (load ${load_start%% *} on"
	echo "$(nproc) CPUs): wall times are inflated; the CPU s column is steadier.**"
	echo
fi
echo "- CPU: $cpu_model, nproc $(nproc); memory $mem_total; Linux $(uname -r)"
echo "- load average (1, 5, 15 min) at the start $load_start, at the end $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'): other work on the machine slows every row alike only roughly, so compare rows of one run"
echo "- billcheck $("$BILLCHECK" --version 2>/dev/null | awk '{ print $2 }') (binary sha256 $bc_sum..., copied to BENCH_DIR at the start), commit $git_rev, built by \`make\` (\`$(grep -m1 '^CFLAGS' Makefile | tr -s ' \t' ' ')\`)"
echo "- rules: the built-in defaults (\`rules/default.yaml\`): $rules_line"
echo "  - rule ids: $rule_ids"
echo "- tools: $(hyperfine --version 2>/dev/null || echo 'no hyperfine (timed with a loop)'); $(python3 --version 2>&1 || echo 'no python3'); $(mlr --version 2>/dev/null || echo 'no Miller'); libcsv $(dpkg-query -W -f '${Version}' libcsv3 2>/dev/null || echo '?'); $($CC --version | head -1)"
echo "- method: files in the page cache (read twice before timing); each"
echo "  command timed in one sitting, median wall time of the runs shown"
echo "  (hyperfine, \`-i\` since billcheck exits 1 on findings; one warm-up run"
echo "  at 100 MB); peak RSS from \`/usr/bin/time -v\` (around the timed runs"
echo "  for Python, Miller and billcheck; one more run for the others)."
echo "  CPU s is user + system time (hyperfine's mean), which other load on"
echo "  the machine inflates far less than wall time.  billcheck parses a"
echo "  CSV file on one thread while the checks run on another"
echo "  (\`src/pipeline.c\`), so its CPU s is the sum of both and can exceed"
echo "  its wall time; a LEDES file is read and checked on one thread.  Wall"
echo "  time is what the targets are held to."
if [ -s "$work/budget.notes" ]; then
	sed 's/^/  Fewer runs: /' "$work/budget.notes"
fi
echo "  MB = 10^6 bytes.  Ratios are time ÷ the baseline's time (lower is"
echo "  faster).  For LEDES the parser-alone baseline is the split-only scan"
echo "  (\`bench/ledescount.c\`); for CSV the libcsv counter (\`bench/csvcount.c\`)."
echo
echo "## Data"
echo
echo "Generated by \`bench/gen.c\` (seed $SEED): 6 firms, ~600 timekeepers"
echo "(PARTNR, OFCOUN, ASSOC, PARALG), ~300 matters billed monthly, invoices of"
echo "20-400 lines, narratives of 40-200 characters with commas and quotes;"
echo "LEDES 1998B (24 fields, \`[]\`, CRLF) and CSV (LEDES-like header aliases,"
echo "RFC 4180 quoting, CRLF) of the same invoices.  Planted exceptions:"
echo
echo "| file | bytes | invoices | lines | fees | expenses | IF/IE | line totals | invoice totals | odd increments | missing codes | above cap | block-billed | vague | duplicates |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for s in $SIZES; do
	for fmt in csv ledes; do
		f=$(data_file "$s" "$fmt")
		st="$f.stats"
		printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
		    "$(basename "$f")" "$(fsize "$f")" \
		    "$(stat_field "$st" invoices)" "$(stat_field "$st" lines)" \
		    "$(sed -n 's/.*(\([0-9]*\) fees.*/\1/p' "$st")" \
		    "$(stat_field "$st" expenses)" "$(stat_field "$st" IF/IE)" \
		    "$(stat_field "$st" 'line totals')" \
		    "$(stat_field "$st" 'invoice totals')" \
		    "$(stat_field "$st" 'odd increments')" \
		    "$(stat_field "$st" 'missing codes')" \
		    "$(stat_field "$st" 'rates above cap')" \
		    "$(stat_field "$st" block-billed)" \
		    "$(stat_field "$st" vague)" \
		    "$(stat_field "$st" duplicates)"
	done
done
echo
for s in $SIZES; do
	echo "## Results at $s MB"
	echo
	for fmt in csv ledes; do
		f=$(data_file "$s" "$fmt")
		bytes=$(fsize "$f")
		base=$(get "$s.$fmt.parser" t)
		catt=$(get "$s.$fmt.cat" t)
		if [ "$fmt" = csv ]; then
			echo "### CSV: $(basename "$f"), $(fmt_num "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" 1) MB, $(stat_field "$f.stats" lines) rows"
			bname="× libcsv counter"
			keys=$csv_keys
		else
			echo "### LEDES 1998B: $(basename "$f"), $(fmt_num "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" 1) MB, $(stat_field "$f.stats" lines) lines"
			bname="× split-only scan"
			keys=$ledes_keys
		fi
		echo
		echo "| what | command | runs | median s | MB/s | $bname | × cat | CPU s | peak RSS MiB |"
		echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
		for k in $keys; do
			available "$k" || { echo "| $(label "$fmt" "$k") | not installed | | | | | | | |"; continue; }
			id="$s.$fmt.$k"
			t=$(get "$id" t)
			rc=$(get "$id" rc)
			note=""
			case $rc in 0 | 1 | nan) ;; *) note=" (exit $rc)" ;; esac
			printf '| %s | `%s`%s | %s | %s | %s | %s | %s | %s | %s |\n' \
			    "$(label "$fmt" "$k")" "$(shown "$fmt" "$k")" "$note" \
			    "$(get "$id" n)" "$(fmt_num "$t" 3)" \
			    "$(mbps "$bytes" "$t")" "$(ratio "$t" "$base")" \
			    "$(ratio "$t" "$catt")" "$(fmt_num "$(get "$id" cpu)" 3)" \
			    "$(mib "$(get "$id" rss)")"
		done
		echo
	done
done

nsizes=$(echo $SIZES | wc -w)
if [ "$nsizes" -ge 2 ]; then
	echo "## Scaling and memory: billcheck at $small MB and $large MB"
	echo
	echo "| format | output | s at $small MB | s at $large MB | time ratio | bytes ratio | RSS MiB at $small MB | RSS MiB at $large MB | RSS growth, bytes per input line |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
	for fmt in ledes csv; do
		for k in bc_jsonl bc_text; do
			a=$(get "$small.$fmt.$k" t)
			b=$(get "$large.$fmt.$k" t)
			printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
			    "$fmt" "${k#bc_}" "$(fmt_num "$a" 3)" "$(fmt_num "$b" 3)" \
			    "$(ratio "$b" "$a")" \
			    "$(ratio "$(fsize "$(data_file "$large" "$fmt")")" \
			    "$(fsize "$(data_file "$small" "$fmt")")")" \
			    "$(mib "$(get "$small.$fmt.$k" rss)")" \
			    "$(mib "$(get "$large.$fmt.$k" rss)")" \
			    "$(awk -v a="$(get "$small.$fmt.$k" rss)" \
			    -v b="$(get "$large.$fmt.$k" rss)" \
			    -v m="$(stat_field "$(data_file "$small" "$fmt").stats" lines)" \
			    -v n="$(stat_field "$(data_file "$large" "$fmt").stats" lines)" \
			    'BEGIN { if (a == "nan" || b == "nan" || n <= m) print "n/a"
			    else printf "%.0f\n", (b - a) * 1024 / (n - m) }')"
		done
	done
	echo
	echo "Peak RSS that grows with the input is the checks' keyed state and"
	echo "the findings kept for the sorted report; the last column is that"
	echo "growth per input line between the two sizes."
	echo
fi

echo "## Memory: the keyed state"
echo
echo "The memory target counts what billcheck holds besides the compact keyed"
echo "state of its group checks.  So \`unkeyed.yaml\` is \`rules/default.yaml\`"
echo "without the rules of these checks: $keyed_checks"
echo "($unkeyed_line; rule ids: $unkeyed_ids)."
echo "Its peak RSS is everything else: reader, pipeline, engine, the other"
echo "checks, findings (spilled to a temporary file past a few MB).  The keyed"
echo "state is the difference from the full defaults."
echo
echo "| file | peak RSS MiB, defaults | peak RSS MiB, without the keyed checks | keyed state MiB | lines | keyed state, bytes per line |"
echo "|---|---:|---:|---:|---:|---:|"
for s in $(for s in $SIZES; do echo "$s"; done | sort -n); do
	for fmt in ledes csv; do
		a=$(get "$s.$fmt.bc_jsonl" rss)
		u=$(get "$s.$fmt.bc_unkeyed" rss)
		n=$(stat_field "$(data_file "$s" "$fmt").stats" lines)
		printf '| %s | %s | %s | %s | %s | %s |\n' \
		    "$(basename "$(data_file "$s" "$fmt")")" "$(mib "$a")" \
		    "$(mib "$u")" \
		    "$(awk -v a="$a" -v u="$u" 'BEGIN { if (a == "nan" || u == "nan") print "n/a"; else printf "%.1f\n", (a - u) / 1024 }')" \
		    "$n" \
		    "$(awk -v a="$a" -v u="$u" -v n="$n" 'BEGIN { if (a == "nan" || u == "nan" || n + 0 == 0) print "n/a"; else printf "%.0f\n", (a - u) * 1024 / n }')"
	done
done
echo
echo "Per key (from the code; each map's slot array and entry array double as"
echo "they fill, so up to about twice this for the moment they do):"
echo
echo "- duplicate: 24 bytes a fingerprint (one per fee and expense line) in an"
echo "  open-addressing table per date at load 3/8 to 3/4, so 32 to 64 bytes a"
echo "  line, plus the smaller tables they outgrew, kept for other dates to"
echo "  grow into, and 16 bytes for each date from the earliest seen to the"
echo "  latest."
echo "- daily_hours: 67 to 77 bytes a timekeeper-day (44 more for a day of three"
echo "  lines or more), however many lines make it, in a map per date (8 bytes"
echo "  for each date from the earliest seen to the latest)."
echo "- attendees, internal_conference: per matter-day with a conference in the"
echo "  narratives, and per timekeeper on it; rate_change: per timekeeper; task_hours, multi_matter,"
echo "  duplicate_invoice, ledes_format: per invoice; budget, purchase_order:"
echo "  per matter.  Each is a keymap entry: 24 bytes + value + 11 to 22 bytes"
echo "  of slot (include/keymap.h)."
echo

echo "## Targets (issue 3), at $large MB"
echo
lb=$(fsize "$(data_file "$large" ledes)")
lt=$(get "$large.ledes.bc_jsonl" t)
ct=$(get "$large.csv.bc_jsonl" t)
cb=$(get "$large.csv.parser" t)
rss_max=$(for fmt in ledes csv; do for k in bc_jsonl bc_text; do
	get "$large.$fmt.$k" rss; done; done | grep -v nan | sort -n | tail -1)
[ -n "$rss_max" ] || rss_max=nan
verdict() { # VALUE OP LIMIT
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
		if (v == "n/a" || v == "nan" || v == "") { print "n/a"; exit }
		ok = (op == ">=") ? (v + 0 >= l + 0) : (v + 0 <= l + 0)
		print ok ? "met" : "**not met**" }'
}
ltc=$(get "$large.ledes.bc_jsonl" cpu)
ctc=$(get "$large.csv.bc_jsonl" cpu)
cbc=$(get "$large.csv.parser" cpu)
echo "| target | limit | by wall time | by CPU time | met (wall time) |"
echo "|---|---:|---:|---:|---|"
v=$(mbps "$lb" "$lt")
echo "| LEDES, billcheck jsonl, MB/s | ≥ 600 (stretch 1000) | $v | $(mbps "$lb" "$ltc") | $(verdict "$v" ">=" 600) |"
v=$(ratio "$ct" "$cb")
echo "| CSV, billcheck jsonl ÷ libcsv counter | ≤ 1.3 | $v | $(ratio "$ctc" "$cbc") | $(verdict "$v" "<=" 1.3) |"
v=$(mib "$rss_max")
echo "| peak RSS of billcheck with the keyed state (any format/output), MiB | none (the state is per key, below) | $v | | n/a |"
rss_unkeyed=$(for fmt in ledes csv; do get "$large.$fmt.bc_unkeyed" rss; done |
	grep -v nan | sort -n | tail -1)
[ -n "$rss_unkeyed" ] || rss_unkeyed=nan
v=$(mib "$rss_unkeyed")
echo "| peak RSS besides the keyed state (defaults without the keyed checks), MiB | ≤ 64 | $v | | $(verdict "$v" "<=" 64) |"
if [ "$nsizes" -ge 2 ]; then
	for fmt in ledes csv; do
		v=$(ratio "$(get "$large.$fmt.bc_jsonl" t)" "$(get "$small.$fmt.bc_jsonl" t)")
		echo "| $fmt time $small MB → $large MB (jsonl) | ≤ 10.5 | $v | $(ratio "$(get "$large.$fmt.bc_jsonl" cpu)" "$(get "$small.$fmt.bc_jsonl" cpu)") | $(verdict "$v" "<=" 10.5) |"
	done
fi
echo

echo "## Findings on the $small MB files"
echo
echo "billcheck -f jsonl, counted by check (what the planted exceptions, and"
echo "whatever else the data holds, produced):"
echo
echo "| check | CSV | LEDES |"
echo "|---|---:|---:|"
for fmt in csv ledes; do
	grep -o '"check":"[a-z_]*"' "$work/findings.$fmt.jsonl" 2>/dev/null |
	    sed 's/"check":"\(.*\)"/\1/' | sort | uniq -c |
	    awk -v f="$fmt" '{ print $2, f, $1 }'
done | awk '{ n[$1 " " $2] = $3; c[$1] = 1 }
    END { for (k in c) printf "| %s | %d | %d |\n", k, n[k " csv"], n[k " ledes"] }' |
    sort
printf '| **total** | %s | %s |\n' \
    "$(wc -l <"$work/findings.csv.jsonl" 2>/dev/null || echo 0)" \
    "$(wc -l <"$work/findings.ledes.jsonl" 2>/dev/null || echo 0)"
for k in records checked rejected; do
	printf '| input %s (from -f json) | %s | %s |\n' "$k" \
	    "$(json_num "$work/findings.csv.json" "$k")" \
	    "$(json_num "$work/findings.ledes.json" "$k")"
done
echo

echo "## Where the time goes"
echo
if [ "$PROFILE" != 1 ]; then
	echo "Profiling skipped (BENCH_PROFILE=0)."
elif [ -n "$prof_note" ]; then
	echo "$prof_note"
fi
for fmt in ledes csv; do
	self=$work/cg.self.$fmt
	incl=$work/cg.incl.$fmt
	[ -s "$self" ] || continue
	total=$(awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }' "$self")
	# Inclusive cost of a function given as FILE:NAME (first match).
	inc() {
		awk -v fn="$1" '$0 ~ fn" " || $0 ~ fn"$" {
			gsub(",", "", $1); print $1; exit }' "$incl"
	}
	case $fmt in
	ledes) feed=$(inc "src/ledes.c:ledes_feed") ;;
	csv) feed=$(inc "src/csvin.c:csvin_feed") ;;
	esac
	online=$(inc "src/engine.c:on_line")
	pct() { awk -v a="${1:-0}" -v t="$total" 'BEGIN { if (t > 0) printf "%.1f%%", 100 * a / t; else print "n/a" }'; }
	echo "### $(echo "$fmt" | tr a-z A-Z): callgrind, billcheck -f jsonl on the $PROFILE_MB MB file"
	echo
	echo "Instructions (Ir), $(awk -v t="$total" 'BEGIN { printf "%.0f", t / 1e6 }') M in all."
	echo "Split by stage (inclusive costs; the reader calls the engine per line):"
	echo
	echo "| stage | share of Ir |"
	echo "|---|---:|"
	echo "| reading and parsing (feed minus engine) | $(pct "$(awk -v a="${feed:-0}" -v b="${online:-0}" 'BEGIN { print a - b }')") |"
	echo "| engine and checks (\`engine.c:on_line\`, inclusive) | $(pct "${online:-0}") |"
	echo "| the rest: start-up, rules, per-invoice end, report | $(pct "$(awk -v t="$total" -v a="${feed:-0}" 'BEGIN { print t - a }')") |"
	echo
	echo "Per check (\`on_line\` hooks, inclusive; what each check costs):"
	echo
	echo "| check hook | share of Ir |"
	echo "|---|---:|"
	grep -E '^ *[0-9,]+ +\( *[0-9.]+%\) +src/checks/[a-z_]+\.c:on_[a-z_]+ \[' \
	    "$incl" | head -10 |
	    awk '{ p = $0; sub(/^[^(]*\( */, "", p); sub(/%\).*/, "%", p)
		f = $0; sub(/^.*src\/checks\//, "", f); sub(/ \[.*/, "", f)
		printf "| `%s` | %s |\n", f, p }'
	echo
	echo "Self cost by source file or library:"
	echo
	echo "| where | share of Ir |"
	echo "|---|---:|"
	awk '/file:function/ { m = 1; next } m == 1 && /^-+$/ { m = 2; next }
		m == 2 && /^-+$/ { exit } m == 2 && /\(/ {
		n = $1; gsub(",", "", n)
		loc = $0; sub(/^[^)]*\)[ ]+/, "", loc)
		obj = "libc.so.6"
		if (loc ~ / \[/) {
			obj = loc; sub(/.*\[/, "", obj); sub(/\].*/, "", obj)
		}
		file = loc; sub(/ \[.*/, "", file); sub(/:[^:]*$/, "", file)
		if (obj ~ /billcheck/ && file != "???") key = file
		else { key = obj; sub(/.*\//, "", key) }
		c[key] += n }
		END { for (k in c) print c[k], k }' "$self" |
	    sort -rn | head -12 |
	    while read -r n k; do echo "| $k | $(pct "$n") |"; done
	echo
	echo "Top functions, self cost:"
	echo
	echo "| share | function |"
	echo "|---:|---|"
	awk '/file:function/ { m = 1; next } m == 1 && /^-+$/ { m = 2; next }
		m == 2 && /^-+$/ { exit } m == 2 && /\(/ {
		pc = $0; sub(/^[^(]*\( */, "", pc); sub(/%\).*/, "%", pc)
		loc = $0; sub(/^[^)]*\)[ ]+/, "", loc)
		obj = ""
		if (loc ~ / \[/) {
			obj = loc; sub(/.*\[/, "", obj); sub(/\].*/, "", obj)
			sub(/.*\//, "", obj); sub(/\.so.*/, "", obj)
		}
		sub(/ \[.*/, "", loc)
		sub(/.*\/sysdeps\/[^ ]*\//, "libc:", loc)
		sub(/^\.\/[^ ]*\//, "libc:", loc)
		if (loc ~ /^\?\?\?:/ && obj != "") sub(/^\?\?\?/, obj, loc)
		print "| " pc " | `" loc "` |" }' "$self" | head -18
	echo
done
for fmt in ledes csv; do
	[ -s "$work/perf.$fmt.txt" ] || continue
	echo "### $(echo "$fmt" | tr a-z A-Z): perf ($([ $perf_hw = 1 ] && echo cycles || echo cpu-clock) samples), billcheck -f jsonl, first $PERF_SECONDS s of the $large MB file"
	echo
	echo "| share | object | function |"
	echo "|---:|---|---|"
	awk 'NF >= 3 && $1 ~ /%$/ { o = $2; $1 = $1; s = $0
		sub(/^[^ ]+ +[^ ]+ +(\[[^]]*\] +)?/, "", s)
		sub(/( +-)+ *$/, "", s)
		n = split(s, w, " ")
		if (n >= 2) s = w[n] ":" w[1]
		printf "| %s | %s | `%s` |\n", $1, o, s }' "$work/perf.$fmt.txt" |
	    head -20
	echo
done
t_end=$(date +%s)
echo "---"
echo
echo "This run of \`bench/run.sh\` took $((t_end - t_start)) s (sizes: $SIZES)."
} >"$RESULTS.tmp"
mv "$RESULTS.tmp" "$RESULTS"
log "wrote $RESULTS in $(( $(date +%s) - t_start )) s"
