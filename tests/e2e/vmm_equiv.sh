#!/bin/sh
# vmm_equiv.sh - equivalence, the VMM's central property (vm/vmm/README.md):
# every guest program gives the same console output, exit status, final
# guest-visible state (vmlab run --state: pc, registers, every control
# register as mfcr reads it, ticks, a checksum of all of RAM) and disk
# contents on the bare machine and under the VMM with both shadow policies
# and with nested paging (--mmu=nested, the PG32-V machine's guest mode).
#
# The programs: tests/e2e/vmm/*.s (one per area: control registers, trap
# causes, interrupt windows, paging, disk DMA, double faults, deadlock, a
# hostile guest; each says its expected exit status in a "# exit: N" line,
# and most check their own trap count), and every example.
set -u
fail=0
disk() { yes "vmlab disk pattern 0123456789" | head -c 8192 > "$1"; }

# compare NAME ELF EXPECTED_STATUS: run it three ways and diff everything.
compare() {
	name=$1 elf=$2 want=$3
	for mode in bare flush trace nested; do
		case $mode in
		bare) opt=--bare ;; nested) opt=--mmu=nested ;; *) opt=--shadow=$mode ;;
		esac
		disk "$name.$mode.img"
		"$BIN/vmlab" run $opt --state --max-insns 50000000 --disk "$name.$mode.img" \
			"$elf" </dev/null >"$name.$mode.out" 2>"$name.$mode.state"
		echo $? > "$name.$mode.rc"
	done
	if [ "$(cat "$name.bare.rc")" != "$want" ]; then
		echo "FAIL $name: bare exit status $(cat "$name.bare.rc"), want $want"
		sed 's/^/    /' "$name.bare.state" | head -5
		fail=1
	fi
	for mode in flush trace nested; do
		for f in rc out state img; do
			if ! cmp -s "$name.bare.$f" "$name.$mode.$f"; then
				echo "FAIL $name: $mode: $f differs from the bare machine's"
				diff "$name.bare.$f" "$name.$mode.$f" 2>/dev/null | head -10 | sed 's/^/    /'
				fail=1
			fi
		done
	done
	grep -q '^ram_fnv1a: ' "$name.bare.state" || { echo "FAIL $name: no --state"; fail=1; }
}

n=0
for s in "$SRC"/tests/e2e/vmm/*.s; do
	name=$(basename "$s" .s)
	want=$(sed -n 's/^# exit: \([0-9]*\)$/\1/p' "$s")
	[ -n "$want" ] || { echo "FAIL $name: no '# exit: N' line"; fail=1; continue; }
	"$BIN/pg32-as" -o "$name.elf" "$s" || { echo "FAIL $name: does not assemble"; fail=1; continue; }
	compare "$name" "$name.elf" "$want"
	n=$((n + 1))
done
for e in "$BUILD"/examples/*.elf; do
	compare "example-$(basename "$e" .elf)" "$e" 0
	n=$((n + 1))
done
[ "$n" -ge 13 ] || { echo "FAIL: only $n programs compared"; fail=1; }
exit $fail
