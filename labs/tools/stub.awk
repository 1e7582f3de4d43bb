# stub.awk - replace one lab's marked regions of a source file by their stubs.
#
#   awk -v tag=LAB1 -f stub.awk file.s > handout/file.s
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
# other tags are left alone.  Malformed markers (nesting, a STUB or END
# without a BEGIN, a missing END) are errors: "file:line: message" on
# stderr, exit status 1.
BEGIN {
	if (tag == "") { print "stub.awk: no tag given" > "/dev/stderr"; exit 2 }
	state = 0			# 0 outside, 1 reference, 2 stub
	err = 0
}
FNR == 1 { c = (FILENAME ~ /\.[ch]$/) }
# A marker opens its line's comment: "# TAG WORD" or "/* TAG WORD"; a C
# END may also stand alone, closing the stub's comment: "TAG END */".
function is(word,    lead) {
	lead = c ? "(/\\*[ \t]*" (word == "END" ? ")?" : ")") : "#[ \t]*"
	return match($0, "^[ \t]*" lead tag " " word "([^A-Za-z0-9_]|$)")
}
function bad(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	err = 1
}
is("BEGIN") {
	if (state) bad(tag " BEGIN inside the region opened at line " open)
	state = 1; open = FNR; print; next
}
is("STUB") {
	if (state != 1) { bad(tag " STUB outside a " tag " BEGIN region"); next }
	state = 2; next
}
is("END") {
	if (!state) bad(tag " END without " tag " BEGIN")
	if (c) {
		ind = $0; sub(/[^ \t].*$/, "", ind)
		print ind "/* " tag " END */"
	} else
		print
	state = 0; next
}
state == 1 { next }
state == 2 && !c {
	if ($0 !~ /^[ \t]*#/) bad("a stub line must be commented out with '#'")
	sub(/#/, "")
}
{ print }
END {
	if (state) { FNR = open; bad(tag " BEGIN without " tag " END") }
	exit err
}
