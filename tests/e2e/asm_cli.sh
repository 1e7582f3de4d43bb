#!/bin/sh
# pg32-as's command line: exit codes, usage errors, no partial or stale
# output after an error, an ELF that binutils' readelf reads without a
# warning, and the listing.
set -u
AS=$BIN/pg32-as
fail() { echo "FAIL: $*"; exit 1; }

$AS --help | grep -q usage || fail "--help"
$AS --version | grep -q pg32-as || fail "--version"
$AS >/dev/null 2>&1; [ $? -eq 2 ] || fail "no input files: want exit 2"
$AS -q x.s >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown option: want exit 2"
$AS -Ttext zzz x.s >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad -Ttext: want exit 2"
$AS -o >/dev/null 2>&1; [ $? -eq 2 ] || fail "-o without a file: want exit 2"

cat > good.s <<'S'
	.globl _start
_start:	la a0, msg
	lw a1, 0(a0)
	call f
	syscall
f:	ret
	.data
msg:	.asciz "hello, world\n"
	.bss
buf:	.space 64
S
$AS -o good.elf -l good.lst good.s || fail "good.s did not assemble"
[ -s good.elf ] || fail "no output"
out=$(readelf -W -h -l -S -s good.elf 2>&1) || fail "readelf failed: $out"
echo "$out" | grep -qi warn && fail "readelf warns: $out"
echo "$out" | grep -q 'Machine: *<unknown>: 0x5047' || fail "machine: $out"
echo "$out" | grep -q 'LOAD .* R E 0x1000' || fail "no R+X segment: $out"
echo "$out" | grep -q 'LOAD .* RW  0x1000' || fail "no RW segment: $out"
echo "$out" | grep -q 'GLOBAL.* _start' || fail "no global _start: $out"
grep -q 'good.s:2 .*la a0, msg' good.lst || fail "listing: $(cat good.lst)"
grep -q '^00001000  00 00 40 2f' good.lst || fail "listing bytes: $(cat good.lst)"

# -Ttext / -Tdata move the sections.
$AS -Ttext 0x40000000 -Tdata=0x50000000 -o moved.elf good.s || fail "moved"
readelf -W -l moved.elf | grep -q 'LOAD .* 0x40000000 0x40000000' || fail "-Ttext"
readelf -W -l moved.elf | grep -q 'LOAD .* 0x50000000 0x50000000' || fail "-Tdata"

# An error: exit 1, the message, no output, and a stale output removed.
printf 'nop\n\taddi a0, a0, 70000\n' > bad.s
cp good.elf bad.elf
$AS -o bad.elf bad.s 2>err.txt; rc=$?
[ $rc -eq 1 ] || fail "error exit $rc, want 1"
grep -q '^bad.s:2:15: error: immediate 70000 out of range' err.txt || fail "message: $(cat err.txt)"
[ -e bad.elf ] && fail "stale output left behind"
ls | grep -q tmp && fail "temporary file left behind: $(ls)"

# Unreadable input, default output name.
$AS nothere.s 2>err.txt; [ $? -eq 1 ] || fail "missing input: want exit 1"
grep -q "cannot read 'nothere.s'" err.txt || fail "$(cat err.txt)"
$AS good.s && [ -s a.out ] || fail "default output a.out"
echo ok
