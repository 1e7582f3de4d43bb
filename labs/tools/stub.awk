# stub.awk - replace the marked regions of some labs in a source file by
# their stubs, or list the reference lines they hold.
#
#   awk -v tags="LAB1 LAB2" [-v mode=stub|withheld] [-v report=FILE] \
#       -f stub.awk file.s > handout/file.s
#   (-v tag=LAB1 is the same as tags="LAB1")
#
# A marked region (labs/README.md, "Markers"), in a '#' comment language:
#
#   # LAB1 BEGIN: what the student writes        kept
#   ... the reference solution ...               dropped
#   # LAB1 STUB                                  dropped
#   #	li	a0, -ENOSYS                          kept, one leading '#' removed
#   ## a comment in the stub                     becomes "# a comment ..."
#   # LAB1 END                                   kept
#
# and in C (.c and .h files), where the stub is the body of one comment:
#
#   /* LAB2 BEGIN: what the student writes */    kept
#   ... the reference solution ...               dropped
#   /* LAB2 STUB                                 dropped
#   return -1;                                   kept as it is
#   LAB2 END */                                  kept, as "/* LAB2 END */"
#
# The STUB part is optional (the region then becomes empty).  Regions of
# tags not in the list are left alone.
#
# mode=stub (the default) prints the file with the regions stubbed;
# mode=withheld prints only the reference lines of the regions, each as
# "FILE<tab>LINE<tab>TEXT" (what check.sh looks for in a handout);
# mode=public the lines outside the regions and the stubs, markers left
# out (what a handout shows by design).
# report=FILE: each region's "TAG<tab>FILE<tab>LINE" is appended to FILE.
#
# Malformed markers (a region inside another, a STUB or END without a
# BEGIN, an END of another tag, a missing END) are errors:
# "file:line: message" on stderr, exit status 1.
BEGIN {
	if (tags == "") tags = tag
	ntag = split(tags, tagv, /[ \t]+/)
	if (ntag == 0) { print "stub.awk: no tag given" > "/dev/stderr"; err = 2; exit 2 }
	if (mode == "") mode = "stub"
	if (mode !~ /^(stub|withheld|public)$/) { print "stub.awk: mode stub, withheld or public" > "/dev/stderr"; err = 2; exit 2 }
	state = 0			# 0 outside, 1 reference, 2 stub
	err = 0
}
FNR == 1 {
	if (state) endfile()
	file = FILENAME
	c = (file ~ /\.[ch]$/)
}
# marker(WORD): the tag of the list whose WORD marker this line is, or "".
# A marker opens its line's comment: "# TAG WORD" or "/* TAG WORD"; a C
# END may also stand alone, closing the stub's comment: "TAG END */".
function marker(word,    lead, i) {
	if (index($0, word) == 0) return ""
	lead = c ? "(/\\*[ \t]*" (word == "END" ? ")?" : ")") : "#[ \t]*"
	for (i = 1; i <= ntag; i++)
		if (match($0, "^[ \t]*" lead tagv[i] " " word "([^A-Za-z0-9_]|$)")) return tagv[i]
	return ""
}
function bad(msg) {
	printf "%s:%d: %s\n", file, FNR, msg > "/dev/stderr"
	err = 1
}
function out(s) { if (mode == "stub") print s }
function pub(s) { if (mode == "public") print s }
function endfile(    f) {
	f = FNR; FNR = open
	bad(cur " BEGIN without " cur " END")
	FNR = f; state = 0
}
{ m = marker("BEGIN") }
m != "" {
	if (state) bad(m " BEGIN inside the " cur " region opened at line " open)
	state = 1; open = FNR; cur = m; out($0)
	if (report != "") printf "%s\t%s\t%d\n", m, file, FNR >> report
	next
}
{ m = marker("STUB") }
m != "" {
	if (state != 1 || m != cur) { bad(m " STUB outside a " m " BEGIN region"); next }
	state = 2; next
}
{ m = marker("END") }
m != "" {
	if (!state) bad(m " END without " m " BEGIN")
	else if (m != cur) bad(m " END inside the " cur " region opened at line " open)
	if (c) {
		ind = $0; sub(/[^ \t].*$/, "", ind)
		out(ind "/* " m " END */")
	} else
		out($0)
	state = 0; next
}
state == 1 {
	if (mode == "withheld") printf "%s\t%d\t%s\n", file, FNR, $0
	next
}
state == 2 && !c {
	if ($0 !~ /^[ \t]*#/) bad("a stub line must be commented out with '#'")
	sub(/#/, "")
}
{ pub($0) }
{ out($0) }
END {
	if (err == 2) exit 2
	if (state) endfile()
	exit err
}
