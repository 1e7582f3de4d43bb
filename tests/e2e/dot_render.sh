#!/bin/sh
# dot_render.sh - every Graphviz picture renders with the real dot
# (-Tsvg) and shows what it should: the traps of a guest OS boot on the
# bare machine and under the VMM (vmlab run --dot, monitor 'dot traps'),
# and the page tables with paging off, on the bare machine and under the
# VMM ('dot pagetable').  Each is laid out for a slide (monitor/README.md,
# "Pictures"): at most 1280 px wide at dot's 96 dpi, and no two labels (or
# a label and a node) overlap where dot places them (tests/dotlayout.awk
# on dot -Tjson).  The checked-in pictures are as wide at most.
set -u
fail() { echo "FAIL: $*"; exit 1; }
command -v dot >/dev/null || fail "graphviz's dot is not installed"
K=$BUILD/guestos/kernel.elf
LAYOUT=$SRC/tests/dotlayout.awk
layout() {
	dot -Tjson "$1" > "$1.json" || fail "$1: dot -Tjson"
	awk -v NAME="$1" -f "$LAYOUT" "$1.json" || fail "$1 is not laid out for a slide"
}
render() {
	dot -Tsvg "$1" -o "$1.svg" 2>dot.err || { cat dot.err; fail "$1 does not render"; }
	[ ! -s dot.err ] || { cat dot.err; fail "$1: dot warns"; }
	grep -q '<svg' "$1.svg" || fail "$1.svg is not SVG"
	layout "$1"
}

# The layout check finds what it looks for: labels of two edges drawn over
# each other (the old bare-machine picture), and a picture too wide.
cat > overlap.dot <<'D'
digraph traps {
  graph [rankdir=LR];
  subgraph cluster_guest { user; kernel; { rank=same; user; kernel; } }
  user -> kernel [label="timer 128\lsyscall 123\lpf-store 24\lpf-store-prot 1\l"];
  kernel -> user [label="rfe 278\l"];
  kernel -> kernel [label="rfe 31\ldisk 21\ltimer 10\l"];
}
D
dot -Tjson overlap.dot | awk -v NAME=overlap.dot -f "$LAYOUT" > layout.out \
	&& fail "overlapping labels not found"
grep -q "^overlap.dot: text '.*' (edge .*) overlaps '.*' (edge .*)$" layout.out \
	|| { cat layout.out; fail "no overlap reported"; }
printf 'digraph wide { a [width=14]; }\n' > wide.dot
dot -Tjson wide.dot | awk -v NAME=wide.dot -f "$LAYOUT" > layout.out && fail "a wide picture passes"
grep -q '^wide.dot: 1[0-9.]* points wide, more than 960 (1280 px at 96 dpi)$' layout.out \
	|| { cat layout.out; fail "the width is not reported"; }
for f in "$SRC"/monitor/*.svg; do
	w=$(sed -n 's/^<svg width="\([0-9.]*\)pt".*/\1/p' "$f")
	[ -n "$w" ] && awk -v w="$w" 'BEGIN { exit !(w <= 960) }' || fail "$f: $w pt wide"
done

cp "$BUILD/guestos/disk.img" disk.img
"$BIN/vmlab" run --bare --dot bare.dot "$K" --disk disk.img </dev/null >/dev/null || fail "run --bare --dot"
cp "$BUILD/guestos/disk.img" disk.img
"$BIN/vmlab" run --dot vmm.dot "$K" --disk disk.img </dev/null >/dev/null || fail "run --dot"
render bare.dot
render vmm.dot
# Bare: the modes, the traps and rfe between them, a table of the causes.
grep -qE '^  user -> kernel \[label="traps [0-9]+"' bare.dot || fail "bare: user -> kernel, traps"
grep -qE '^  kernel -> user \[label="rfe [0-9]+"' bare.dot || fail "bare: kernel -> user by rfe"
grep -qE '^  kernel -> kernel \[label="traps [0-9]+\\nrfe [0-9]+"' bare.dot || fail "bare: one kernel loop"
grep -q '<TD ALIGN="LEFT">syscall</TD><TD ALIGN="RIGHT">[0-9]' bare.dot || fail "bare: the table's syscalls"
grep -q 'cluster_vmm' bare.dot && fail "bare: no VMM cluster"
# VMM: the handlers, each a table of causes; the plain emulations one node.
grep -q 'subgraph cluster_vmm' vmm.dot || fail "VMM: the VMM's cluster"
grep -qE '^  user -> "h_reflect" \[' vmm.dot || fail "VMM: user -> reflect"
grep -qE '^    "h_reflect" .*<TD ALIGN="LEFT">syscall</TD>' vmm.dot || fail "VMM: reflect's syscalls"
grep -qE '^  "h_emulate-rfe" -> user \[label="[0-9]+ to user"' vmm.dot || fail "VMM: emulate-rfe -> user"
grep -qE '^  kernel -> "h_emulate" \[dir=both' vmm.dot || fail "VMM: the emulations' round trip"
grep -qE '^    "h_emulate" .*<TD ALIGN="LEFT">mtcr</TD>' vmm.dot || fail "VMM: mtcr emulated"
grep -q '"h_emulate-mtcr"' vmm.dot && fail "VMM: mtcr has no node of its own"
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
	grep -q '<TD ALIGN="LEFT">syscall</TD><TD ALIGN="RIGHT">1</TD>' traps.dot \
		|| fail "$m: the one syscall so far"
	if [ -z "$m" ]; then
		grep -q 'cluster_shadow' pt.dot || fail "VMM: the shadow table"
		grep -q '(mpa 0x' pt.dot || fail "VMM: machine-physical frames"
	else
		grep -q 'cluster_shadow' pt.dot && fail "bare: no shadow table"
	fi
done
exit 0
