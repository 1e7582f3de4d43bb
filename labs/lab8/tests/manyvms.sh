# manyvms - three guest OSes on one machine under hardware assist, with
# the host's scheduler (vmlab run --vm): each transcript and disk is the
# solo bare run's, and each VM ran exactly the bare machine's ticks.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
K=$BUILD/guestos/kernel.elf
cp "$BUILD/guestos/disk.img" bare.img
run() { rec "$(q "$@")"; timeout -s KILL 60 "$@"; }
run "$BIN/vmlab" run --bare --stats --disk bare.img "$K" </dev/null >bare.out 2>bare.err
mkdir D
for i in 0 1 2; do cp "$BUILD/guestos/disk.img" d$i.img; done
run "$BIN/vmlab" run --mmu=nested --quantum 2500 --console-dir D --stats --max-insns 20000000 \
	--vm "$K,disk=d0.img" --vm "$K,disk=d1.img" --vm "$K,disk=d2.img" </dev/null >host.out 2>host.err
RC=$?
{ echo "=== three VMs, --mmu=nested: $(rc_text $RC host.err)"; cat host.err | grep '^vmlab'; } >> "$OUT"
check 1 "all three VMs power off with 0" exits $RC 0
ticks=$(sed -n 's/^ticks: //p' bare.err)
for i in 0 1 2; do
	check 1 "vm$i: the bare machine's console output" same_file bare.out D/vm$i.out
	check 1 "vm$i: the bare machine's disk" finished $RC cmp -s bare.img d$i.img
	got=$(sed -n "s/^vm${i}_vmm_guest_ticks: //p" host.err)
	check 1 "vm$i: the bare machine's $ticks ticks (got ${got:-none})" test "$got" = "$ticks"
done
finish
