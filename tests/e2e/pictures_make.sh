#!/bin/sh
# pictures_make.sh - 'make pictures' (monitor/monitor.mk, monitor/README.md)
# draws the four lecture pictures of a guest OS boot, keeps the .dot files
# beside the SVGs, and every one is laid out for a slide
# (tests/dotlayout.awk).  The pictures go to a directory of this test's.
set -u
fail() { echo "FAIL: $*"; exit 1; }
command -v dot >/dev/null || fail "graphviz's dot is not installed"
make -s -C "$SRC" pictures BUILD="$BUILD" PICTURES_DIR="$PWD/pics" >make.out 2>&1 \
	|| { cat make.out; fail "make pictures"; }
for p in traps-bare traps-vmm pagetable-bare pagetable-vmm; do
	[ -s "pics/$p.dot" ] || fail "$p.dot was not kept"
	grep -q '<svg' "pics/$p.svg" || fail "$p.svg"
	dot -Tjson "pics/$p.dot" | awk -v NAME="$p" -f "$SRC/tests/dotlayout.awk" \
		|| fail "$p is not laid out for a slide"
done
ls pics/*.img 2>/dev/null && fail "the disk copies were left behind"
exit 0
