#!/bin/sh
# vmlab monitor --console FILE: the guest's console output goes to FILE, so
# a script's stdout holds only the monitor's own lines.  A guest that prints
# a fake "stop poweroff code=0" line (then powers off with 3) must not put it on
# stdout, bare or under the VMM; without the option it does (the test can
# fail); a FILE that cannot be created is a usage error.
set -u
fail() { echo "FAIL: $*"; exit 1; }
cat > fake.s <<'S'
	.text
	.globl	_start
_start:	la	t0, msg
1:	lbu	t1, 0(t0)
	beqz	t1, 2f
	out	t1, 0(zero)
	addi	t0, t0, 1
	j	1b
2:	li	t1, 3
	out	t1, 0x20(zero)
	.data
msg:	.asciz	"stop poweroff code=0 pc=0x00001000\n"
S
"$BIN/pg32-as" -o fake.elf fake.s || fail "assemble"
printf 'continue\n' > cmds
for mode in --bare ""; do
	"$BIN/vmlab" monitor $mode --console cons.txt -x cmds fake.elf > out.txt 2> err.txt
	grep -q '^stop poweroff code=0' out.txt && fail "monitor $mode: the guest's line is on stdout: $(cat out.txt)"
	grep -q '^stop poweroff code=3 ' out.txt || fail "monitor $mode: no stop line of the monitor's: $(cat out.txt err.txt)"
	grep -qx 'stop poweroff code=0 pc=0x00001000' cons.txt || fail "monitor $mode: console file: $(cat cons.txt)"
	"$BIN/vmlab" monitor $mode -x cmds fake.elf > out.txt 2> err.txt
	grep -q '^stop poweroff code=0 pc=0x00001000' out.txt || fail "monitor $mode: without --console, no guest output"
done
"$BIN/vmlab" monitor --console=cons2.txt -x cmds fake.elf > out.txt 2>&1
grep -q '^stop poweroff' cons2.txt || fail "--console=FILE"
"$BIN/vmlab" monitor --console no/such/dir/c.txt -x cmds fake.elf > out.txt 2>&1
rc=$?
[ $rc -eq 2 ] || [ $rc -eq 125 ] || fail "an unwritable console file: status $rc"
grep -q '^vmlab: no/such/dir/c.txt: ' out.txt || fail "an unwritable console file: $(cat out.txt)"
exit 0
