#!/bin/sh
# monitor_nested.sh - the monitor under --mmu=nested shows hardware
# assist's side (monitor/README.md): 'info vcpu' the guest-state area with
# its intercepts decoded, 'translate' the two-dimensional walk reference by
# reference (8 for a mapped page with guest paging on), 'info pagetable'
# the nested table after the guest's.  The guest OS, stopped in a user
# program.
set -u
fail=0
say() { echo "FAIL: $*"; fail=1; }
cp "$BUILD/guestos/disk.img" d.img
printf 'step 300000\ninfo vcpu\ntranslate 0x40002000 user\ntranslate 0x7000 user\ninfo pagetable\ndot pagetable p.dot\nquit\n' > cmds
"$BIN/vmlab" monitor --mmu=nested -x cmds --console /dev/null --disk d.img \
	"$BUILD/guestos/kernel.elf" >out 2>err || say "monitor exit status $? ($(cat err))"
has() { grep -q -- "$1" out || say "no line matching '$1'"; }
has '^guest-state area   0x'
has '^  intercepts    0x000000c8  wfi in out$'
has '^  mtcr exits    0x00000200  timecmp$'
has '^  nptb          0x[0-9a-f]*  root=0x[0-9a-f]* nested paging on$'
has '^  vmid          1$'
has '^2-D walk (nested root 0x'
has '^  8\. npte \[0x'
has '^8 memory references (2-D walk)$'
has "^the guest's own fault: pf-load-prot"
has '^nested page table: root=0x'
[ "$(grep -c '^  [1-8]\. ' out)" = 14 ] || say "$(grep -c '^  [1-8]\. ' out) walk references listed, want 8 + 6"
grep -q '^  nptb -> nested_dir;' p.dot || say "dot pagetable: no nested table"
grep -q 'nested_dir:p0 -> nested_t0' p.dot || say "dot pagetable: the nested table of guest-physical 0-4 MiB"
if command -v dot >/dev/null; then dot -Tsvg p.dot -o p.svg || say "dot pagetable: Graphviz rejects it"; fi
# Under shadow paging the monitor shows the shadow, and no GSA.
"$BIN/vmlab" monitor -x cmds --console /dev/null --disk d.img "$BUILD/guestos/kernel.elf" >sout 2>&1
grep -q '^guest-state area' sout && say "a GSA under shadow paging"
grep -q '^shadow   root=' sout || say "no shadow walk under shadow paging"
exit $fail
