# adbits - the accessed and dirty bits in the guest's own PTEs, as the
# hardware sets them (ISA.md 9.6): A on any access, D on a store only.
# paging.s is stopped at 'back' (after its kernel- and user-mode accesses)
# with 'vmlab monitor -x', and its page table pt1 read; the VMM must leave
# the same words as the bare machine.
. "$SRC/labs/tools/testlib.sh"
BUDGET=5000000
assemble paging.elf "$SRC/tests/e2e/vmm/paging.s"
printf 'break back\ncontinue\nxp/6wx pt1\ncontinue\n' > ad.cmds
for m in bare vmm; do
	if [ $m = bare ]; then o=--bare; else o=; fi
	"$BIN/vmlab" monitor $o --max-insns "$BUDGET" -x ad.cmds paging.elf > ad.$m.out 2>&1
	{ echo "=== vmlab monitor $o --max-insns $BUDGET -x ad.cmds paging.elf"; cat ad.$m.out; } >> "$OUT"
done
# pte N: word N of pt1 as the monitor printed it (4 per line)
pte() {
	awk -v n="$2" '/^0x0000[0-9a-f]*: / { for (i = 2; i <= NF; i++) w[k++] = $i }
		END { print (n in w) ? w[n] : "none" }' "$1"
}
same_pte() {	# N: the same word on both
	_b=$(pte ad.bare.out "$1") _v=$(pte ad.vmm.out "$1")
	[ "$_b" = "$_v" ] && [ "$_b" != none ] && return 0
	echo "pt1[$1]: bare machine $_b, under the VMM $_v (A = 0x20, D = 0x40)"
	[ "$_v" = none ] && tail -n 3 ad.vmm.out
	return 1
}
check 3 "a page only fetched from: A, no D (pt1[0], ucode)" same_pte 0
check 4 "a page loaded from and stored to: A and D (pt1[1], pgA)" same_pte 1
check 3 "a page only loaded from: A, no D (pt1[2], pgB)" same_pte 2
check 2 "a write-only page stored to: A and D (pt1[3], pgC)" same_pte 3
check 3 "a kernel-only page loaded from: A, no D (pt1[5])" same_pte 5
finish
