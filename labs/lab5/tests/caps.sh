# caps - caps (task 6): a VM capped at C % runs at most C % of every
# period, even when the CPU would idle (a cap is not work-conserving); a
# cap above the VM's weighted share changes nothing.  CPU hogs in real
# time, 3 000 000 host ticks, caps respected within 1 % of the CPU.
. "$SRC/labs/tools/testlib.sh"
. "$LAB/tests/schedlib.sh"
BUDGET=3000000
assemble spin.elf "$LAB/tests/progs/spin.s"
C="--time=real --sched=credit --no-boost"

host cap20 $C --vm spin.elf,name=capped,cap=20 --vm spin.elf,name=free
check 3 "cap 20 beside an uncapped VM: 0.2 of the CPU" share cap20 capped 0.2 0.002 "its cap"
check 2 "cap 20: the other VM gets the rest" share cap20 free 0.8 0.002 "1 - 0.2"
host alone $C --vm spin.elf,name=capped,cap=30
check 3 "cap 30 alone: the CPU idles 70 % of the time" \
	within alone sched_idle_ticks 2070000 2130000 "caps are not work-conserving"
host heavy $C --vm spin.elf,name=heavy,weight=4,cap=50 --vm spin.elf,name=light,weight=1
check 2 "weight 4 capped at 50 beside weight 1: 0.5 (the cap binds below 0.8)" \
	share heavy heavy 0.5 0.005 "its cap, under its weight's 0.8"
check 1 "weight 1 beside it gets the other half" share heavy light 0.5 0.005 "what the cap leaves"
host two $C --quantum 6000 --vm spin.elf,name=a,cap=25 --vm spin.elf,name=b,cap=25
check 2 "two VMs capped at 25, quantum 6000: the CPU idles half the time" \
	within two sched_idle_ticks 1470000 1530000 "1 - 0.25 - 0.25"
host loose $C --vm spin.elf,name=a,cap=90 --vm spin.elf,name=b
check 2 "a cap of 90 above a share of 0.5 changes nothing" share loose a 0.5 0.005 "its weight's half"
finish
