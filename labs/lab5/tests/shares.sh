# shares - the credit scheduler's shares (tasks 3 to 5; task 2 for the
# sleeper): CPU hogs in real time, 3 000 000 host ticks (100 periods of
# 3 quanta), each VM's share of the CPU its weight's within 2 %; a VM
# that slept for a third of the run cannot spend the credit of its sleep
# (credit is clamped to one period).  No boost here (--no-boost).
. "$SRC/labs/tools/testlib.sh"
. "$LAB/tests/schedlib.sh"
BUDGET=3000000
assemble spin.elf "$LAB/tests/progs/spin.s"
assemble late.elf "$LAB/tests/progs/late.s"
C="--time=real --sched=credit --no-boost"

host w124 $C --vm spin.elf,name=w1,weight=1 --vm spin.elf,name=w2,weight=2 \
	--vm spin.elf,name=w4,weight=4
check 3 "weights 1:2:4: w1 gets 1/7 of the CPU" share w124 w1 0.1429 0.0029 "1/7, within 2 %"
check 3 "weights 1:2:4: w2 gets 2/7" share w124 w2 0.2857 0.0057 "2/7, within 2 %"
check 3 "weights 1:2:4: w4 gets 4/7" share w124 w4 0.5714 0.0114 "4/7, within 2 %"
check 1 "weights 1:2:4: Jain's fairness index over share/weight at least 0.999" \
	within w124 sched_fairness 0.999 1 "each VM got its weight's share"
host equal $C --quantum 4000 --vm spin.elf,name=a --vm spin.elf,name=b --vm spin.elf,name=c \
	--vm spin.elf,name=d
check 2 "4 VMs of the default weight, quantum 4000: a quarter each" share equal a 0.25 0.005 "1/4"
check 1 "... d too" share equal d 0.25 0.005 "1/4"
host w19 $C --vm spin.elf,name=small,weight=10 --vm spin.elf,name=big,weight=90
check 3 "weights 10:90: small gets 0.1" share w19 small 0.1 0.002 "10/100, within 2 %"
BUDGET=1600000
host hoard $C --vm late.elf,name=late --vm spin.elf,name=hog
check 4 "late.s asleep for 1000000 ticks, then a hog: half of the last 600000 ticks, plus at most a period" \
	within hoard late_ran 295000 335000 "300000, and the credit of one period (30000)"
finish
