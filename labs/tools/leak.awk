# leak.awk - find a withheld reference line in a handout (check.sh).
#
#   awk -v public=PUBLIC -f leak.awk WITHHELD FILE...
#
# WITHHELD: stub.awk's mode=withheld output ("FILE<tab>LINE<tab>TEXT"),
# the reference lines of the regions a handout must not contain.  PUBLIC:
# the reference's code outside those regions (stub.awk's mode=public over
# the tree's source files outside labs/, documentation left out): a line
# that is also there is no answer, the student has it anyway.  Prints
# "FILE:LINE: withheld line (from RFILE:RLINE): TEXT" for each line of a
# FILE that is one of them, and exits 1 if there was any.
#
# Lines are compared normalized: leading and trailing blanks removed, each
# run of blanks one space.  A line counts only if it is distinctive: at
# least 12 characters once normalized, with at least two identifiers or
# numbers and something besides (an operator, a call, an address); in
# assembly (a region outside .c and .h files) an instruction must also
# name a symbol or hold a string: "addi s0, s0, 4" or "1: beq s1, s2, 2f"
# (registers, numbers, local labels) is in every routine.  Lone braces,
# "return 0;", "ret", "break;", a label, a blank line, prove nothing either;
# a comment line inside a region is checked like code.
function norm(s) {
	gsub(/[ \t\r]+/, " ", s)
	sub(/^ /, "", s); sub(/ $/, "", s)
	return s
}
function distinctive(s,    t, n) {
	if (length(s) < 12) return 0
	t = s
	n = gsub(/[A-Za-z_][A-Za-z0-9_]*|[0-9][0-9a-fA-FxX]*/, "", t)
	if (n < 2) return 0
	return t ~ /[^ ;{}]/
}
BEGIN {
	while ((getline line < public) > 0) shown[norm(line)] = 1
	close(public)
}
# asm_symbolic(S): the assembly line S is a comment or directive, or an
# instruction naming a symbol or holding a string.
function asm_symbolic(s,    n, w, i) {
	sub(/^[A-Za-z0-9_.]+: ?/, "", s)
	if (s ~ /^[#.]/ || s ~ /"/) return 1
	n = split(s, w, /[^A-Za-z0-9_]+/)
	for (i = 2; i <= n; i++)
		if (w[i] ~ /^[A-Za-z_]/ && w[i] !~ /^(zero|ra|sp|gp|fp|[ats][0-9]|r[0-9]+)$/) return 1
	return 0
}
FNR == NR {
	split($0, f, "\t")
	s = $0; sub(/^[^\t]*\t[^\t]*\t/, "", s)
	s = norm(s)
	if (f[1] !~ /\.[ch]$/ && !asm_symbolic(s)) next
	if (distinctive(s) && !(s in shown) && !(s in from)) from[s] = f[1] ":" f[2]
	next
}
{
	s = norm($0)
	if (s in from) {
		printf "%s:%d: withheld line (from %s): %s\n", FILENAME, FNR, from[s], s
		found = 1
	}
}
END { exit found }
