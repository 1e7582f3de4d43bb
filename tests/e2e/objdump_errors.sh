#!/bin/sh
# pg32-objdump refuses what is not a PG32 executable with the reader's
# message, "pg32-objdump: FILE: message", and exit status 1.
set -u
AS=$BIN/pg32-as
OD=$BIN/pg32-objdump
fail() { echo "FAIL: $*"; exit 1; }
expect() {	# expect FILE MESSAGE
	"$OD" -d "$1" >out.txt 2>err.txt; rc=$?
	[ $rc -eq 1 ] || fail "$1: exit $rc, want 1"
	grep -q "^pg32-objdump: $1: $2" err.txt || fail "$1: $(cat err.txt), want $2"
}

"$OD" >/dev/null 2>&1; [ $? -eq 2 ] || fail "no arguments: want exit 2"
"$OD" -x a >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown option: want exit 2"
"$OD" --help | grep -q usage || fail "--help"
expect nothere.elf "No such file"
printf 'hello' > text.elf
expect text.elf "not an ELF file"
printf 'nop\nnop\n' > p.s
$AS -o p.elf p.s || fail "p.s"
head -c 40 p.elf > short.elf
expect short.elf "truncated: ELF header ends at byte 52 of 40"
head -c 100 p.elf > cut.elf
expect cut.elf "truncated"
cp /bin/sh host.elf
"$OD" -h host.elf 2>err.txt; [ $? -eq 1 ] || fail "host binary accepted"
grep -q "not a" err.txt || fail "host binary: $(cat err.txt)"
"$OD" -h -t p.elf | grep -q 'r-x' || fail "-h"
echo ok
