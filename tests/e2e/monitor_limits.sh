#!/bin/sh
# monitor_limits.sh - the monitor shell at the edges of the address space
# and of its arguments, bare and under the VMM: each bad request gets one
# "error: ..." line that says what is wrong, and the shell goes on.
set -u
fail() { echo "FAIL: $*"; echo "--- output:"; cat out; exit 1; }
has() { grep -qE -- "$1" out || fail "$mode: no line matching '$1'"; }

cat > p.s <<'S'
_start:	li	a0, 7
loop:	j	loop
S
"$BIN/pg32-as" -o p.elf p.s || fail "cannot assemble"

for mode in --bare --vmm; do
	flag=$mode; [ $mode = --vmm ] && flag=
	# shellcheck disable=SC2086
	"$BIN/vmlab" monitor $flag --mem 1 p.elf > out 2>&1 <<'C'
watch -p 0xffffffff
watch -p 0x100000
watch -p 0xffffc
info breakpoints
C
	st=$?
	[ $st -eq 1 ] || fail "$mode: status $st, want 1"
	# a physical watchpoint outside guest RAM could never hit: refused,
	# and not as "too many watchpoints"
	has '^error: cannot watch guest-physical 0xffffffff: outside guest RAM \(1024 KiB\)$'
	has '^error: cannot watch guest-physical 0x00100000: outside guest RAM \(1024 KiB\)$'
	has '^watchpoint 1 at 0x000ffffc physical$'
	grep -q 'too many' out && fail "$mode: misleading message"
done
exit 0
