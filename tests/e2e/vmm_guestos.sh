#!/bin/sh
# vmm_guestos.sh - the unmodified guest OS under the VMM: the golden boot
# transcript, and the same console output, exit status, --state (registers,
# control registers, ticks, RAM checksum) and disk image as on the bare
# machine, with both shadow policies and with nested paging (--mmu=nested);
# with console input (echo); with other memory sizes.  The disk image is copied for every run.
set -u
fail=0
run() {	# run NAME MODE-OPTION [vmlab options...] <input
	name=$1; shift
	cp "$BUILD/guestos/disk.img" "$name.img"
	"$BIN/vmlab" run "$@" --state --max-insns 200000000 --disk "$name.img" \
		"$BUILD/guestos/kernel.elf" >"$name.out" 2>"$name.state"
	echo $? > "$name.rc"
}
same() {	# same A B: every artifact of run A equals run B's
	for f in rc out state img; do
		cmp -s "$1.$f" "$2.$f" || {
			echo "FAIL: $2 differs from $1 in $f"
			diff "$1.$f" "$2.$f" 2>/dev/null | head -10 | sed 's/^/    /'
			fail=1
		}
	done
}

run bare --bare </dev/null
run flush --shadow=flush </dev/null
run trace --shadow=trace </dev/null
run default </dev/null
run nested --mmu=nested </dev/null
[ "$(cat flush.rc)" = 0 ] || { echo "FAIL: exit status $(cat flush.rc)"; cat flush.state; fail=1; }
diff -u "$SRC/guestos/tests/boot.expected" flush.out || fail=1
same bare flush
same bare trace
same flush default
same bare nested

# Console input: echo copies it, interrupts arrive at the same ticks.
printf 'hello from the host\nsecond line\n' > input
run ebare --bare <input
run eflush --shadow=flush <input
run etrace --shadow=trace <input
run enested --mmu=nested <input
grep -q 'second line' eflush.out || { echo "FAIL: echo did not copy the input"; fail=1; }
same ebare eflush
same ebare etrace
same ebare enested

# Other memory sizes: the VMM's area grows with the guest.
for mib in 2 64; do
	run "b$mib" --bare --mem $mib </dev/null
	run "f$mib" --shadow=flush --mem $mib </dev/null
	run "t$mib" --shadow=trace --mem $mib </dev/null
	run "n$mib" --mmu=nested --mem $mib </dev/null
	same "b$mib" "f$mib"
	same "b$mib" "t$mib"
	same "b$mib" "n$mib"
done
exit $fail
