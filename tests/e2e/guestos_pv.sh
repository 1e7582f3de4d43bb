#!/bin/sh
# guestos_pv.sh - one guest OS binary, three ways (vm/vmm/HYPERCALLS.md):
# on the bare machine and under the VMM without --pv its probe hcall traps
# to its own handler and it runs natively; under --pv it finds the
# hypervisor and runs paravirtual.  The console output, the exit status and
# the disk image are the same every way, with both shadow policies and with
# console input; --stats shows the hypercalls (and no hypercall without
# --pv), and the paravirtual kernel exits far less often.
set -u
fail=0
run() {	# run NAME [vmlab options...] <input
	name=$1; shift
	cp "$BUILD/guestos/disk.img" "$name.img"
	"$BIN/vmlab" run "$@" --stats --max-insns 200000000 --disk "$name.img" \
		"$BUILD/guestos/kernel.elf" >"$name.out" 2>"$name.stats"
	echo $? > "$name.rc"
}
same() {	# same A B: console output, exit status, disk image
	for f in rc out img; do
		cmp -s "$1.$f" "$2.$f" || {
			echo "FAIL: $2 differs from $1 in $f"
			diff "$1.$f" "$2.$f" 2>/dev/null | head -10 | sed 's/^/    /'
			fail=1
		}
	done
}
stat() {	# stat NAME COUNTER: its value, 0 if not printed
	v=$(sed -n "s/^$2: //p" "$1.stats")
	echo "${v:-0}"
}

run bare --bare </dev/null
run flush --shadow=flush </dev/null
run trace --shadow=trace </dev/null
run pvflush --pv --shadow=flush </dev/null
run pvtrace --pv --shadow=trace </dev/null
[ "$(cat pvflush.rc)" = 0 ] || { echo "FAIL: exit status $(cat pvflush.rc)"; cat pvflush.stats; fail=1; }
diff -u "$SRC/guestos/tests/boot.expected" pvflush.out || fail=1
same bare flush
same bare trace
same bare pvflush
same bare pvtrace

# Without --pv the probe is reflected: one hcall exit, no hypercall served.
[ "$(stat flush vmm_exits_hcall)" = 1 ] || { echo "FAIL: flush: the probe hcall was not one reflected exit"; fail=1; }
grep -q '^vmm_hcall_' flush.stats && { echo "FAIL: flush: hypercalls served without --pv"; fail=1; }
[ "$(stat bare trap_hcall)" = 1 ] || { echo "FAIL: bare: the probe did not trap once"; fail=1; }
# With --pv: every paravirtual path was taken.
for n in probe shared console-write set-timer set-ptb block iret bounced_traps blk-setup blk-notify; do
	for r in pvflush pvtrace; do
		[ "$(stat $r vmm_hcall_$n)" -gt 0 ] || { echo "FAIL: $r: no vmm_hcall_$n"; fail=1; }
	done
done
# The programs came from the disk by the block ring, every byte of them.
[ "$(stat pvflush vmm_pvblk_requests)" = "$(stat bare disk_reads)" ] \
	|| { echo "FAIL: pvflush: $(stat pvflush vmm_pvblk_requests) ring requests, $(stat bare disk_reads) disk reads bare"; fail=1; }
[ "$(stat pvflush vmm_pvblk_errors)" = 0 ] || { echo "FAIL: pvflush: ring errors"; fail=1; }
[ "$(stat pvflush vmm_hcall_probe)" = 1 ] || { echo "FAIL: pvflush: probed more than once"; fail=1; }
# Every user trap bounces, and the kernel's own trap path no longer exits.
[ "$(stat pvflush vmm_hcall_bounced_traps)" -ge "$(stat flush vmm_exits_syscall)" ] \
	|| { echo "FAIL: pvflush: fewer bounced traps than syscalls"; fail=1; }
te=$(stat flush vmm_exits_privileged) pv=$(stat pvflush vmm_exits_privileged)
[ $((pv * 2)) -lt "$te" ] || { echo "FAIL: privileged exits $pv paravirtual, $te native: not halved"; fail=1; }

# Console input: echo copies it the same way.
printf 'hello from the host\nsecond line\n' > input
run ebare --bare <input
run epv --pv <input
run epvtrace --pv --shadow=trace <input
grep -q 'second line' epv.out || { echo "FAIL: echo did not copy the input"; fail=1; }
same ebare epv
same ebare epvtrace

# The monitor's info vcpu shows the shared page the guest registered.
printf 'break all_done\ncontinue\ninfo vcpu\n' > cmds
cp "$BUILD/guestos/disk.img" m.img
"$BIN/vmlab" monitor --pv -x cmds --disk m.img "$BUILD/guestos/kernel.elf" >mon.out 2>&1 </dev/null
grep -qE '^shared page        0x[0-9a-f]{8} \(guest-physical\)$' mon.out \
	&& grep -qE '^  vif              [01] ' mon.out && grep -qE '^block ring         0x[0-9a-f]{8} N=8, [1-9]' mon.out \
	|| { echo "FAIL: info vcpu under --pv"; cat mon.out; fail=1; }
cp "$BUILD/guestos/disk.img" m.img
"$BIN/vmlab" monitor -x cmds --disk m.img "$BUILD/guestos/kernel.elf" >mon.out 2>&1 </dev/null
grep -q '^paravirtual interface: not offered' mon.out || { echo "FAIL: info vcpu without --pv"; cat mon.out; fail=1; }

# --trace=hcall: one line per hypercall, its name and arguments; iret
# leaves kernel mode.  Nothing else is in the category.
cp "$BUILD/guestos/disk.img" d.img
"$BIN/vmlab" run --pv --trace=hcall --trace-file hc.tr --disk d.img "$BUILD/guestos/kernel.elf" >/dev/null 2>&1 </dev/null
head -1 hc.tr | grep -qE '^[0-9]+ K 0x[0-9a-f]{8} hcall probe a1=0x[0-9a-f]{8} a2=0x[0-9a-f]{8} a3=0x[0-9a-f]{8}$' \
	|| { echo "FAIL: the first hcall trace line"; head -2 hc.tr; fail=1; }
grep -qE '^[0-9]+ K>U 0x[0-9a-f]{8} hcall iret ' hc.tr || { echo "FAIL: no iret K>U line"; fail=1; }
[ "$(grep -c ' hcall ' hc.tr)" = "$(wc -l < hc.tr)" ] || { echo "FAIL: other lines in the hcall trace"; fail=1; }

# The trap picture draws the hypercalls as a handler of their own.
cp "$BUILD/guestos/disk.img" d.img
"$BIN/vmlab" run --pv --dot pv.dot --disk d.img "$BUILD/guestos/kernel.elf" >/dev/null 2>&1 </dev/null
grep -q '"h_hypercall" \[' pv.dot && grep -q 'kernel -> "h_hypercall"' pv.dot \
	|| { echo "FAIL: no hypercall handler in the --pv picture"; grep h_ pv.dot | head -5; fail=1; }

# --pv is the VMM's: the bare machine has no hypercalls.
"$BIN/vmlab" run --bare --pv "$BUILD/guestos/kernel.elf" >/dev/null 2>err
[ $? = 125 ] && grep -q -- '--pv' err || { echo "FAIL: --bare --pv was not refused"; cat err; fail=1; }
exit $fail
