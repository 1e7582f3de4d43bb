#!/bin/sh
# examples_sieve.sh - examples/sieve.s counts the primes up to 10000 and prints the last five
# Checks the whole transcript (as examples/README.md gives it) and exit code 0.
"$BIN/vmlab" run --bare "$BUILD/examples/sieve.elf" --max-insns 2000000 >out 2>err
rc=$?
cat >expected <<'END'
primes up to 10000: 1229
last five: 9931 9941 9949 9967 9973
END
status=0
if [ "$rc" -ne 0 ]; then
	echo "exit code $rc, expected 0"; cat err; status=1
fi
diff -u expected out || status=1
exit $status
