#!/bin/sh
# asm_limits.sh - pg32-as refuses sources it cannot sensibly hold instead
# of reading until memory runs out (assembler/README.md "Errors": a source
# or .include'd file over 256 MiB is refused), and deep nesting is an
# error at its line, not a stack overflow.
set -u
AS=$BIN/pg32-as
fail() { echo "FAIL: $*"; cat log.txt | head -5; exit 1; }

# an endless source, on the command line and included
(ulimit -t 60; exec "$AS" -o out.elf /dev/zero) >log.txt 2>&1; rc=$?
[ $rc -eq 1 ] || fail "/dev/zero: status $rc, want 1"
grep -q "^pg32-as: error: cannot read '/dev/zero': File too large$" log.txt || fail "/dev/zero: message"
printf 'nop\n.include "/dev/zero"\n' > z.s
(ulimit -t 60; exec "$AS" -o out.elf z.s) >log.txt 2>&1; rc=$?
[ $rc -eq 1 ] || fail ".include /dev/zero: status $rc, want 1"
grep -q "^z.s:2:10: error: cannot read include file '/dev/zero': File too large$" log.txt \
	|| fail ".include /dev/zero: message"
[ -e out.elf ] && fail "an output file after errors"

# deep nesting (assembler/README.md "Expressions": 256 levels)
awk 'BEGIN { printf ".word "; for (i = 0; i < 300000; i++) printf "("; print "1" }' > deep.s
(ulimit -t 60; exec "$AS" -o out.elf deep.s) >log.txt 2>&1; rc=$?
[ $rc -eq 1 ] || fail "deep nesting: status $rc, want 1"
grep -q "^deep.s:1:263: error: expression nested more than 256 deep$" log.txt || fail "deep: message"
exit 0
