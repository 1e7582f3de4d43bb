#!/bin/sh
# examples_sched.sh - examples/hog.s and probe.s: their bare transcripts (as
# examples/README.md gives them), and what they show on a host in real time
# (vm/vmm/README.md, "Many VMs"): beside three hogs the probe's own clock
# shows its wake-up delay grow under round robin and vanish under credit
# with boost, and a hog's clock counts the ticks the other VMs ran.
set -u
fail=0
E=$BUILD/examples
"$BIN/vmlab" run --bare "$E/hog.elf" >hog.out || { echo "FAIL: hog exit $?"; fail=1; }
echo 'hog: 20000033 ticks' | cmp -s - hog.out || { echo "FAIL: hog:"; cat hog.out; fail=1; }
"$BIN/vmlab" run --bare "$E/probe.elf" >probe.out || { echo "FAIL: probe exit $?"; fail=1; }
echo 'probe: 100 wakes, delay mean 6 max 6 ticks' | cmp -s - probe.out ||
	{ echo "FAIL: probe:"; cat probe.out; fail=1; }

for s in rr credit-noboost credit; do
	case $s in
	rr) opt=--sched=rr ;; credit-noboost) opt="--sched=credit --no-boost" ;; *) opt=--sched=credit ;;
	esac
	# shellcheck disable=SC2086
	"$BIN/vmlab" run --time=real $opt --console-dir . --vm "$E/probe.elf,name=probe" \
		--vm "$E/hog.elf,name=h1" --vm "$E/hog.elf,name=h2" --vm "$E/hog.elf,name=h3" \
		</dev/null || { echo "FAIL: $s: exit $?"; fail=1; }
	sed -n 's/^probe: 100 wakes, delay mean \([0-9]*\) max \([0-9]*\) ticks$/\1 \2/p' \
		probe.out > $s.delay
	[ -s $s.delay ] || { echo "FAIL: $s: probe said"; cat probe.out; fail=1; }
	ticks=$(sed -n 's/^hog: \([0-9]*\) ticks$/\1/p' h1.out)
	[ "${ticks:-0}" -gt 50000000 ] || { echo "FAIL: $s: h1's clock $ticks, no steal"; fail=1; }
done
read -r rr_mean rr_max < rr.delay
read -r nb_mean nb_max < credit-noboost.delay
read -r b_mean b_max < credit.delay
[ "$rr_max" -ge 20000 ] || { echo "FAIL: rr: max delay $rr_max, want 2 quanta"; fail=1; }
[ "$nb_mean" -lt "$rr_mean" ] || { echo "FAIL: credit $nb_mean not below rr $rr_mean"; fail=1; }
[ "$b_max" = 6 ] || { echo "FAIL: credit with boost: max delay $b_max, want the bare 6"; fail=1; }
exit $fail
