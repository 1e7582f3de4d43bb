# conserve - work conservation (tasks 1, 2): a VM asleep in wfi leaves the
# CPU to the others, under round robin.  In virtual time its sleep costs
# the host clock nothing (--idle-in-wfi: the CPU idles for it); in real
# time it blocks, is woken at its timer's tick, and the CPU idles only
# when no VM can run, and only until the next wake.  progs/sleeper.s
# sleeps 20000 ticks at a time; examples/probe.s measures its own wake-up
# delays (6 ticks on the bare machine).
. "$SRC/labs/tools/testlib.sh"
. "$LAB/tests/schedlib.sh"
BUDGET=1000000
assemble spin.elf "$LAB/tests/progs/spin.s"
assemble sleeper.elf "$LAB/tests/progs/sleeper.s"
assemble probe.elf "$SRC/examples/probe.s"
SP="--vm sleeper.elf,name=sleeper --vm spin.elf,name=hog"

# probe_delay LABEL MEAN MAX: the probe's mean delay is MEAN, its largest
# at most MAX (when both VMs wake at once, one waits for the other).
probe_delay() {
	_f=$1.d/probe.out
	_d=$(sed -n 's/^probe: 100 wakes, delay mean \([0-9]*\) max \([0-9]*\) ticks$/\1 \2/p' "$_f")
	set -- "$2" "$3" $_d
	[ "${3:-}" = "$1" ] && [ "${4:-0}" -le "$2" ] 2>/dev/null && return 0
	echo "expected: the probe's delays: mean $1, max at most $2 ticks"
	echo "got:      $(head -n 1 "$_f")"
	return 1
}

# Task 1: virtual time.
host virt --sched=rr $SP
check 2 "virtual time: the hog gets the sleeper's sleep (share > 0.999)" \
	share virt hog 0.9995 0.0005 "the sleeper runs 6 ticks per wake-up"
check 1 "virtual time: the host clock counts what ran, not the sleep" \
	within virt sched_host_ticks 1000000 1001000 "the hog's 1000000 ticks and the sleeper's few hundred"
host virt_idle --sched=rr --idle-in-wfi $SP
check 2 "virtual time, --idle-in-wfi: the sleep is charged, a half each" \
	share virt_idle hog 0.5 0.0005 "not work-conserving"
BUDGET=1100000		# the probe's whole run: 1001496 ticks
host virt_probe --sched=rr --vm probe.elf,name=probe --vm spin.elf,name=hog
BUDGET=1000000
check 1 "virtual time: beside a hog the probe is its solo run" \
	console virt_probe probe "probe: 100 wakes, delay mean 6 max 6 ticks"

# Task 2: real time.
host real --time=real --sched=rr --quantum 7000 $SP --vm spin.elf,name=hog2
check 2 "real time: the sleeper blocks and the two hogs share the CPU (0.5 each)" \
	share real hog 0.5 0.005 "the sleeper's sleep goes to the hogs"
check 1 "real time: the sleeper is woken after each of its sleeps" \
	within real sleeper_wakes 29 50 "every 20000 ticks and up to two turns of the hogs"
check 1 "real time: the CPU idles only once the hogs have stopped" \
	within real sched_idle_ticks 0 20000 "work-conserving: at most the sleeper's last sleep"
host real_idle --time=real --sched=rr --idle-in-wfi $SP
check 1 "real time, --idle-in-wfi: the sleeper keeps its turns, a half each" \
	share real_idle hog 0.5 0.0005 "not work-conserving"
host alone --time=real --sched=rr --vm probe.elf,name=probe --vm sleeper.elf,name=sleeper
check 1 "real time, nothing to run: the CPU idles (more than 99 % of the ticks)" \
	within alone sched_idle_ticks 990000 1000000 "two VMs asleep nearly all the time"
check 2 "real time, nothing to run: idle only until the next wake (the probe's mean delay 6, as on the bare machine)" \
	after alone probe_delay alone 6 20
finish
