#!/bin/sh
# snapshot_host.sh - a snapshot of several VMs (vm/vmm/hostsnap.c) continues
# tick for tick: for points T through a run of three VMs (the guest OS
# twice, one of them paravirtual, and examples/probe.s, whose output in
# real time is its steal time, so it depends on the whole schedule), under
# round robin and credit, virtual and real time:
#   - saving at T (vmlab run --vm ... --save-at T F) leaves the run as it was;
#   - the snapshot holds, for each VM, the console bytes written up to T
#     (read back with the monitor's loadvm and 'info vms');
#   - vmlab run --restore F writes, for each VM, exactly the rest of the
#     uninterrupted run's output, and leaves the same disk images (the
#     restored run's start zeroed: the snapshot's contents must replace them);
#   - the monitor's loadvm F, then continue to the end, does the same.
# The points of a list are saved in one chain: the first by a run from the
# start, each next one by the restored run of the one before (which goes
# on to the end), so that every run but the first two (the uninterrupted
# one and the first save's) is the rest of the run after a point.
# Then the refusals: another VM set, other names, another scheduler, a
# one-VM snapshot given --vm and the reverse, a corrupt and a truncated file:
# one line each, status 125, nothing run.
set -u
fail=0
say() { echo "FAIL $*"; fail=1; }
os="$BUILD/guestos/kernel.elf"
probe="$BUILD/examples/probe.elf"
zeroed() { head -c "$(wc -c < "$BUILD/guestos/disk.img")" /dev/zero > "$1"; }
fresh() { cp "$BUILD/guestos/disk.img" a.img; cp "$BUILD/guestos/disk.img" b.img; }
vms() {
	echo --vm "$os,disk=a.img,name=a" --vm "$os,disk=b.img,name=b,pv=yes" \
		--vm "$probe,name=p"
}

# rest WHAT INFO DIR: each VM's output in DIR is full/'s after the byte
# count INFO's 'info vms' gives it.
rest() {
	for n in a b p; do
		at=$(sed -n "s/^..[0-9] $n .* out=\([0-9]*\)$/\1/p" "$2")
		[ -n "$at" ] || { say "$1: no out= for $n in: $(cat "$2")"; continue; }
		tail -c +"$((at + 1))" full/$n.out | cmp -s - "$3/$n.out" ||
			say "$1: $n's output from the snapshot on differs"
	done
}

# check OPTS POINTS...: the points in one chain.  KEEP (a point): its
# snapshot is kept as keep.snap.
check() {
	opts=$1
	shift
	rm -rf full sv rs mo && mkdir full sv rs mo
	fresh
	"$BIN/vmlab" run $opts --console-dir full $(vms) </dev/null 2>full.err ||
		{ say "$opts: the uninterrupted run: $(cat full.err)"; return; }
	cp a.img full-a.img; cp b.img full-b.img
	# The first point, saved by a run from the start.
	fresh
	rm -f s.snap
	"$BIN/vmlab" run $opts --console-dir sv $(vms) --save-at "$1" s.snap \
		</dev/null 2>sv.err
	rc=$?
	[ $rc = 0 ] && [ -s s.snap ] || { say "$opts T=$1: save: $rc $(cat sv.err)"; return; }
	for n in a b p; do
		cmp -s sv/$n.out full/$n.out || say "$opts T=$1: saving changed $n's output"
	done
	while [ $# -gt 0 ]; do
		t=$1
		shift
		[ "$t" = "${KEEP:-}" ] && cp s.snap keep.snap
		# What each VM had written at T, as the snapshot says.
		zeroed a.img; zeroed b.img
		printf 'loadvm s.snap\ninfo vms\n' | "$BIN/vmlab" monitor $opts --console-dir mo \
			$(vms) >info.out 2>&1 || { say "$opts T=$t: monitor loadvm: $(cat info.out)"; return; }
		# The rest of the run, saving the next point on the way.
		zeroed a.img; zeroed b.img
		rm -f s2.snap
		"$BIN/vmlab" run $opts --console-dir rs $(vms) --restore s.snap \
			${1:+--save-at "$1" s2.snap} </dev/null 2>rs.err ||
			{ say "$opts T=$t: restore: $(cat rs.err)"; return; }
		rest "$opts T=$t" info.out rs
		cmp -s a.img full-a.img && cmp -s b.img full-b.img ||
			say "$opts T=$t: restored disk images differ"
		[ $# -eq 0 ] && break
		[ -s s2.snap ] || { say "$opts T=$1: the restored run of T=$t saved nothing"; return; }
		mv s2.snap s.snap
	done
}

# The points: the first tick, the end of the first quantum (3000), the
# middle of one (250001), the middle of the run and its late part, where
# some VMs have powered off.  Each is cut under one scheduler at least, and
# each scheduler cuts at a quantum's edge, mid-run and late.
check "--quantum 3000" 1 3000 1000000 3400000
check "--sched=credit --quantum 3000" 3000 250001 2600000 3400000
KEEP=1000000 check "--time=real --quantum 3000" 3000 1000000 2600000
cp -R full full-real
check "--time=real --sched=credit --quantum 3000" 250001 1700000 3400000

# The monitor continues a snapshot too: loadvm, then continue until every
# VM has stopped; each console gets the rest of the run.
# (The run and the snapshot at 1000000 of the checks' "--time=real
# --quantum 3000" above.)
opts="--time=real --quantum 3000"
rm -rf full mo && mv full-real full && mkdir mo
zeroed a.img; zeroed b.img
printf 'loadvm keep.snap\ninfo vms\ncontinue\ncontinue\ncontinue\ncontinue\n' |
	"$BIN/vmlab" monitor $opts --console-dir mo $(vms) --max-insns 20000000 >mon.out 2>&1
[ "$(grep -c '^stop poweroff code=0 vm=' mon.out)" = 3 ] ||
	say "monitor loadvm: not three power-offs: $(cat mon.out)"
rest "monitor loadvm" mon.out mo

# savevm in the monitor with --vm, at a stop in one VM, writes what vmlab
# run --restore continues, tick for tick.
fresh
"$BIN/vmlab" run --console-dir full $(vms) </dev/null 2>/dev/null
fresh
printf 'vm b\ncatch syscall\ncontinue\nsavevm m.snap\ninfo vms\n' |
	"$BIN/vmlab" monitor --console-dir mo $(vms) >mon.out 2>&1
grep -q '^stop catch 1 syscall .* vm=b ' mon.out || say "catch in b: $(cat mon.out)"
zeroed a.img; zeroed b.img
"$BIN/vmlab" run --console-dir rs $(vms) --restore m.snap </dev/null 2>rs.err ||
	say "savevm with --vm, then vmlab run --restore: $(cat rs.err)"
rest savevm mon.out rs

# Refusals: one line, status 125, nothing run.
fresh
rm -f s.snap
"$BIN/vmlab" run --console-dir sv $(vms) --save-at 5000 s.snap --max-insns 100000 \
	</dev/null 2>/dev/null
[ -s s.snap ] || say "no snapshot at 5000 to refuse"
refused() {	# refused PATTERN ARGS...
	pat=$1
	shift
	"$BIN/vmlab" run "$@" </dev/null >r.out 2>r.err
	rc=$?
	[ $rc = 125 ] && [ "$(wc -l < r.err)" = 1 ] && grep -q "$pat" r.err ||
		say "$* gave $rc and: $(cat r.err)"
	[ -s r.out ] && say "$*: ran anyway: $(head -2 r.out)"
}
refused 'a snapshot of 3 VMs, this host has 2' --console-dir rs --restore s.snap \
	--vm "$os,disk=a.img,name=a" --vm "$os,disk=b.img,name=b,pv=yes"
refused "VM 2 is 'p' in the snapshot, 'q' here" --console-dir rs --restore s.snap \
	--vm "$os,disk=a.img,name=a" --vm "$os,disk=b.img,name=b,pv=yes" --vm "$probe,name=q"
refused 'runs --sched=rr, not --sched=credit' --sched=credit --console-dir rs \
	--restore s.snap $(vms)
refused 'runs --quantum 10000, not 3000' --quantum 3000 --console-dir rs --restore s.snap \
	$(vms)
refused "a 16 MiB VM in the snapshot, 8 MiB here" --console-dir rs --restore s.snap \
	--vm "$os,disk=a.img,name=a" --vm "$os,disk=b.img,name=b,pv=yes" \
	--vm "$probe,name=p,mem=8"
refused 'not of one VM (restore it with its --vm options)' --restore s.snap
"$BIN/vmlab" run --save-at 5000 one.snap "$probe" </dev/null >/dev/null 2>&1
refused 'not of several VMs (restore it without --vm)' --console-dir rs --restore one.snap \
	$(vms)
cp s.snap bad.snap
printf 'X' | dd of=bad.snap bs=1 seek=200 conv=notrunc 2>/dev/null
refused 'corrupt snapshot' --console-dir rs --restore bad.snap $(vms)
head -c 100 s.snap > short.snap
refused 'truncated' --console-dir rs --restore short.snap $(vms)
# ... and loadvm in the monitor refuses the same way, keeping the host.
printf 'loadvm short.snap\ninfo vms\n' | "$BIN/vmlab" monitor --console-dir mo $(vms) \
	>m.out 2>&1
grep -q '^error: short.snap: truncated' m.out && grep -q '^\* 0 a ' m.out ||
	say "monitor loadvm of a truncated host snapshot: $(cat m.out)"
# A VM that stopped before the save is restored stopped where it stopped.
printf 'continue\nsavevm off.snap\nloadvm off.snap\n' | "$BIN/vmlab" monitor --console-dir mo \
	--vm "$BUILD/examples/hello.elf" --vm "$BUILD/examples/fib.elf" >m.out 2>&1
at=$(sed -n 's/^stop poweroff code=0 vm=vm0 \(pc=[0-9a-fx]*\) .*/\1/p' m.out)
[ -n "$at" ] && grep -q "^stop loadvm vm=vm0 $at " m.out ||
	say "loadvm of a powered-off VM: not at its pc ($at): $(cat m.out)"
exit $fail
