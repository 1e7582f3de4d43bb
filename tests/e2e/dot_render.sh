#!/bin/sh
# dot_render.sh - every Graphviz picture renders with the real dot
# (-Tsvg) and shows what it should: the traps of a guest OS boot on the
# bare machine and under the VMM (vmlab run --dot, monitor 'dot traps'),
# and the page tables with paging off, on the bare machine and under the
# VMM ('dot pagetable').
set -u
fail() { echo "FAIL: $*"; exit 1; }
command -v dot >/dev/null || fail "graphviz's dot is not installed"
K=$BUILD/guestos/kernel.elf
render() {
	dot -Tsvg "$1" -o "$1.svg" 2>dot.err || { cat dot.err; fail "$1 does not render"; }
	[ ! -s dot.err ] || { cat dot.err; fail "$1: dot warns"; }
	grep -q '<svg' "$1.svg" || fail "$1.svg is not SVG"
}

cp "$BUILD/guestos/disk.img" disk.img
"$BIN/vmlab" run --bare --dot bare.dot "$K" --disk disk.img </dev/null >/dev/null || fail "run --bare --dot"
cp "$BUILD/guestos/disk.img" disk.img
"$BIN/vmlab" run --dot vmm.dot "$K" --disk disk.img </dev/null >/dev/null || fail "run --dot"
render bare.dot
render vmm.dot
grep -qE '^  user -> kernel \[label="timer [0-9]+\\lsyscall [0-9]+' bare.dot || fail "bare: user -> kernel causes"
grep -qE '^  kernel -> user \[label="rfe [0-9]+\\l"' bare.dot || fail "bare: kernel -> user by rfe"
grep -q 'cluster_vmm' bare.dot && fail "bare: no VMM cluster"
grep -q 'subgraph cluster_vmm' vmm.dot || fail "VMM: the VMM's cluster"
grep -qE '^  user -> "h_reflect" \[label="syscall [0-9]+' vmm.dot || fail "VMM: user -> reflect by syscall"
grep -qE '^  "h_emulate-rfe" -> user ' vmm.dot || fail "VMM: emulate-rfe -> user"
grep -qE '^  kernel -> "h_emulate-mtcr" \[dir=both, label="[0-9]+"' vmm.dot || fail "VMM: mtcr round trip"
grep -q 'dotted' vmm.dot || fail "VMM: the guest's view, dotted"

# The monitor, at the first syscall, both modes.
for m in --bare ""; do
	cp "$BUILD/guestos/disk.img" disk.img
	"$BIN/vmlab" monitor $m --dot exit$m.dot "$K" --disk disk.img >out 2>&1 <<'C'
dot pagetable off.dot
catch syscall
continue
dot traps traps.dot
dot pagetable pt.dot
C
	[ $? -eq 0 ] || { cat out; fail "monitor $m"; }
	for f in off.dot traps.dot pt.dot exit$m.dot; do render $f; done
	grep -q 'guest paging is off' off.dot || fail "$m: paging-off picture"
	grep -q 'PDE\[256\]' pt.dot || fail "$m: the user text's directory entry"
	grep -qE 'PTE\[1\.\.1023\] gpa 0x00001000-0x003fffff' pt.dot || fail "$m: an elided run"
	grep -q 'syscall 1' traps.dot || fail "$m: the one syscall so far"
	if [ -z "$m" ]; then
		grep -q 'cluster_shadow' pt.dot || fail "VMM: the shadow table"
		grep -q '(mpa 0x' pt.dot || fail "VMM: machine-physical frames"
	else
		grep -q 'cluster_shadow' pt.dot && fail "bare: no shadow table"
	fi
done
exit 0
