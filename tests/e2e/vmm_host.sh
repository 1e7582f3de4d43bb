#!/bin/sh
# vmm_host.sh - many VMs on one machine (vm/vmm/host.h, vmlab run --vm).
#
# The central property, per VM: in virtual time each VM is tick for tick its
# solo run, whatever runs beside it.  1 to 8 copies of the guest OS, each on
# its own copy of the disk, under both shadow policies (the counts split
# between them, 8 under both) and several quanta:
# every DIR/NAME.out is byte for byte the solo bare transcript, every disk
# image the solo bare image, every guest tick count the bare one.  The
# first VM reads the console input (its transcript is the echo's), the
# others none.
#
# Isolation: beside the guest OS, a hostile kernel, one that double-faults,
# one that deadlocks and one that exhausts its shadow pages stop or degrade
# alone: the guest OS's transcript and disk are unchanged; the exit status
# of the mixed outcome is the documented one.  Also: lines prefixed
# "NAME| " without --console-dir, a paravirtual guest beside a fully
# virtualized one, and the command line's errors.
set -u
fail=0
K=$BUILD/guestos/kernel.elf
say() { echo "FAIL: $*"; fail=1; }

# The solo bare references: with and without console input.
printf 'hello from the host\nsecond line\n' > input
cp "$BUILD/guestos/disk.img" bare-in.img
"$BIN/vmlab" run --bare --stats --disk bare-in.img "$K" <input >bare-in.out 2>bare-in.stats
cp "$BUILD/guestos/disk.img" bare.img
"$BIN/vmlab" run --bare --stats --disk bare.img "$K" </dev/null >bare.out 2>bare.stats
grep -q 'second line' bare-in.out || say "the bare guest OS did not echo its input"
ticks_in=$(sed -n 's/^ticks: //p' bare-in.stats)
ticks=$(sed -n 's/^ticks: //p' bare.stats)

# The counts: one VM alone (the host adds nothing), two (each the other's
# only neighbour), three (more than a pair), five (an odd count past the
# first ones) and eight (many, the largest count).  Each count runs with
# its own quantum, a different interleaving each time; each runs under one
# shadow policy, the largest under both.
for policy in flush trace; do
	counts="1 3 8"; [ $policy = trace ] && counts="2 5 8"
	for n in $counts; do
		q=$((n * 700 + 300))
		rm -rf D && mkdir D
		args=
		i=0
		while [ $i -lt $n ]; do
			cp "$BUILD/guestos/disk.img" d$i.img
			args="$args --vm $K,disk=d$i.img"
			i=$((i + 1))
		done
		# shellcheck disable=SC2086
		"$BIN/vmlab" run --shadow=$policy --quantum $q --console-dir D --stats $args \
			<input >stdout 2>stats
		rc=$?
		[ $rc = 0 ] || { say "$policy n=$n: exit status $rc"; head -5 stats; }
		[ -s stdout ] && say "$policy n=$n: console output on stdout with --console-dir"
		i=0
		while [ $i -lt $n ]; do
			want=bare want_ticks=$ticks
			[ $i = 0 ] && want=bare-in want_ticks=$ticks_in
			cmp -s D/vm$i.out $want.out || say "$policy n=$n: vm$i's transcript differs"
			cmp -s d$i.img $want.img || say "$policy n=$n: vm$i's disk differs"
			got=$(sed -n "s/^vm${i}_vmm_guest_ticks: //p" stats)
			[ "$got" = "$want_ticks" ] || say "$policy n=$n: vm$i ran $got ticks, bare $want_ticks"
			i=$((i + 1))
		done
		[ "$n" -gt 1 ] && ! grep -q '^sched_world_switches: [1-9]' stats &&
			say "$policy n=$n: no world switch"
	done
done

# Without --console-dir: each line on stdout, prefixed with its VM's name.
cp "$BUILD/guestos/disk.img" a.img
cp "$BUILD/guestos/disk.img" b.img
"$BIN/vmlab" run --quantum 5000 --vm "$K,disk=a.img,name=a" --vm "$K,disk=b.img,name=bee" \
	</dev/null >mixed.out 2>mixed.err || say "prefixed run: exit status $?"
sed -n 's/^a| //p' mixed.out > a.out
sed -n 's/^bee| //p' mixed.out > bee.out
cmp -s a.out bare.out || say "prefixed: a's lines differ from the bare transcript"
cmp -s bee.out bare.out || say "prefixed: bee's lines differ from the bare transcript"
[ "$(grep -cv '^\(a\|bee\)| ' mixed.out)" = 0 ] || say "prefixed: a line without a prefix"

# A paravirtual guest beside a fully virtualized one (pv= per VM, over
# --pv): both transcripts and disks are the bare ones; only the first made
# hypercalls.
for policy in flush trace; do
	cp "$BUILD/guestos/disk.img" p.img
	cp "$BUILD/guestos/disk.img" f.img
	rm -rf P && mkdir P
	"$BIN/vmlab" run --shadow=$policy --pv --console-dir P --stats \
		--vm "$K,disk=p.img,name=pv" --vm "$K,disk=f.img,name=full,pv=no" \
		</dev/null >/dev/null 2>pv.stats || say "pv beside full $policy: exit status $?"
	for v in pv full; do
		cmp -s P/$v.out bare.out || say "pv beside full $policy: $v's transcript differs"
	done
	cmp -s p.img bare.img && cmp -s f.img bare.img || say "pv beside full $policy: a disk differs"
	grep -q '^pv_vmm_hcall_probe: 1$' pv.stats || say "pv beside full $policy: pv made no probe"
	grep -q '^full_vmm_hcall_' pv.stats && say "pv beside full $policy: full made hypercalls"
done

# Isolation: the guest OS beside hostile, double-faulting, deadlocking and
# shadow-exhausting kernels.
for s in hostile doublefault deadlock exhaust; do
	"$BIN/pg32-as" -o $s.elf "$SRC/tests/e2e/vmm/$s.s" || say "$s.s does not assemble"
done
yes "vmlab disk pattern 0123456789" | head -c 8192 > h.img
for policy in flush trace; do
	cp "$BUILD/guestos/disk.img" os.img
	rm -rf I && mkdir I
	"$BIN/vmlab" run --shadow=$policy --quantum 2000 --console-dir I --stats \
		--vm "$K,disk=os.img,name=os" --vm hostile.elf,disk=h.img --vm doublefault.elf \
		--vm deadlock.elf --vm exhaust.elf </dev/null >/dev/null 2>iso.err
	rc=$?
	[ $rc = 126 ] || say "isolation $policy: exit status $rc, want 126"
	cmp -s I/os.out bare.out || say "isolation $policy: the guest OS's transcript changed"
	cmp -s os.img bare.img || say "isolation $policy: the guest OS's disk changed"
	grep -q '^vmlab: vm2: double fault' iso.err || say "isolation $policy: vm2 not named"
	grep -q '^vmlab: vm3: deadlock' iso.err || say "isolation $policy: vm3 not named"
	grep -q '^vmlab: \(os\|vm1\|vm4\):' iso.err && say "isolation $policy: a good VM named"
	grep -q '^vm4_vmm_shadow_pool_resets: [1-9]' iso.err ||
		say "isolation $policy: the exhauster's pool never ran out"
	grep -q '^os_vmm_shadow_pool_resets: 0$' iso.err ||
		say "isolation $policy: the guest OS lost its shadows"
done
[ $fail = 0 ] || sed 's/^/    /' iso.err | grep -v '^    vm\|^    os_\|^    sched' | head

# Mixed outcomes: the first non-zero power-off code; the budget (124).
printf '\t.text\n\t.globl _start\n_start:\tli a0, 7\n\tout a0, 0x20(zero)\n' > seven.s
printf '\t.text\n\t.globl _start\n_start:\tj _start\n' > spin.s
"$BIN/pg32-as" -o seven.elf seven.s && "$BIN/pg32-as" -o spin.elf spin.s || say "assembling"
"$BIN/vmlab" run --vm hostile.elf,disk=h.img --vm seven.elf </dev/null >/dev/null 2>st.err
rc=$?
[ $rc = 7 ] || say "poweroff 0 and 7: exit status $rc, want 7"
grep -q '^vmlab: vm1: powered off with 7' st.err || say "poweroff 7 not reported"
"$BIN/vmlab" run --max-insns 100000 --vm seven.elf --vm spin.elf </dev/null >/dev/null 2>st.err
rc=$?
[ $rc = 124 ] || say "poweroff 7 and a budget: exit status $rc, want 124"
grep -q '^vmlab: vm1: instruction budget of 100000 exhausted' st.err || say "budget not reported"

# --trace=sched: the switches and each VM's end on the host clock; the
# other categories name their VM.
"$BIN/vmlab" run --trace=sched,trap --quantum 100 --vm seven.elf,name=s --vm hostile.elf,disk=h.img \
	</dev/null >/dev/null 2>trace
grep -q '^[0-9]* [KU] 0x[0-9a-f]* sched switch to=vm1 wait=' trace || say "no switch traced"
grep -q '^[0-9]* [KU] 0x[0-9a-f]* sched poweroff vm=s ticks=' trace || say "no poweroff traced"
grep -q ' trap [a-z-]* vm=vm1 epc=' trace || say "trap lines without vm="
grep -q ' trap [a-z-]* epc=' trace && say "a trap line without vm="

# --schedule: the picture of the schedule, SVG; one row per VM and idle,
# wake marks in real time; a path that cannot be written is refused first.
E=$BUILD/examples
"$BIN/vmlab" run --time=real --sched=credit --max-insns 300000 --schedule s.svg \
	--vm "$E/probe.elf,name=probe" --vm "$E/hog.elf,name=hog" </dev/null >/dev/null 2>&1
head -c 5 s.svg | grep -q '^<svg' && tail -n 1 s.svg | grep -q '^</svg>$' || say "schedule: not SVG"
for row in probe hog idle; do
	grep -q ">$row</text>" s.svg || say "schedule: no row $row"
done
grep -q 'fill="red"' s.svg || say "schedule: no wake marked"
[ "$(grep -c '<rect' s.svg)" -gt 10 ] || say "schedule: too few bars"
"$BIN/vmlab" run --schedule /nonexistent/s.svg --vm seven.elf </dev/null >/dev/null 2>err
[ $? = 125 ] && grep -q 'cannot write the schedule' err || say "schedule: unwritable path"

# The command line.
bad() {	# bad MESSAGE-PATTERN ARGS...: a usage error naming the problem
	pat=$1; shift
	"$BIN/vmlab" run "$@" </dev/null >/dev/null 2>err
	rc=$?
	[ $rc = 125 ] || say "vmlab run $*: exit status $rc, want 125"
	grep -q "$pat" err || { say "vmlab run $*: no '$pat' in:"; cat err; }
}
"$BIN/vmlab" --help | grep -q -- '--vm IMAGE' || say "vmlab --help lacks --vm"
for w in --vm --sched --quantum --time --idle-in-wfi --no-boost --console-dir --console-in \
	--schedule 'weight=' 'cap=' 'pv=yes|no' 'With --vm: 126'; do
	"$BIN/vmlab" run --help | grep -q -- "$w" || say "vmlab run --help lacks $w"
done
"$BIN/vmlab" monitor --console c.out --vm seven.elf </dev/null >/dev/null 2>err
[ $? = 125 ] && grep -q 'not --console' err || say "vmlab monitor --vm --console: $(cat err)"
bad 'unknown key' --vm seven.elf,colour=red
bad 'weight=0 is not a weight from 1 to 65535' --vm seven.elf,weight=0
bad 'cap=abc is not a cap from 1 to 100' --vm seven.elf,cap=abc
bad 'mem=4096 is not a size from 1 to 2048 MiB' --vm seven.elf,mem=4096
bad 'name= given twice' --vm seven.elf,name=a,name=b
bad 'say pv=yes or pv=no' --vm seven.elf,pv=maybe
bad 'two VMs named' --vm seven.elf,name=x --vm seven.elf,name=x
bad 'at most 8' --vm seven.elf --vm seven.elf --vm seven.elf --vm seven.elf --vm seven.elf \
	--vm seven.elf --vm seven.elf --vm seven.elf --vm seven.elf
bad 'go with --vm' --quantum 10 seven.elf
bad 'is extra' --vm seven.elf seven.elf
bad 'for one image' --bare --vm seven.elf
bad 'no VM is named' --console-in nobody --vm seven.elf
bad 'rr or credit' --sched=fifo --vm seven.elf
bad 'add --sched=credit' --vm seven.elf,weight=2
bad 'more than the machine' --mem 1024 --vm seven.elf --vm seven.elf
bad 'vm1: .*nosuch.elf' --vm seven.elf --vm nosuch.elf
exit $fail
