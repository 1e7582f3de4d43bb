# points.awk - a lab's README against its manifest: the points table and
# the sentences that sum points (check.sh).
#
#   awk -f points.awk MANIFEST README.md
#
# MANIFEST: conf.awk's records of labs/labN/lab.conf.  In README.md:
#   | `NAME` | POINTS | ...      one row per test the handout has (every
#                                test but the hidden ones), in the
#                                manifest's order, with its points;
#   | total | POINTS | ...       their sum;
#   "worth N more points"        if present: the hidden tests' sum;
#   "earns the N points"         if present: the free tests' sum.
# Each disagreement is "README.md:LINE: message" on stderr; exit status 1.
BEGIN { FS = "\t"; nt = 0; vis = hid = free = 0 }
FNR == NR {
	if ($1 != "test") next
	if ($5 ~ /(^|,)hidden(,|$)/) { hid += $3; hidden[$2] = 1; next }
	name[++nt] = $2; pts[nt] = $3; vis += $3
	if ($5 ~ /(^|,)free(,|$)/) free += $3
	next
}
function bad(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	err = 1
}
/^\| `[A-Za-z0-9_]+` \| / {
	split($0, c, /[ \t]*\|[ \t]*/)
	t = c[2]; gsub(/`/, "", t); p = c[3]
	row++
	if (t in hidden) bad("the table lists the hidden test " t)
	else if (row > nt) bad("the table lists " t ", the manifest has no more tests")
	else if (t != name[row]) bad("the table's row " row " is " t ", the manifest's test " row " is " name[row])
	else if (p + 0 != pts[row] + 0 || p !~ /^[0-9.]+$/) bad("the table gives " t " " p " points, the manifest " pts[row])
	next
}
/^\| total \| / {
	split($0, c, /[ \t]*\|[ \t]*/)
	seen_total = 1
	if (c[3] + 0 != vis) bad("the table's total is " c[3] ", the manifest's tests (not hidden) sum to " vis)
	next
}
/worth [0-9.]+ more points/ {
	s = $0; sub(/.*worth /, "", s); sub(/ .*/, "", s)
	if (s + 0 != hid) bad("says the hidden tests are worth " s " more points, the manifest " hid)
}
/earns the [0-9.]+ points/ {
	s = $0; sub(/.*earns the /, "", s); sub(/ .*/, "", s)
	if (s + 0 != free) bad("says the handout earns " s " points, the manifest's free tests sum to " free)
}
END {
	if (row < nt) { bad("the points table lists " row " tests, the manifest " nt " (not hidden)") }
	if (!seen_total) bad("no '| total | POINTS |' row")
	exit err
}
