# diag.awk - the compiler's and the assembler's diagnostics in a build log,
# for a student: each error with the lines that follow it (the source line
# and the caret, gcc's notes), not the command lines around them.
#
#   awk [-v max=N] -f diag.awk build.log
#
# An error is a "file:line[:col]: [fatal ]error: ..." line (gcc, and
# pg32-as, whose message is followed by its source line and caret), or a
# linker's "undefined reference"/"multiple definition" line; the "In
# function" line before it is kept too.  Prints at most max lines (default
# 30), then how many more there were; nothing if the log has no error
# (the caller then shows its end).
BEGIN { if (max == "") max = 30; n = 0; keep = 0; held = "" }
function out(s) { if (++n <= max) print s }
/^[^ \t][^:]*:[0-9]+(:[0-9]+)?: (fatal error|error): / ||
/: undefined reference to / || /: multiple definition of / {
	if (held != "") { out(held); held = "" }
	out($0); keep = 1; next
}
/^[^ \t].*: In (function|member function|instantiation) / || /: in function [`']/ {
	held = $0; keep = 0; next
}
keep && (/^[ \t]/ || /: note: /) { out($0); next }
{ keep = 0 }
END { if (n > max) printf "[... %d more lines of diagnostics]\n", n - max }
