# builds - the tree builds, and round robin (given) shares the CPU equally
# between three CPU hogs, in real time: 900 000 host ticks, quantum 10000,
# 30 turns and a third each.  Every other test runs the same way with the
# scheduler you write.  Needs no work.
. "$SRC/labs/tools/testlib.sh"
. "$LAB/tests/schedlib.sh"
BUDGET=900000
assemble spin.elf "$LAB/tests/progs/spin.s"
host rr --time=real --sched=rr --vm spin.elf,name=a --vm spin.elf,name=b --vm spin.elf,name=c
check 1 "round robin: the run ends at the budget, with statistics" _ran rr
check 1 "round robin: 30 turns of 10000 ticks each (and the one that finds the budget spent)" \
	within rr c_turns 30 31 "a quantum a turn"
for v in a b c; do
	check 1 "round robin: $v gets a third of the CPU" share rr $v 0.3333 0.0005 "equal turns"
done
finish
