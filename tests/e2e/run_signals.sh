#!/bin/sh
# run_signals.sh - 'vmlab run' stopped by a signal (SIGINT: Ctrl-C, SIGTERM:
# a grader's timeout), bare and under the VMM: every line the guest printed
# reaches a file while it runs, and after the signal what it printed since,
# the --stats counters and the trace are written too; the status is
# 128 + the signal (130, 143).  Also a guest asleep in wfi waiting for
# console input that never comes (the host blocked in poll).
set -u
fail() { echo "FAIL: $*"; echo "--- out:"; cat out; echo "--- err:"; cat err; exit 1; }
cat > spin.s <<'S'
_start:	la	t0, msg
1:	lbu	t1, 0(t0)
	beqz	t1, 2f
	out	t1, 0x00(zero)
	addi	t0, t0, 1
	j	1b
2:	beqz	a1, 3f			# a1 = 0: spin; else wait for input
	li	t1, 1			# console RXIE
	out	t1, 0x02(zero)
	li	t1, 2			# imask: the console line only
	mtcr	imask, t1
	wfi
3:	addi	a0, a0, 1
	j	3b
	.data
msg:	.asciz	"ready\npartial"
S
sed 's/^_start:	la	t0, msg/_start:	li	a1, 1\n	la	t0, msg/' spin.s > wait.s
"$BIN/pg32-as" -o spin.elf spin.s && "$BIN/pg32-as" -o wait.elf wait.s || fail "assemble"
mkfifo in

# run MODE SIG ELF WANT: start it, wait for its first line, signal it.
run() {
	exec 3<>in	# the guest's stdin: open, never written
	: > out
	"$BIN/vmlab" run $1 --stats --trace=dev --trace-file t.tr "$3" <&3 >out 2>err &
	pid=$!
	n=0
	until grep -q '^ready$' out; do
		n=$((n + 1)); [ $n -lt 100 ] || { kill -KILL $pid; fail "$*: no line while it runs"; }
		sleep 0.1
	done
	kill -"$2" $pid
	wait $pid; st=$?
	exec 3<&-
	[ $st -eq "$4" ] || fail "$*: status $st, want $4"
	[ "$(tail -c 7 out)" = partial ] || fail "$*: the guest's last (unfinished) line lost"
	grep -q "^vmlab: interrupted by SIG$2 at pc 0x[0-9a-f]\{8\} after [0-9]* ticks$" err ||
		fail "$*: no 'interrupted' line"
	grep -q '^ticks: [1-9]' err || fail "$*: no --stats"
	grep -q ' dev out port=0x00 (cons-data) value=0x00000070$' t.tr || fail "$*: trace not written"
}
for mode in --bare --shadow=flush; do
	run $mode INT spin.elf 130
	run $mode TERM spin.elf 143
	run $mode INT wait.elf 130
done
grep -q '^vmm_guest_ticks: [1-9]' err || fail "no VMM --stats"
exit 0
