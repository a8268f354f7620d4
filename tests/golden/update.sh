#!/bin/sh
# Rewrites the expected files of golden cases from the current binary:
#   tests/golden/update.sh [case...]
# Review `git diff tests/golden` before committing: this is how intended
# changes to the output are recorded, and the only way they should be.
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "$here/../.." && pwd)/${BUILD:-build}/billcheck
export LC_ALL=C
cd "$here" || exit 1
cases=${*:-$(ls -d */ | tr -d /)}
for c in $cases; do
	# Like tests/run.sh, only directories with args or cmd are cases
	# (html-render holds the browser test that `make htmltest` runs).
	[ -f "$c/args" ] || [ -f "$c/cmd" ] || continue
	(
		cd "$c" || exit 1
		if [ -f cmd ]; then
			tmp=$(mktemp -d)
			BILLCHECK="$bin" TMPDIR="$tmp" sh ./cmd > expected.out 2> expected.err
			echo $? > expected.status
			rm -rf "$tmp"
		else
			args=$(cat args)
			if [ -f stdin ]; then
				eval "\"$bin\" $args" < stdin > expected.out 2> expected.err
			else
				eval "\"$bin\" $args" < /dev/null > expected.out 2> expected.err
			fi
			echo $? > expected.status
		fi
		echo "$c: exit $(cat expected.status)"
	)
done
