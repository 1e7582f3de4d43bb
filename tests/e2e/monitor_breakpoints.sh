#!/bin/sh
# monitor_breakpoints.sh - where a breakpoint stops, the same on the bare
# machine and under the VMM (trap and emulate, --bt, --mmu=nested): before
# the instruction at it, the first of a run included, unless the guest was
# last shown stopped there (at the breakpoint, or at the end of a step):
# continuing from there passes it once.  So a breakpoint at the entry stops
# the first continue; a set pc or a reset arrives at it without stopping
# there, and the next continue stops at it; a step always runs its
# instruction, from a breakpoint or onto one.
set -u
fail() { echo "FAIL: $*"; echo "--- output:"; cat out; exit 1; }
has() { grep -qE -- "$1" out || fail "no line matching '$1'"; }

cat > p.s <<'S'
_start:	li	a0, 1
	li	a1, 2
	li	a2, 3
	li	a0, 0
	out	a0, 0x20(zero)
S
"$BIN/pg32-as" -o p.elf p.s || fail "cannot assemble"
cat > script <<'C'
break _start
continue
break _start+4
continue
continue
reset
continue
step
step
set pc = _start
continue
step
continue
C
mon() { "$BIN/vmlab" monitor "$@" -x script p.elf > out 2>&1; }

mon --bare
grep '^stop' out > bare.stops
cat > want <<'W'
stop breakpoint 1 pc=0x00001000 mode=K ticks=0
stop breakpoint 2 pc=0x00001004 mode=K ticks=1
stop poweroff code=0 pc=0x00001014 mode=K ticks=5
stop reset pc=0x00001000 mode=K ticks=0
stop breakpoint 1 pc=0x00001000 mode=K ticks=0
stop step pc=0x00001004 mode=K ticks=1
stop step pc=0x00001008 mode=K ticks=2
stop breakpoint 1 pc=0x00001000 mode=K ticks=2
stop step pc=0x00001004 mode=K ticks=3
stop poweroff code=0 pc=0x00001014 mode=K ticks=7
W
diff want bare.stops > d || { cat d >> out; fail "bare: the stops differ from the expected ones"; }

for opts in "" "--bt" "--isa=virt --mmu=nested"; do
	# shellcheck disable=SC2086
	mon $opts
	grep '^stop' out > vmm.stops
	diff bare.stops vmm.stops > d || { cat d >> out; fail "VMM $opts: the stops differ from bare"; }
done
exit 0
