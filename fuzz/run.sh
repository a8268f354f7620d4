#!/bin/sh
# Runs one libFuzzer target for a bounded time with its seed corpus:
#   fuzz/run.sh TARGET [SECONDS]     (TARGET: ledes csv rules decimal_date)
# Run from the top of the tree after `make fuzz`.  The exit status is
# libFuzzer's: 0 when the time ran out with nothing found, non-zero on a
# crash, a leak, a timeout or an out-of-memory; the input that did it is
# saved as build-fuzz/artifacts/TARGET-crash-<sha1> (add it to
# tests/hostile/ and to fuzz/corpus/TARGET/ once the bug is fixed).
# FUZZ_BUILD (default build-fuzz) and FUZZ_ARGS (extra libFuzzer flags)
# may be set in the environment.
set -u
t=${1:?usage: fuzz/run.sh TARGET [SECONDS]}
secs=${2:-60}
b=${FUZZ_BUILD:-build-fuzz}
bin=$b/fuzz_$t
[ -x "$bin" ] || { echo "fuzz/run.sh: $bin is not built (make fuzz)" >&2; exit 2; }

case $t in
ledes)        maxlen=8192;  dict=fuzz/ledes.dict ;;
csv)          maxlen=8192;  dict=fuzz/csv.dict ;;
rules)        maxlen=16384; dict=fuzz/rules.dict ;;
decimal_date) maxlen=128;   dict=fuzz/decimal_date.dict ;;
*) echo "fuzz/run.sh: unknown target '$t'" >&2; exit 2 ;;
esac

seed=$b/seed-$t
corpus=$b/corpus-$t
mkdir -p "$seed" "$corpus" "$b/artifacts"
rm -f "$seed"/*

# seed FILE MODE-OCTAL: the file as is (its first byte is the mode), and
# once more behind the given mode byte.
seed() {
	[ -f "$1" ] || return 0
	n=$(basename "$1")
	d=$(basename "$(dirname "$1")")
	cp "$1" "$seed/$d-$n"
	[ -n "${2:-}" ] && { printf "\\$2"; cat "$1"; } > "$seed/$d-$n.m$2"
	return 0
}

case $t in
ledes)
	# mode 074: format by content, chunks of up to 4096 bytes, a small
	# record limit, and a run through the engine.
	for f in tests/data/ledes/* examples/invoices/*.txt ../shared/samples/ledes/* \
	    tests/hostile/*.txt tests/hostile/*.ledes; do
		seed "$f" 074
	done ;;
csv)
	# mode 234: the data's own header, chunks of up to 4096 bytes, a
	# small record limit, and a run through the engine.
	for f in tests/data/csv/* examples/invoices/*.csv ../shared/samples/csv/* \
	    tests/hostile/*.csv tests/hostile/*.tsv; do
		seed "$f" 234
	done ;;
rules)
	for f in rules/*.yaml examples/*.yaml tests/golden/*.yaml \
	    tests/golden/*/*.yaml tests/hostile/*.yaml ../shared/*.yaml; do
		seed "$f"
	done ;;
decimal_date)
	: ;; # fuzz/corpus/decimal_date only
esac
[ -d "fuzz/corpus/$t" ] && cp fuzz/corpus/"$t"/* "$seed"/ 2>/dev/null
# Inputs that once crashed this target: replayed first, so a regression
# fails the run at once.
[ -d "tests/hostile/fuzz-$t" ] && cp tests/hostile/fuzz-"$t"/* "$seed"/ 2>/dev/null
# Hostile seeds may be larger than max_len; libFuzzer cuts them.

# The first directory is the growing corpus; the seeds are read only.
exec "$bin" -max_total_time="$secs" -max_len="$maxlen" -timeout=10 \
    -rss_limit_mb=2560 -print_final_stats=1 -dict="$dict" \
    -artifact_prefix="$b/artifacts/$t-" ${FUZZ_ARGS:-} "$corpus" "$seed"
