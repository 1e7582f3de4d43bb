# guestos - the guest OS paravirtual (all tasks): the same kernel binary
# finds the hypervisor under --pv and runs its programs with hypercalls,
# the bounce and the block ring, with both shadow policies; the console
# output and the disk are the bare machine's, every paravirtual path is
# taken, and it exits far less often than fully virtualized.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
. "$LAB/tests/pvlib.sh"
BUDGET=20000000
DISK=$BUILD/guestos/disk.img
both native "$BUILD/guestos/kernel.elf"
BASE=native
for POLICY in flush trace; do
	pv pv_$POLICY "$BUILD/guestos/kernel.elf"
	check 3 "$POLICY: the same exit status (0) as on the bare machine" exits $RC_VMM $RC_BARE
	[ $POLICY = flush ] && RC_FLUSH=$RC_VMM
	check 6 "$POLICY: the bare machine's console output" same_output pv_$POLICY
	check 3 "$POLICY: the same disk as bare" same_disk pv_$POLICY
done
for n in probe shared console-write set-timer set-ptb block iret blk-setup blk-notify bounced_traps; do
	check 1 "--stats counts vmm_hcall_$n" finished $RC_FLUSH stat_above pv_flush vmm_hcall_$n 0 "the guest OS's $n hypercalls counted"
done
# The programs came from the disk by the ring, as many requests as reads bare.
reads=$(sed -n 's/^disk_reads: //p' native.bare.err)
check 3 "the programs come by the ring: $reads requests, as many as disk reads bare" \
	finished $RC_FLUSH test "$(stat pv_flush vmm_pvblk_requests)" = "$reads"
te=$(stat native vmm_exits_privileged) pvx=$(stat pv_flush vmm_exits_privileged)
check 2 "paravirtual: fewer than half the privileged exits ($pvx, fully virtualized $te)" \
	finished $RC_FLUSH test "$((${pvx:-0} * 2))" -lt "${te:-0}"
finish
