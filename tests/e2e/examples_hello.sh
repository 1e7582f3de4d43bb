#!/bin/sh
# examples_hello.sh - examples/hello.s prints its greeting
# Checks the whole transcript (as examples/README.md gives it) and exit code 0.
"$BIN/vmlab" run --bare "$BUILD/examples/hello.elf" --max-insns 10000 >out 2>err
rc=$?
cat >expected <<'END'
Hello, PG32!
END
status=0
if [ "$rc" -ne 0 ]; then
	echo "exit code $rc, expected 0"; cat err; status=1
fi
diff -u expected out || status=1
exit $status
