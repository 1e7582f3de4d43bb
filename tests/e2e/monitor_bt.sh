#!/bin/sh
# monitor_bt.sh - the monitor under binary translation (vmlab monitor --bt):
# breakpoints and stepping in guest addresses stop where they stop under
# trap-and-emulate (same pcs, same ticks, kernel code inside translated
# loops, a timer interrupt on the way), and 'info tc' lists the blocks and
# shows one beside its translation, a block cut short at a breakpoint.
set -u
fail() { echo "FAIL: $*"; echo "--- output:"; cat "${2:-out.bt}"; exit 1; }
"$BIN/pg32-as" -o b.elf "$SRC/labs/lab7/tests/progs/branches.s" || exit 1
cat > cmds <<'C'
break 0x1018
continue
continue
step
step
step
delete 1
break spin
continue
step
step
continue
delete 2
continue
C
"$BIN/vmlab" monitor b.elf < cmds > out.te 2>&1 || fail "trap-and-emulate: status $?" out.te
"$BIN/vmlab" monitor --bt b.elf < cmds > out.bt 2>&1 || fail "--bt: status $?"
grep '^stop' out.te > stops.te
grep '^stop' out.bt > stops.bt
[ "$(wc -l < stops.te)" -eq 10 ] || fail "trap-and-emulate: $(wc -l < stops.te) stops, want 10" out.te
cmp -s stops.te stops.bt || { diff stops.te stops.bt; fail "--bt stops elsewhere than trap-and-emulate"; }

"$BIN/vmlab" monitor --bt --isa=leaky b.elf > out.tc 2>&1 <<'C' || fail "info tc: status $?" out.tc
break 0x1018
continue
info tc
info tc 0x1014
info tc 0x4000
C
has() { grep -qE -- "$1" out.tc || fail "no line matching '$1'" out.tc; }
has '^[0-9]+ blocks, [0-9]+ bytes; [0-9]+ translated'
has '^guest 0x00001000 \(gpa 0x00001000\) -> tc 0xffc00000  3 insns, 3 words$'
# The block from 0x100c stops before the breakpoint, with an exit to it.
has '^guest 0x0000100c \(gpa 0x0000100c\) -> tc 0xffc0000c  3 insns, 4 words$'
has '^  0x00001014  add     s0, s0, t0 +0xffc00014  add     s0, s0, t0'
has '^ +0xffc00018  \.word 0xfe000000 +callout 0: exit -> 0x00001018$'
has '^no block holds 0x00004000$'
"$BIN/vmlab" monitor b.elf > out.no 2>&1 <<'C'
info tc
C
grep -q '^no translation cache: start the monitor with --bt$' out.no || fail "info tc without --bt" out.no
# The dirty log (and so live migration) is refused beside translated code.
"$BIN/vmlab" monitor --bt b.elf > out.dirty 2>&1 <<'C'
dirty on
C
grep -q 'dirty: the dirty log and binary translation (--bt) both write-protect' out.dirty ||
	fail "dirty on under --bt" out.dirty
exit 0
