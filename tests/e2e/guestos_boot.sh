#!/bin/sh
# guestos_boot.sh - the guest OS boots, runs every program on its disk with
# their output interleaved by preemption, reports the killed ones, and
# powers off with 0: the whole transcript must equal the golden one
# (guestos/README.md; regenerate it when a program changes on purpose).
# Console input is empty (at its end), so echo copies nothing.
cp "$BUILD/guestos/disk.img" disk.img	# the guest may write its disk
"$BIN/vmlab" run --bare "$BUILD/guestos/kernel.elf" --disk disk.img \
	--max-insns 50000000 </dev/null >out 2>err
rc=$?
status=0
if [ "$rc" -ne 0 ]; then
	echo "exit code $rc, expected 0"; cat err; status=1
fi
diff -u "$SRC/guestos/tests/boot.expected" out || status=1
exit $status
