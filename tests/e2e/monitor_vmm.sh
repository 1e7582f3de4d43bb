#!/bin/sh
# monitor_vmm.sh - the VMM-only views of 'vmlab monitor' under the VMM:
# until-trap stops at each exit with its handler, info vcpu, translate with
# the shadow walk, info shadow, info pagetable --both, watch on a
# guest-virtual address (watched guest-physical, as 'watch' and 'info
# breakpoints' both say), and info stats.
set -u
fail() { echo "FAIL: $*"; echo "--- output:"; cat out; exit 1; }
has() { grep -qE -- "$1" out || fail "no line matching '$1'"; }
K=$BUILD/guestos/kernel.elf
cp "$BUILD/guestos/disk.img" disk.img

"$BIN/vmlab" monitor "$K" --disk disk.img > out 2>&1 <<'C'
until-trap
until-trap
info vcpu
catch syscall
continue
translate $pc
translate epc user
info shadow
info shadow user
info pagetable --both
info pagetable
delete 1
watch $sp
info breakpoints
continue
info stats
C
[ $? -eq 0 ] || fail "status"
# The first instruction's fetch is a hidden fault (the shadow is empty);
# the first mtcr is emulated.
has '^stop trap pf-fetch from=K at=0x00001000 badva=0x00001000 handler=hidden-fault pc=0x00001000 mode=K ticks=0$'
has '^stop trap privileged from=K at=0x[0-9a-f]{8} badva=0x61[0-9a-f]{6} handler=emulate-mtcr '
has '^virtual mode       kernel$'
has '^vstatus  0x00000001  KM \(kernel\)$'
has '^pending virtual interrupts: none$'
has '^stop catch 1 syscall from=U .* handler=reflect pc=0x000010c8 mode=K'
# translate: the guest's walk, then the shadow's, to a machine address.
has '^guest    ptb=0x00106001 paging on$'
has '^pde      \[0x00106000\] = 0x[0-9a-f]{8}$'
has '^pte      \[0x[0-9a-f]{8}\] = 0x[0-9a-f]{8} VRWX-A.$'
has '^gpa      0x000010c8$'
has '^shadow   root=0x[0-9a-f]{8} \(kernel\)$'
has '^mpa      0x[0-9a-f]{8}$'
has '^shadow   root=0x[0-9a-f]{8} \(user\)$'
has '^shadow page table for guest kernel mode \(machine-physical\)$'
has '^shadow page table for guest user mode \(machine-physical\)$'
has '^0x40000000-0x40000fff -> 0x[0-9a-f]{8}-0x[0-9a-f]{8}      1  VR-XUA-$'
has '^guest page table \| shadow page table \(kernel mode\)$'
has '^0x00001000-0x00001fff -> 0x00001000-0x00001fff VRWX- \| 0x[0-9a-f]{8}-0x[0-9a-f]{8} VR-XU$'
has '^[0-9]+ guest pages mapped, [0-9]+ filled in the shadow$'
has '^guest page table: ptb=0x00106001 root=0x00106000$'
has '^[0-9]+ pages mapped in [0-9]+ runs$'
# The watchpoint is guest-physical, and says so when set and when listed.
has '^watchpoint 2 at 0x[0-9a-f]{8} physical \(virtual 0x[0-9a-f]{8}, translated when set\)$'
set_text=$(sed -n 's/^watchpoint 2 at //p' out)
grep -qxF "2 watchpoint $set_text hits=0" out || fail "info breakpoints says other than 'watch': $set_text"
has '^stop watchpoint 2 addr=0x[0-9a-f]{8} old=0x[0-9a-f]{8} new=0x[0-9a-f]{8} pc='
has '^vmm_emulated: [0-9]+$'
has '^vmm_exits_privileged: [0-9]+$'
has '^vmm_pages_write_protected: 0$'

# --shadow=trace runs the trace policy: the guest OS's page tables are
# write-protected; the default (flush) protects none.
printf 'catch syscall\ncontinue\ninfo stats\n' > script
"$BIN/vmlab" monitor --shadow=trace -x script "$K" --disk disk.img > out 2>&1 || fail "trace: status"
has '^vmm_pages_write_protected: [1-9][0-9]*$'

# A breakpoint at the entry stops once: the next continue passes it, even
# though the VMM's first turn of its loop there only delivers guest events.
printf 'break _start\ncontinue\ncontinue\n' > script
"$BIN/vmlab" monitor -x script "$K" --disk disk.img --max-insns 50000 > out 2>&1
[ "$(grep -c '^stop breakpoint 1 ' out)" = 1 ] || fail "a breakpoint at the entry stopped twice"
has '^stop budget pc='
exit 0
