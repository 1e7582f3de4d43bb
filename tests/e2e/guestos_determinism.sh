#!/bin/sh
# guestos_determinism.sh - two runs of the guest OS give the identical
# transcript and the same instruction count (--stats): nothing it does
# depends on anything but its inputs.
run() {
	cp "$BUILD/guestos/disk.img" disk$1.img
	"$BIN/vmlab" run --bare "$BUILD/guestos/kernel.elf" --disk disk$1.img \
		--max-insns 50000000 --stats </dev/null >out$1 2>err$1
	echo "exit $?" >>out$1
}
run 1
run 2
status=0
diff -u out1 out2 || status=1
diff -u err1 err2 || status=1
grep -q . out1 || { echo "no output"; status=1; }
exit $status
