# history-lib.sh - sourced by the history-* golden cmd scripts: copies the
# fixtures of history-data/ into the case's scratch directory ($TMPDIR) and
# works there, so reports name short files and the database is scratch.
# Under `make leakcheck` tests/run.sh makes $BILLCHECK run valgrind (an
# exec wrapper: a background run's $! is still the process to kill).
set -u
cp ../history-data/*.txt ../history-data/rules.yaml "$TMPDIR"/
cd "$TMPDIR" || exit 99
# Every run is recorded at 2026-04-01T00:00:00Z.
SOURCE_DATE_EPOCH=1775001600
export SOURCE_DATE_EPOCH

bc() {
	"$BILLCHECK" "$@"
}

# bc in the background: $! is billcheck itself, not a subshell, so that
# kill -9 hits it.
bc_bg() {
	"$BILLCHECK" "$@" &
}

# What a database holds, one line.
counts() {
	sqlite3 "$1" "SELECT (SELECT count(*) FROM runs) || ' runs, ' ||
	    (SELECT count(*) FROM invoices) || ' invoices, ' ||
	    (SELECT count(*) FROM line_fps) || ' fingerprints, ' ||
	    (SELECT count(*) FROM matter_spend) || ' spend rows, ' ||
	    (SELECT count(*) FROM tk_days) || ' timekeeper-days, ' ||
	    (SELECT count(*) FROM tk_rates) || ' rates, ' ||
	    (SELECT count(*) FROM findings) || ' findings'"
}

# Waits (up to 60 s) for a file to appear.
wait_for() {
	n=0
	while [ ! -e "$1" ] && [ $n -lt 600 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	[ -e "$1" ]
}
