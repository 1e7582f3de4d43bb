#!/bin/sh
# guestos_faults.sh - each way a user process can break the rules kills it
# alone, with one line naming pid, cause and address (guestos/README.md,
# "Traps"), and bad system call arguments return errors instead: the
# processes after them still run and the machine powers off with 0.
cp "$BUILD/guestos/disk.img" disk.img
"$BIN/vmlab" run --bare "$BUILD/guestos/kernel.elf" --disk disk.img \
	--max-insns 50000000 </dev/null >out 2>err
rc=$?
status=0
if [ "$rc" -ne 0 ]; then
	echo "exit code $rc, expected 0"; cat err; status=1
fi
expect() {	# expect LINE WHY: LINE occurs exactly once in the transcript
	n=$(grep -c -x -F "$1" out)
	if [ "$n" -ne 1 ]; then
		echo "$2: expected the line once, found it $n times:"
		echo "    $1"
		status=1
	fi
}
expect_not() {	# expect_not LINE WHY: LINE must not occur
	if grep -q -x -F "$1" out; then
		echo "$2: unexpected line: $1"; status=1
	fi
}
expect "[kernel] pid 5 (wrtext) killed: pf-store-prot at 0x40000000" \
	"store to read-only text"
expect_not "wrtext: still alive?" "wrtext ran past its fault"
expect "[kernel] pid 6 (badload) killed: pf-load at 0x60000000" \
	"load from an unmapped address"
expect_not "badload: still alive?" "badload ran past its fault"
kill_priv=$(grep '^\[kernel\] pid 7 (priv) killed: privileged at 0x400' out)
[ -n "$kill_priv" ] || { echo "privileged instruction: no kill line"; status=1; }
expect_not "priv: still alive?" "priv ran past its fault"
expect "[kernel] pid 8 (stackbomb) killed: pf-store at 0x7ffefffc" \
	"stack growth beyond the limit"
expect "memtest: stack grew by 8 pages, checked" "stack growth within the limit"
for call in "write(1, 0x00001000, 4) = -2" "write(1, 0x50000000, 4) = -2" \
	    "write(1, 0x7ffffff0, 32) = -2" "read(0, main, 4) = -2" \
	    "write(7, ...) = -3" "write(1, ..., -1) = -5" "syscall 99 = -1"; do
	expect "badptr: $call" "bad system call argument"
done
expect "badptr: still alive" "bad arguments must not kill"
expect "memtest: sbrk(1000000) = -4" "sbrk beyond memory"
expect "[kernel] pid 10 (badptr) exited with status 0" "the last process exits"
# Power off when all have exited, with every page back on the free list.
before=$(sed -n 's/^PG32 guest OS: .* paging on, \([0-9]*\) free pages$/\1/p' out)
after=$(sed -n 's/^\[kernel\] no processes left, \([0-9]*\) free pages, powering off$/\1/p' out)
if [ -z "$before" ] || [ "$before" != "$after" ]; then
	echo "free pages at boot '$before', at power off '$after': a leak, or no power off"
	status=1
fi
exit $status
