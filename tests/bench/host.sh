#!/bin/sh
# host.sh - many VMs on one machine (vm/vmm/README.md "Many VMs").  Lines:
#   host_N<n>_q<q>_overhead <CPU time of n copies / (n x one copy's)> x
#     n = 1, 2, 4, 8 copies of the guest OS running three processes of a
#     CPU-bound user program (tests/bench/vmm_cpu.s, 60M instructions each,
#     timer-preempted by the guest), each copy on its own disk, at quanta
#     of 1k, 10k, 100k ticks; best of 2 runs each, boots included
#   host_probe_<sched>_delay_{mean,max} <ticks>: examples/probe.s's own
#     wake-up delay beside 3 examples/hog.s, real time, rr / credit
#     without boost / credit
#   the lines of host_ws.c: the world switch in ns, shares and caps
set -u
B=$BUILD/bench
E=$BUILD/examples
K=$BUILD/guestos/kernel.elf
dir=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM HUP	# dash runs no EXIT trap on a signal
status=0
"$BIN/pg32-as" -Ttext 0x40000000 -o "$dir/cpu.elf" "$SRC/tests/bench/vmm_cpu.s" || exit 1
cp "$dir/cpu.elf" "$dir/cpu2.elf"
cp "$dir/cpu.elf" "$dir/cpu3.elf"
"$BUILD/guestos/mkdisk" -o "$dir/cpu.img" "$dir/cpu.elf" "$dir/cpu2.elf" "$dir/cpu3.elf" \
	>/dev/null || exit 1

# best N QUANTUM: the least host CPU time (user + system) of 2 runs of N
# copies, in seconds (CPU time: the machine may be shared).
best() {
	b=
	for rep in 1 2; do
		args=
		i=0
		while [ $i -lt "$1" ]; do
			cp "$dir/cpu.img" "$dir/d$i.img"
			args="$args --vm $K,disk=$dir/d$i.img"
			i=$((i + 1))
		done
		# shellcheck disable=SC2086
		/usr/bin/time -f '%U %S' -o "$dir/time" "$BIN/vmlab" run --quantum "$2" \
			--console-dir "$dir" $args </dev/null >/dev/null 2>&1 ||
			{ echo "# host.sh: $1 copies at $2 failed" >&2; return 1; }
		b=$(awk -v b="$b" '{ t = $1 + $2; print (b == "" || t < b) ? t : b }' "$dir/time")
	done
	echo "$b"
}
solo=$(best 1 1000000000) || exit 1
echo "host_solo_guestos_cpu_s $solo s"
for q in 1000 10000 100000; do
	for n in 1 2 4 8; do
		t=$(best $n $q) || { status=1; continue; }
		echo "host_N${n}_q${q}_overhead $(awk -v t="$t" -v s="$solo" -v n=$n \
			'BEGIN { printf "%.3f", t / (n * s) }') x"
	done
done

for s in rr credit-noboost credit; do
	case $s in
	rr) opt=--sched=rr ;; credit-noboost) opt="--sched=credit --no-boost" ;; *) opt=--sched=credit ;;
	esac
	# shellcheck disable=SC2086
	"$BIN/vmlab" run --time=real $opt --vm "$E/probe.elf,name=probe" --vm "$E/hog.elf" \
		--vm "$E/hog.elf" --vm "$E/hog.elf" </dev/null 2>/dev/null |
		sed -n "s/^probe| probe: 100 wakes, delay mean \([0-9]*\) max \([0-9]*\) ticks$/host_probe_${s}_delay_mean \1 ticks\nhost_probe_${s}_delay_max \2 ticks/p"
done
"$B/host_ws" || status=1
exit $status
