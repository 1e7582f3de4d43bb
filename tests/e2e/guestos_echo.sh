#!/bin/sh
# guestos_echo.sh - console input reaches the echo program through the
# read system call, and read returns 0 at its end: the transcript with two
# lines of input must equal guestos/tests/echo.expected.  Input comes from
# a file, so the machine sees all of it at once and the run is
# deterministic (read does not block here: blocking needs input that
# arrives later, in real time, which no deterministic test can give).
cp "$BUILD/guestos/disk.img" disk.img
printf 'one line of input\nand a second one\n' >input
"$BIN/vmlab" run --bare "$BUILD/guestos/kernel.elf" --disk disk.img \
	--max-insns 50000000 <input >out 2>err
rc=$?
status=0
if [ "$rc" -ne 0 ]; then
	echo "exit code $rc, expected 0"; cat err; status=1
fi
diff -u "$SRC/guestos/tests/echo.expected" out || status=1
grep -q -x "echo: end of input after 35 bytes (read returned 0)" out ||
	{ echo "echo did not copy all 35 bytes"; status=1; }
exit $status
