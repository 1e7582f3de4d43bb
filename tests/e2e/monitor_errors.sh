#!/bin/sh
# monitor_errors.sh - the monitor shell survives bad input: each bad
# command, address, symbol or argument gets one "error: ..." line and the
# next command still runs; a script with errors exits 1, a clean one 0;
# EOF quits; -x reads a script; bad options and images exit 125.
set -u
fail() { echo "FAIL: $*"; echo "--- output:"; cat out; exit 1; }
has() { grep -qE -- "$1" out || fail "no line matching '$1'"; }

cat > p.s <<'S'
_start:	li	a0, 7
loop:	j	loop
S
"$BIN/pg32-as" -o p.elf p.s || fail "cannot assemble"

"$BIN/vmlab" monitor --bare p.elf > out 2>&1 <<'C'
frobnicate
x/4x nosuchsymbol
x/4x 0x7ffffffc
x/4q _start
x/2x 0x1001
xp/1x 0xfffffff0
break 0x1002
break loop sideways
break
delete 99
catch nosuchcause
info nonsense
info
set zz = 1
set zero = 1
set *0x1001 = 1
set pc = 3
set a0 1
step 0
step -1
next 0x80000000
step 1 2
trace on bogus
dot traps
dot pagetable /nonexistent/dir/p.dot
disas _start 0
translate
help nosuchcommand
info shadow
info pagetable --both
watch
until-trap extra
quit notanumber
quit 300
step
info registers
C
st=$?
[ $st -eq 1 ] || fail "a script with errors: status $st, want 1"
has "^error: unknown command 'frobnicate' \(try 'help'\)$"
has "^error: no symbol or register 'nosuchsymbol'$"
has '^error: cannot read address 0x7ffffffc: outside RAM \(paging off\)$'
has "^error: bad format letter 'q'"
has '^error: 0x00001001 is not aligned to 4 bytes$'
has '^error: cannot read guest-physical 0xfffffff0'
has '^error: 0x00001002 is not a multiple of 4'
has "^error: 'sideways': the mode is kernel or user$"
has '^error: usage: break ADDR \[kernel\|user\]$'
has '^error: no breakpoint, watchpoint or catchpoint 99$'
has "^error: 'nosuchcause' is not a trap cause"
has "^error: no 'info nonsense'"
has '^error: info what\?'
has "^error: no register 'zz'$"
has '^error: zero is always 0$'
has '^error: pc must be a multiple of 4$'
has '^error: usage: set REG = VALUE'
has '^error: the count must be from 1 to 2147483647$'
[ "$(grep -c '^error: the count must be from 1 to 2147483647$' out)" -eq 3 ] \
	|| fail "step 0, step -1 and next 0x80000000 are each refused"
has '^error: the exit status must be from 0 to 255$'
has '^error: too many arguments$'
has "^error: no trace category 'bogus'"
has '^error: usage: dot traps FILE$'
has '^error: /nonexistent/dir/p.dot: cannot write'
has '^error: count 0 out of range'
has '^error: usage: translate VA'
has "^error: no command 'nosuchcommand'"
has '^error: no shadow page table on the bare machine$'
has '^error: usage: watch \[-p\] ADDR$'
has '^error: until-trap takes no arguments$'
# After all that the shell still steps and shows the state.
has '^stop step pc=0x00001004 mode=K ticks=1$'
has '^r4  a0   0x00000007$'
[ "$(grep -c '^error: ' out)" -eq 34 ] || fail "one error line per bad command: $(grep -c '^error: ' out)"

# Long words do not overflow the shell's buffers: set joins its words
# (300 + 2000 characters here), x/FMT takes its format apart.
long_a=$(printf '%0300d' 0 | tr 0 A)
long_b=$(printf '%02000d' 0 | tr 0 B)
printf 'set %s %s = 1\nx/%s _start\nset a0 = 5\ninfo registers\n' "$long_a" "$long_b" "$long_b" \
	| "$BIN/vmlab" monitor --bare p.elf >out 2>&1
st=$?
[ $st -eq 1 ] || fail "long words: status $st, want 1 (two errors, no crash)"
has "^error: no register 'A{300} B{2000}'$"
has "^error: bad format letter 'B'"
has '^r4  a0   0x00000005$'

# EOF ends a clean session with status 0; so does an empty one.
printf 'step\n' | "$BIN/vmlab" monitor --bare p.elf >out 2>&1 || fail "clean session: status $?"
"$BIN/vmlab" monitor --bare p.elf </dev/null >out 2>&1 || fail "empty session: status $?"
[ ! -s out ] || fail "an empty scripted session prints nothing"

# -x FILE: commands from the file (stdin is not read), comments and blank
# lines skipped.
printf '# a comment\n\nstep 2\ninfo registers\n' > script
echo 'frobnicate' | "$BIN/vmlab" monitor --bare -x script p.elf >out 2>&1 || fail "-x: status $?"
has '^stop step pc=0x00001004 mode=K ticks=2$'
grep -q frobnicate out && fail "-x read stdin"
# Errors from a -x script name the script and the line.
printf 'step\n\n# two\nx/4x nosuch\nstep\nfrobnicate\n' > script
"$BIN/vmlab" monitor --bare -x script p.elf >out 2>&1; st=$?
[ $st -eq 1 ] || fail "-x with errors: status $st, want 1"
has "^script:4: error: no symbol or register 'nosuch'$"
has "^script:6: error: unknown command 'frobnicate' \(try 'help'\)$"
[ "$(grep -c 'error: ' out)" -eq 2 ] || fail "-x: two errors"

# Bad options and images: 125, one line.
for args in "--frob p.elf" "-x" "-x nosuchscript p.elf" "--bare nosuch.elf" \
	"--bare --max-insns 0 p.elf" "--state p.elf" "--bare --shadow=trace p.elf" "--trace=bogus p.elf" "--input /nonexistent p.elf" ""; do
	# shellcheck disable=SC2086
	"$BIN/vmlab" monitor $args </dev/null >out 2>&1; st=$?
	[ $st -eq 125 ] || fail "'monitor $args': status $st, want 125"
	[ "$(wc -l < out)" -eq 1 ] || fail "'monitor $args': want one line"
	grep -q '^vmlab: ' out || fail "'monitor $args': message"
done
"$BIN/vmlab" monitor --help >out 2>&1 || fail "--help: status $?"
has '^usage: vmlab monitor'
exit 0
