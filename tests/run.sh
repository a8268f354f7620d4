#!/bin/sh
# Runs the unit binaries and the golden cases; keeps going past failures and
# ends with one line "N passed, N failed".  Usage: tests/run.sh [unit|golden]
BUILD=${BUILD:-build}
what=${1:-all}
pass=0
fail=0
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "$here/.." && pwd)/$BUILD/billcheck

if [ "$what" = all ] || [ "$what" = unit ]; then
	for t in "$BUILD"/tests/test_*; do
		[ -x "$t" ] || continue
		if "$t" > "$BUILD/$(basename "$t").log" 2>&1; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL unit $(basename "$t")"
			sed 's/^/    /' "$BUILD/$(basename "$t").log" | tail -30
		fi
	done
fi

if [ "$what" = all ] || [ "$what" = golden ]; then
	for dir in "$here"/golden/*/; do
		[ -f "$dir/args" ] || [ -f "$dir/cmd" ] || continue
		name=$(basename "$dir")
		out=$(mktemp -d)
		# args holds the command line, run from the case directory.
		(
			cd "$dir" || exit 99
			if [ -f cmd ]; then
				# A shell script for cases that need more than one
				# command (files written by -o or --per-firm).
				mkdir "$out/work"
				run="$bin"
				if [ -n "$VALGRIND" ] && [ ! -f no-valgrind ]; then
					# Leaks or errors show as status 99 in the output.
					run="$out/valgrind-billcheck"
					printf '#!/bin/sh\nexec valgrind -q --leak-check=full --errors-for-leak-kinds=all --error-exitcode=99 "%s" "$@"\n' "$bin" > "$run"
					chmod +x "$run"
				fi
				BILLCHECK="$run" TMPDIR="$out/work" sh ./cmd > "$out/out" 2> "$out/err"
				echo $? > "$out/status"
				exit 0
			fi
			args=$(cat args)
			input=/dev/null
			[ -f stdin ] && input=stdin
			if [ -n "$VALGRIND" ]; then
				eval "valgrind -q --leak-check=full --errors-for-leak-kinds=all --error-exitcode=99 \"$bin\" $args" \
				    < "$input" > "$out/out" 2> "$out/err"
			elif [ -f stdin ]; then
				eval "\"$bin\" $args" < stdin > "$out/out" 2> "$out/err"
			else
				eval "\"$bin\" $args" < /dev/null > "$out/out" 2> "$out/err"
			fi
			echo $? > "$out/status"
		)
		ok=1
		if [ -n "$VALGRIND" ]; then
			# valgrind adds its own lines; only the status and stdout matter.
			grep -q '^99$' "$out/status" && ok=0
			cmp -s "$dir/expected.out" "$out/out" || ok=0
		else
			for f in out err status; do
				if ! cmp -s "$dir/expected.$f" "$out/$f"; then
					ok=0
					echo "FAIL golden $name: $f differs"
					diff -u "$dir/expected.$f" "$out/$f" | head -40 | sed 's/^/    /'
				fi
			done
		fi
		if [ $ok = 1 ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			[ -n "$VALGRIND" ] && echo "FAIL golden $name (valgrind)" && sed 's/^/    /' "$out/err" | head -40
		fi
		rm -rf "$out"
	done
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
