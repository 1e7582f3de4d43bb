# mixed (hidden) - the scheduler away from the defaults the other tests
# use: eight VMs of weights 1 to 8 at quantum 5000; the probe's boost at
# quantum 3000 beside hogs of weights 1:3; a cap of 10 % at quantum 3000
# beside three weighted hogs.  Real time.
. "$SRC/labs/tools/testlib.sh"
. "$LAB/tests/schedlib.sh"
assemble spin.elf "$LAB/tests/progs/spin.s"
assemble probe.elf "$SRC/examples/probe.s"
C="--time=real --sched=credit"

BUDGET=3600000
vms=
for i in 1 2 3 4 5 6 7 8; do vms="$vms --vm spin.elf,name=v$i,weight=$((32 * i))"; done
# shellcheck disable=SC2086
host eight $C --no-boost --quantum 5000 $vms
check 2 "8 VMs, weights 1..8, quantum 5000: v1 gets 1/36" share eight v1 0.0278 0.0008 "1/36, within 3 %"
check 2 "... v8 gets 8/36" share eight v8 0.2222 0.0067 "8/36, within 3 %"
check 1 "... Jain's fairness index at least 0.999" within eight sched_fairness 0.999 1 "weights"
BUDGET=1100000
host probe $C --quantum 3000 --vm probe.elf,name=probe --vm spin.elf,name=a,weight=100 \
	--vm spin.elf,name=b,weight=300
check 2 "quantum 3000: the boosted probe wakes as on the bare machine" \
	console probe probe "probe: 100 wakes, delay mean 6 max 6 ticks"
check 1 "... and the hogs of weights 1:3 share the rest: b gets 3/4" share probe b 0.749 0.015 "3/4 of 0.998"
BUDGET=3000000
host cap $C --no-boost --quantum 3000 --vm spin.elf,name=w1,weight=100 --vm spin.elf,name=w2,weight=200 \
	--vm spin.elf,name=w4,weight=400 --vm spin.elf,name=capped,weight=800,cap=10
check 2 "quantum 3000: a VM of the largest weight capped at 10 % gets 0.1" \
	share cap capped 0.1 0.002 "its cap"
finish
