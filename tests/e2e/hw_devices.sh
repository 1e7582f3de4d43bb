#!/bin/sh
# hw_devices.sh - the console on stdin/stdout and the disk on an image
# file, through vmlab run --bare.
set -u
fail() { echo "FAIL: $*"; exit 1; }

# Echo stdin to stdout until RXEOF, polling STATUS.
cat > echo.s <<'S'
_start:
1:	in	t0, 1(zero)
	andi	t1, t0, 1
	bnez	t1, 2f
	andi	t1, t0, 4
	bnez	t1, 3f
	j	1b
2:	in	a0, 0(zero)
	out	a0, 0(zero)
	j	1b
3:	li	a0, 7
	out	a0, 0x20(zero)
S
"$BIN/pg32-as" -o echo.elf echo.s || fail assemble
printf 'hello\nworld\n' | "$BIN/vmlab" run --bare echo.elf > out; st=$?
[ $st -eq 7 ] || fail "echo: status $st"
[ "$(cat out)" = "$(printf 'hello\nworld')" ] || fail "echo output: $(cat out)"

# Write sector 1 of a 4-sector image from memory, then power off at once:
# the data must be in the file.
cat > dw.s <<'S'
_start:	la	t0, buf
	out	t0, 0x11(zero)
	li	t0, 1
	out	t0, 0x10(zero)
	out	t0, 0x12(zero)
	li	t0, 4
	mtcr	imask, t0
	li	t0, 2
	out	t0, 0x13(zero)
	wfi
	in	a0, 0x14(zero)
	out	a0, 0x20(zero)
	.data
buf:	.ascii	"PG32 was here"
	.space	499
S
"$BIN/pg32-as" -o dw.elf dw.s || fail assemble
dd if=/dev/zero of=disk.img bs=512 count=4 2>/dev/null
"$BIN/vmlab" run --bare --disk disk.img dw.elf </dev/null; st=$?
[ $st -eq 2 ] || fail "disk write: status $st (want DONE = 2)"
dd if=disk.img bs=512 skip=1 count=1 2>/dev/null | grep -q 'PG32 was here' || fail "not in the image"
# A disk that cannot be opened is a host error.
"$BIN/vmlab" run --bare --disk nonexistent.img dw.elf </dev/null 2>err; st=$?
[ $st -eq 125 ] || fail "missing disk: status $st"
grep -q nonexistent.img err || fail "missing disk message: $(cat err)"
exit 0
