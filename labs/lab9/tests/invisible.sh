# invisible - the dirty log changes nothing the guest sees (tasks 1 to 3):
# the guest OS runs in the monitor with the log on, synced every 50000
# ticks, and prints what it prints on the bare machine, under both shadow
# policies; the syncs find pages.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
. "$LAB/tests/miglib.sh"
BUDGET=20000000
cp "$BUILD/guestos/disk.img" bare.img
run_guest bare "$BUILD/guestos/kernel.elf" --disk bare.img
{ echo "dirty on"; i=0; while [ $i -lt 40 ]; do echo "step 50000"; echo "dirty sync"; i=$((i + 1)); done
  echo "dirty off"; echo "continue"; } > s.cmds
# finished_like POLICY CMD...: CMD, once POLICY's output was the bare one
finished_like() {
	_p=$1; shift
	cmp -s bare.out $_p.cons || { echo "not compared: the output already differs"; return 1; }
	"$@"
}
for POLICY in flush trace; do
	cp "$BUILD/guestos/disk.img" $POLICY.img
	monitor $POLICY s.cmds "$BUILD/guestos/kernel.elf" --disk $POLICY.img --shadow=$POLICY
	check 5 "$POLICY: the bare machine's console output, the log on" same_file bare.out $POLICY.cons
	check 1 "$POLICY: the bare machine's disk" finished_like $POLICY same_file bare.img $POLICY.img
	n=$(grep -c '^dirty: [1-9]' $POLICY.out)
	check 1 "$POLICY: the syncs found written pages ($n of 40 did)" test "$n" -ge 30
done
finish
