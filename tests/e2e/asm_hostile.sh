#!/bin/sh
# Hostile input never crashes or hangs pg32-as: pseudo-random bytes,
# NUL bytes, a 10 MB line, an include cycle, a missing include, an empty
# file.  Every run must end with exit 0 or 1 within the limit of 20 CPU
# seconds (CPU time, not wall time: a loaded machine must not fail it).
set -u
AS=$BIN/pg32-as
fail() { echo "FAIL: $*"; exit 1; }
run() {	# run EXPECTED-EXIT FILE...
	want=$1; shift
	(ulimit -t 20; exec "$AS" -o out.elf "$@") >log.txt 2>&1; rc=$?
	[ $rc -eq "$want" ] || { cat log.txt | head -20; fail "$* exited $rc, want $want"; }
}

seed=20240601
echo "garbage seed $seed"
for i in 1 2 3 4 5; do
	awk -v seed=$((seed + i)) 'BEGIN { srand(seed); for (i = 0; i < 65536; i++)
		printf "%c", int(rand() * 256) }' > garbage$i.s
	run 1 garbage$i.s
	[ -e out.elf ] && fail "output after garbage"
	grep -q 'error' log.txt || fail "no error for garbage$i.s"
done
printf 'nop\n\000\000\000\nnop\n' > nul.s
run 1 nul.s
grep -q '^nul.s:2:1: error' log.txt || fail "NUL: $(cat log.txt)"

awk 'BEGIN { printf ".word "; for (i = 0; i < 1000000; i++) printf "1+2+3+4+5+"; print "0" }' > long.s
[ "$(wc -c < long.s)" -gt 10000000 ] || fail "long.s is too short"
run 0 long.s
awk 'BEGIN { printf "nop # "; for (i = 0; i < 10500000; i++) printf "x"; print ""; print "addx" }' > longerr.s
run 1 longerr.s
grep -q '^longerr.s:2:1: error: unknown instruction' log.txt || fail "$(head -c 300 log.txt)"
awk 'BEGIN { printf ".word 1"; for (i = 0; i < 10500000; i++) printf " "; print "junk" }' > longcol.s
run 1 longcol.s
[ "$(wc -c < log.txt)" -lt 1000 ] || fail "excerpt of a long line not cut: $(wc -c < log.txt) bytes"

printf '.include "b.s"\n' > a.s
printf 'nop\n.include "a.s"\n' > b.s
run 1 a.s
grep -q 'b.s:2:10: error: include cycle: a.s -> b.s -> a.s' log.txt || fail "cycle: $(cat log.txt)"
printf '.include "self.s"\n' > self.s
run 1 self.s
grep -q 'include cycle' log.txt || fail "self include: $(cat log.txt)"
printf '.include "missing.s"\n' > inc.s
run 1 inc.s
grep -q "inc.s:1:10: error: cannot find include file 'missing.s'" log.txt || fail "$(cat log.txt)"

: > empty.s
run 0 empty.s
printf '.ascii "open\n.byte '"'"'x\n' > unterminated.s
run 1 unterminated.s
[ "$(grep -c error: log.txt)" -eq 2 ] || fail "both unterminated literals: $(cat log.txt)"
echo ok
