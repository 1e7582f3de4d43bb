#!/bin/sh
# monitor_help.sh - the shell's help and completion, both read from its
# command table.  'help' gives every command one whole summary (not a
# line cut out of a longer sentence) within 80 columns, and 'help CMD'
# repeats that summary before sentences of its own.  'complete TEXT'
# (what TAB offers) gives a command's subcommands where one is expected
# ('info <TAB>' offers exactly the 8 'info' subcommands, no registers or
# symbols), completes a partial one, and follows each usage: literal words,
# trap causes, trace categories, registers and symbols for an address.
set -u
fail() { echo "FAIL: $*"; echo "--- output:"; cat out; exit 1; }
has() { grep -qE -- "$1" out || fail "no line matching '$1'"; }

cat > p.s <<'S'
_start:	li	a0, 1
spin:	j	spin
S
"$BIN/pg32-as" -o p.elf p.s || fail "cannot assemble"
mon() { "$BIN/vmlab" monitor --bare p.elf > out 2>&1 || fail "status $?"; }

# --- help ---------------------------------------------------------------------
echo help | mon
awk 'length($0) > 80 { print "too wide: " $0; bad = 1 } END { exit bad }' out >&2 \
	|| fail "help lines wider than 80 columns"
sed -n 's/^  \([a-z-]*\) .*/\1/p' out > commands
[ "$(wc -l < commands)" -ge 20 ] || fail "help lists $(wc -l < commands) commands"
while read -r c; do
	summary=$(sed -n "s/^  $c\( ([a-z, -]*)\)\{0,1\}  *//p" out)
	case $summary in
	"") fail "$c: no summary" ;;
	*[,:\;]|*" the"|*" a"|*" and"|*" or"|*" of") fail "$c: summary cut: '$summary'" ;;
	esac
	# Parentheses close within the summary.
	[ "$(printf '%s' "$summary" | tr -cd '(' | wc -c)" -eq \
	  "$(printf '%s' "$summary" | tr -cd ')' | wc -c)" ] || fail "$c: summary cut: '$summary'"
	echo "help $c" | "$BIN/vmlab" monitor --bare p.elf > one 2>&1 || fail "help $c: status $?"
	# The summary is the first line after the usage (and abbreviation);
	# what follows starts a sentence of its own.
	first=$(grep -v '^  (abbreviation' one | sed -n '2s/^  //p')
	[ "$first" = "$summary" ] || { cat one; fail "help $c: summary '$first', list '$summary'"; }
	next=$(grep -v '^  (abbreviation' one | sed -n '3s/^  //p')
	case $next in
	""|[A-Z]*|"$c WHAT is one of"*) ;;
	*) cat one; fail "help $c: the summary runs on into '$next'" ;;
	esac
done < commands
printf 'help info\nhelp info pagetable\nhelp info nosuch\n' | "$BIN/vmlab" monitor --bare p.elf >out 2>&1
has '^    registers \(r, reg\) +pc, the general and the control registers, decoded$'
has '^    shadow +the VMM'"'"'s shadow table for a guest mode$'
has '^info pagetable \[--both\]$'
has "^error: no 'info nosuch' \(try 'help info'\)$"

# --- completion ---------------------------------------------------------------
printf 'complete info \n' | mon
[ "$(cat out)" = "info registers
info breakpoints
info vcpu
info host
info stats
info pagetable
info shadow
info tc
info symbols
info vms
info sched" ] || fail "'info <TAB>' offers other than the 11 subcommands"
printf 'complete info pa\ncomplete i sh\ncomplete info pagetable \ncomplete info shadow \n' | mon
[ "$(cat out)" = "info pagetable
i shadow
info pagetable --both
info shadow kernel
info shadow user" ] || fail "info subcommands and their arguments"
printf 'complete dot \ncomplete dot traps \ncomplete he\ncomplete help info s\n' | mon
[ "$(cat out)" = "dot traps
dot pagetable
help
help info stats
help info shadow
help info symbols
help info sched" ] || fail "dot, help"
printf 'complete catch sys\ncomplete catch dou\ncomplete trace \ncomplete trace on in\ncomplete trace off trap i\n' | mon
[ "$(cat out)" = "catch syscall
catch double-fault
trace on
trace off
trace on insn
trace off trap insn
trace off trap irq" ] || fail "catch causes, trace categories"
printf 'complete break sp\ncomplete break spin \ncomplete x/4x sp\ncomplete watch -p sp\ncomplete step 1 \ncomplete continue \n' | mon
[ "$(cat out)" = "break sp
break spin
break spin kernel
break spin user
x/4x sp
x/4x spin
watch -p sp
watch -p spin" ] || fail "addresses, modes, formats, flags, no extra words"
exit 0
