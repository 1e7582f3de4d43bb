#!/bin/sh
# examples_trap.sh - examples/trap.s handles a syscall, a break, a misaligned load and a timer interrupt
# Checks the whole transcript (as examples/README.md gives it) and exit code 0.
"$BIN/vmlab" run --bare "$BUILD/examples/trap.elf" --max-insns 100000 >out 2>err
rc=$?
cat >expected <<'END'
trap example
trap: cause 3 syscall
trap: cause 4 break
trap: cause 6 misaligned, badva 0x00000102
trap: cause 16 timer
back in main
END
status=0
if [ "$rc" -ne 0 ]; then
	echo "exit code $rc, expected 0"; cat err; status=1
fi
diff -u expected out || status=1
exit $status
