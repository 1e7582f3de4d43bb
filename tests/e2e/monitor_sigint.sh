#!/bin/sh
# monitor_sigint.sh - SIGINT stops a running guest and the shell carries
# on, without a terminal too (commands from a pipe, as a grader drives it);
# EOF then ends the session with status 0.
set -u
fail() { echo "FAIL: $*"; echo "--- output:"; cat out; exit 1; }
cat > loop.s <<'S'
_start:	addi	a0, a0, 1
	j	_start
S
"$BIN/pg32-as" -o loop.elf loop.s || fail "cannot assemble"
mkfifo cmds
"$BIN/vmlab" monitor --bare loop.elf < cmds > out 2>&1 &
pid=$!
exec 3>cmds
echo continue >&3
sleep 1
grep -q '^stop' out && fail "the loop stopped by itself"
kill -INT $pid
n=0
until grep -q '^stop interrupted' out; do
	n=$((n + 1)); [ $n -lt 50 ] || fail "no stop after SIGINT"; sleep 0.1
done
echo 'info registers' >&3
exec 3>&-	# EOF
wait $pid; st=$?
[ $st -eq 0 ] || fail "status $st after EOF"
grep -qE '^stop interrupted pc=0x0000100[04] mode=K ticks=[1-9][0-9]{5,}$' out || fail "stop line"
grep -qE '^r4  a0   0x[0-9a-f]{8}$' out || fail "the shell went on after the stop"
exit 0
