#!/bin/sh
# guestos_memsize.sh - the kernel sizes itself from the MEMSIZE port: with
# 2, 64 or 1024 MiB of RAM the programs behave exactly as with the default
# 16 (only the banner's RAM and free-page figures change), every page is
# free again at power off; with 1 MiB, too small for anything past the
# kernel image, it panics cleanly with exit code 1.
status=0
strip() {	# the transcript without the two lines that depend on RAM
	grep -v -e '^PG32 guest OS: ' -e '^\[kernel\] no processes left, ' "$1"
}
strip "$SRC/guestos/tests/boot.expected" >expected
for mib in 2 64 1024; do
	cp "$BUILD/guestos/disk.img" disk.img
	"$BIN/vmlab" run --bare --mem $mib "$BUILD/guestos/kernel.elf" \
		--disk disk.img --max-insns 50000000 </dev/null >out 2>err
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "$mib MiB: exit code $rc, expected 0"; cat err; status=1
	fi
	kib=$((mib * 1024))
	grep -q "^PG32 guest OS: $kib KiB of RAM, paging on, " out ||
		{ echo "$mib MiB: no banner with $kib KiB"; status=1; }
	before=$(sed -n 's/^PG32 guest OS: .* paging on, \([0-9]*\) free pages$/\1/p' out)
	after=$(sed -n 's/^\[kernel\] no processes left, \([0-9]*\) free pages, powering off$/\1/p' out)
	[ -n "$before" ] && [ "$before" = "$after" ] ||
		{ echo "$mib MiB: free pages $before at boot, '$after' at power off"; status=1; }
	strip out >got
	diff -u expected got || status=1
done
cp "$BUILD/guestos/disk.img" disk.img
"$BIN/vmlab" run --bare --mem 1 "$BUILD/guestos/kernel.elf" --disk disk.img \
	--max-insns 1000000 </dev/null >out 2>err
rc=$?
[ "$rc" -eq 1 ] || { echo "1 MiB: exit code $rc, expected 1"; status=1; }
grep -q -x '\[kernel\] panic: out of memory while mapping RAM' out ||
	{ echo "1 MiB: no panic message"; cat out; status=1; }
exit $status
