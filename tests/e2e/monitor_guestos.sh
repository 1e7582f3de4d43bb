#!/bin/sh
# monitor_guestos.sh - step the guest OS to its first system call, on the
# bare machine and under the VMM, and look at both register views.  The
# guest's view (info registers) must be the same in both modes, tick for
# tick (equivalence); the host's view (info host) must show the VMM's
# difference: physical user mode, a shadow ptb, the VMM's own tvec.
set -u
fail() { echo "FAIL: $*"; exit 1; }
K=$BUILD/guestos/kernel.elf

session() {	# mode-flag output-file
	cp "$BUILD/guestos/disk.img" disk.img
	"$BIN/vmlab" monitor $1 "$K" --disk disk.img > "$2" 2>&1 <<'C'
catch syscall
continue
info registers
info host
x/1i epc
C
	[ $? -eq 0 ] || { cat "$2"; fail "monitor $1: status"; }
}
session --bare bare.out
session "" vmm.out

for f in bare.out vmm.out; do
	grep -qE '^stop catch 1 syscall from=U at=0x40000[0-9a-f]{3} badva=0x00000000 .*pc=0x[0-9a-f]{8} mode=K ticks=[0-9]+$' $f \
		|| { cat $f; fail "$f: the stop at the first syscall"; }
	grep -qE '^cause    0x00000003  syscall$' $f || fail "$f: cause"
	grep -qE '^status   0x0000000[9b]  KM (IE )?PIE \(kernel\)$' $f || fail "$f: status (trap from user)"
	grep -qE '^epc      0x40000[0-9a-f]{3}$' $f || fail "$f: epc in user text"
	grep -qE '^   0x40000[0-9a-f]{3}: 50000000  syscall$' $f || { cat $f; fail "$f: x/1i epc"; }
done
grep -q 'handler=reflect' vmm.out || fail "under the VMM the syscall is reflected"

# Equivalence: the registers the guest sees are identical.
sed -n '/^pc /,/^icount /{p;/^icount /q;}' bare.out > bare.regs
sed -n '/^pc /,/^icount /{p;/^icount /q;}' vmm.out > vmm.regs
[ "$(wc -l < bare.regs)" -eq 28 ] || fail "28 register lines"
diff -u bare.regs vmm.regs || fail "the guest's registers differ between bare and VMM"

# The host's view: the same on the bare machine...
grep -q '^bare machine: the guest runs on the machine itself' bare.out || fail "bare info host"
grep -qE '^mode     kernel       kernel *$' bare.out || fail "bare: host mode"
grep -qE '\*$' bare.out && fail "bare: no differences"
# ...and under the VMM the machine runs the guest kernel in user mode on
# a shadow table, with the VMM's trap vector.
grep -qE '^mode     kernel       user +\*$' vmm.out || fail "VMM: physical mode user"
grep -qE '^ptb      0x00106001   0x[0-9a-f]{8}  \*$' vmm.out || fail "VMM: shadow ptb"
grep -qE '^tvec     0x000010c8   0x[0-9a-f]{8}  \*$' vmm.out || fail "VMM: the VMM's tvec"
exit 0
