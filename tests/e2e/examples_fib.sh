#!/bin/sh
# examples_fib.sh - examples/fib.s prints the first 20 Fibonacci numbers
# Checks the whole transcript (as examples/README.md gives it) and exit code 0.
"$BIN/vmlab" run --bare "$BUILD/examples/fib.elf" --max-insns 100000 >out 2>err
rc=$?
cat >expected <<'END'
0
1
1
2
3
5
8
13
21
34
55
89
144
233
377
610
987
1597
2584
4181
END
status=0
if [ "$rc" -ne 0 ]; then
	echo "exit code $rc, expected 0"; cat err; status=1
fi
diff -u expected out || status=1
exit $status
