# dirtylog - the dirty log by hand, in the monitor (tasks 1 to 3), on
# progs/writer.s: 'dirty sync' must list exactly the pages written since
# the last sync and clear them: a pass over 64 pages, nothing right
# after, the second pass again (the sync write-protected them), a host
# write, pages read then written (a leaf installed for the load must not
# let the store through unlogged), a disk read by DMA across two pages.  Under both shadow policies.
. "$SRC/labs/tools/testlib.sh"
. "$LAB/tests/miglib.sh"
BUDGET=100000
assemble w.elf "$LAB/tests/progs/writer.s"
cp "$BUILD/guestos/disk.img" d.img
cat > s.cmds <<'CMDS'
dirty on
break pass_done
break write_done
break dma_done
continue
dirty sync
dirty sync
continue
dirty sync
set -p *0x60000 = 1
dirty sync
continue
dirty sync
continue
dirty sync
dirty off
continue
CMDS
# nth FILE N: the Nth sync's answer
nth() { sed -n 's/^dirty: //p' "$1" | sed -n "$2p"; }
is() { [ "$1" = "$2" ] && return 0; echo "expected: dirty: $2"; echo "got:      dirty: $1"; return 1; }
# after_first CMD...: CMD, once the first pass was logged right (a stub
# that logs nothing must not earn the "nothing" checks)
after_first() {
	[ "$(nth $o 1)" = "64 pages 0x00002000-0x00041000" ] \
		|| { echo "not checked: the first pass was not logged right"; return 1; }
	"$@"
}
for POLICY in flush trace; do
	monitor $POLICY s.cmds w.elf --shadow=$POLICY --disk d.img
	o=$POLICY.out
	check 2 "$POLICY: the first pass: its 64 pages, nothing else" \
		is "$(nth $o 1)" "64 pages 0x00002000-0x00041000"
	check 1 "$POLICY: a sync right after a sync: nothing" after_first is "$(nth $o 2)" "0 pages"
	check 2 "$POLICY: the second pass is logged again (the sync write-protected the pages)" \
		is "$(nth $o 3)" "64 pages 0x00002000-0x00041000"
	check 1 "$POLICY: a host write is logged" is "$(nth $o 4)" "1 page 0x00060000"
	check 2 "$POLICY: 64 pages read (a leaf installed for a load), then written: the writes" \
		is "$(nth $o 5)" "64 pages 0x00042000-0x00081000"
	check 1 "$POLICY: a DMA across two pages marks both" is "$(nth $o 6)" "2 pages 0x00090000-0x00091000"
	check 1 "$POLICY: the program ends normally (powers off with 0)" \
		has_line $o "stop poweroff code=0 pc=0x000010a8 mode=K ticks=2586"
done
finish
