# adbits - the accessed and dirty bits in the guest's own PTEs, as the
# hardware sets them (ISA.md 9.6): A on any access, D on a store only.
# paging.s is stopped at 'back' (after its kernel- and user-mode accesses)
# with 'vmlab monitor -x', and its page table pt1 read; the VMM must leave
# the same words as the bare machine.  The bits count only once the VMM run
# stopped at 'back' too.
. "$SRC/labs/tools/testlib.sh"
BUDGET=5000000
assemble paging.elf "$SRC/tests/e2e/vmm/paging.s"
printf 'break back\ncontinue\nxp/6wx pt1\ncontinue\n' > ad.cmds
for m in bare vmm; do
	if [ $m = bare ]; then o=--bare; else o=; fi
	rec "$(q "$BIN/vmlab" monitor $o --max-insns "$BUDGET" --console ad.$m.console -x ad.cmds paging.elf)> ad.$m.out 2>&1"
	"$BIN/vmlab" monitor $o --max-insns "$BUDGET" --console ad.$m.console -x ad.cmds paging.elf > ad.$m.out 2>&1
	{ echo "=== vmlab monitor $o --max-insns $BUDGET -x ad.cmds paging.elf"; cat ad.$m.out; } >> "$OUT"
done
# The bits are only compared once the VMM run stopped where the bare one
# did: a run that ended elsewhere (a VMM failure, a fault the guest took
# too early) is that difference, not an A or D bit.
stop_at_back() {
	_b=$(grep -a -m 1 '^stop ' ad.bare.out | sed 's/ ticks=.*//')
	_v=$(grep -a -m 1 '^stop ' ad.vmm.out | sed 's/ ticks=.*//')
	[ -n "$_b" ] && [ "$_b" = "$_v" ] && return 0
	echo "expected the VMM run to stop at 'back' as the bare one does:"
	echo "  bare machine:  ${_b:-(no stop)}"
	echo "  under the VMM: ${_v:-(no stop)}"
	grep -a -m 1 -e '^vmlab: ' -e '^error: ' ad.vmm.out | sed 's/^/  /'
	return 1
}
# pte N: word N of pt1 as the monitor printed it (4 per line)
pte() {
	awk -v n="$2" '/^0x0000[0-9a-f]*: / { for (i = 2; i <= NF; i++) w[k++] = $i }
		END { print (n in w) ? w[n] : "none" }' "$1"
}
same_pte() {	# N: the same word on both
	stop_at_back > /dev/null || { echo "not compared: the VMM run did not stop at 'back' (above)"; return 1; }
	_b=$(pte ad.bare.out "$1") _v=$(pte ad.vmm.out "$1")
	[ "$_b" = "$_v" ] && [ "$_b" != none ] && return 0
	echo "pt1[$1]: bare machine $_b, under the VMM $_v (A = 0x20, D = 0x40)"
	[ "$_v" = none ] && tail -n 3 ad.vmm.out
	return 1
}
check 1 "the VMM run stops at 'back' as the bare one does" stop_at_back
check 3 "a page only fetched from: A, no D (pt1[0], ucode)" same_pte 0
check 4 "a page loaded from and stored to: A and D (pt1[1], pgA)" same_pte 1
check 3 "a page only loaded from: A, no D (pt1[2], pgB)" same_pte 2
check 2 "a write-only page stored to: A and D (pt1[3], pgC)" same_pte 3
check 3 "a kernel-only page loaded from: A, no D (pt1[5])" same_pte 5
finish
