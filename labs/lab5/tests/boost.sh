# boost - the boost (task 7): an interactive VM woken from wfi with credit
# left runs before the others, at its wake tick, preempting the VM on the
# CPU; the boost ends with its turn, so that it does not undo the weights.
# examples/probe.s measures its own wake-up delay 100 times (6 ticks on the
# bare machine) beside 3 CPU hogs; progs/burst.s computes 40000 ticks after
# each 5000-tick sleep.  Real time.
. "$SRC/labs/tools/testlib.sh"
. "$LAB/tests/schedlib.sh"
BUDGET=1100000
assemble spin.elf "$LAB/tests/progs/spin.s"
assemble probe.elf "$SRC/examples/probe.s"
assemble burst.elf "$LAB/tests/progs/burst.s"
HOGS="--vm spin.elf,name=h1 --vm spin.elf,name=h2 --vm spin.elf,name=h3"

host boosted --time=real --sched=credit --vm probe.elf,name=probe $HOGS
check 5 "beside 3 hogs the probe wakes as on the bare machine (delay 6)" \
	console boosted probe "probe: 100 wakes, delay mean 6 max 6 ticks"
check 2 "each of its 100 wakes is boosted" within boosted probe_boosts 100 100 "100 wakes with credit"
host noboost --time=real --sched=credit --no-boost --vm probe.elf,name=probe $HOGS
check 1 "--no-boost: no boost" within noboost probe_boosts 0 0 "the boost is off"
BUDGET=2000000
host burst --time=real --sched=credit --vm burst.elf,name=burst --vm spin.elf,name=hog
check 4 "burst.s beside a hog: at most half the CPU (the boost ends with the turn)" \
	share burst burst 0.5 0.01 "equal weights"
host over --time=real --sched=credit --vm burst.elf,name=burst,weight=1 --vm spin.elf,name=hog,weight=9
check 3 "burst.s at weight 1 beside weight 9: about a tenth, boosts and all (at most 0.11)" \
	within over burst_cpu_share 0.09 0.11 "its weight's 0.1: a boost lasts one turn"
finish
