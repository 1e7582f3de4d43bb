#!/bin/sh
# monitor_vms.sh - the monitor with several VMs (vmlab monitor --vm ...,
# monitor/README.md "Several VMs"): info vms, info sched, vm N|NAME, the
# points of each VM (a breakpoint, watchpoint or catchpoint set while VM b
# is current stops only when b hits it; info breakpoints names the VM),
# stops that name the VM and make it current, step and finish through the
# host, one-line errors, help and completion; and the central property:
# stopping the host at points and going on leaves every VM's console output
# the one of 'vmlab run --vm' with the same options, in real time too,
# where examples/probe.s prints its steal time: the whole schedule.
set -u
fail=0
say() { echo "FAIL $*"; fail=1; }
os="$BUILD/guestos/kernel.elf"
fresh() { for n in a b c; do cp "$BUILD/guestos/disk.img" $n.img; done; }
vms() {
	echo --vm "$os,disk=a.img,name=a" --vm "$os,disk=b.img,name=b" \
		--vm "$os,disk=c.img,name=c" $probe
}
probe=
mon() {	# mon OPTS...: the commands on stdin; output in out
	"$BIN/vmlab" monitor --console-dir mo "$@" $(vms) >out 2>err
}
mkdir -p full mo
probe="--vm $BUILD/examples/probe.elf,name=p"
for sched in "--time=real" "--time=real --sched=credit --quantum 7000" "--quantum 3000"; do
	fresh
	"$BIN/vmlab" run $sched --console-dir full $(vms) </dev/null 2>/dev/null

	# Points in two VMs; stop after stop, then to the end.
	fresh
	{
		echo 'vm b'
		echo 'break do_syscall'
		echo 'vm 2'
		echo 'catch syscall'
		echo 'info breakpoints'
		for i in 1 2 3 4 5 6 7 8; do echo continue; done
		echo 'step 3'
		echo 'delete 2'
		echo 'continue'
		echo 'finish'
		echo 'delete'
		for i in 1 2 3 4 5; do echo continue; done
	} | mon $sched --max-insns 30000000
	grep -q '^1 breakpoint 0x[0-9a-f]* <do_syscall> any vm=b hits=0$' out &&
		grep -q '^2 catchpoint syscall vm=c hits=0$' out ||
		say "$sched: info breakpoints does not name the VMs: $(cat out)"
	grep '^stop breakpoint\|^stop catch' out > stops
	[ "$(wc -l < stops)" -ge 8 ] || say "$sched: 8 stops wanted: $(cat out)"
	grep -v '^stop breakpoint 1 vm=b \|^stop catch 2 syscall .* vm=c ' stops &&
		say "$sched: a point stopped another VM (above)"
	grep -q '^stop breakpoint 1 vm=b ' stops && grep -q '^stop catch 2 syscall ' stops ||
		say "$sched: both VMs' points should have stopped: $(cat stops)"
	grep -q '^stop step vm=[abc] pc=' out || say "$sched: step: $(cat out)"
	grep -q '^stop finish vm=b ' out || say "$sched: finish in b: $(cat out)"
	[ "$(grep -c '^stop poweroff code=0 vm=' out)" = 4 ] ||
		say "$sched: four power-offs wanted: $(grep '^stop' out)"
	# (the last continue may find every VM stopped: the probe may have
	# powered off among the first eight)
	grep '^error' out | grep -v 'stopped for good' && say "$sched: errors (above)"
	for n in a b c p; do
		cmp -s mo/$n.out full/$n.out ||
			say "$sched: stopping changed $n's output (vmlab run --vm's differs)"
	done
done
probe=

# A watchpoint of VM a: b and c write the same word of their own memory.
fresh
printf 'vm a\nwatch ticks\ncontinue\ncontinue\ninfo breakpoints\n' | mon
[ "$(grep -c '^stop watchpoint 1 addr=.* vm=a pc=' out)" = 2 ] &&
	grep -q '^1 watchpoint .* vm=a hits=2$' out || say "watch in a: $(cat out)"

# info vms, info sched, vm: the current VM and what the commands show.
fresh
printf 'info vms\ninfo sched\nvm c\ninfo vms\nstep 20000\ninfo sched\nvm\nx/2x 0\n' | mon
[ "$(grep -c '^[* ] [0-2] [abc] .* ticks=[0-9]* ran=[0-9]* exits=[0-9]* shadow=[0-9]*/[0-9]* weight=256 cap=0 credit=-\{0,1\}[0-9]* out=[0-9]*$' out)" = 6 ] ||
	say "info vms: $(cat out)"
grep -q '^\* 0 a  *runnable ' out && grep -q '^\* 2 c  *runnable ' out ||
	say "info vms marks the current VM: $(cat out)"
grep -q '^policy   rr$' out && grep -q '^queue    a b c$' out &&
	grep -q '^turn     none$' out && grep -q '^quantum  10000$' out ||
	say "info sched at the start: $(cat out)"
grep -q '^turn     [abc], [0-9]* ticks left$' out || say "info sched in a turn: $(cat out)"
grep -q '^vm 2 c runnable pc=0x00001000 mode=K ticks=0$' out || say "vm c: $(cat out)"

# One-line errors; the one-VM monitor has no VMs to choose.
printf 'vm 3\nvm zz\nvm 1 2\nreverse-step\ninfo vms extra\nmigrate 127.0.0.1:1\n' | mon
[ "$(grep -c '^error: ' out)" = 6 ] && [ "$(wc -l < out)" = 6 ] || say "errors: $(cat out)"
grep -q "^error: no VM '3': give 0..2 or a name" out || say "vm 3: $(cat out)"
grep -q "^error: reverse-step is for one VM" out || say "reverse-step: $(cat out)"
grep -q "^error: migrate is for one VM, not --vm$" out || say "migrate: $(cat out)"
printf 'vm 1\ninfo vms\ninfo sched\n' | "$BIN/vmlab" monitor --disk a.img "$os" >out 2>&1
[ "$(grep -c '^error: .*: one guest here' out)" = 3 ] || say "one VM: $(cat out)"

# help and completion know the new commands.
printf 'help\nhelp vm\nhelp info vms\ncomplete vm \ncomplete info v\n' | mon
grep -q '^  vm  *choose the VM' out && grep -q '^vm \[VM\]$' out &&
	grep -q '^info vms$' out || say "help: $(cat out)"
for w in 'vm a' 'vm b' 'vm c' 'info vcpu' 'info vms'; do
	grep -q "^$w\$" out || say "completion lacks '$w': $(cat out)"
done

# Every VM stopped: running again is an error until reset (of the host).
fresh
printf 'continue\ncontinue\ncontinue\ncontinue\nreset\ninfo vms\n' | mon
grep -q "^error: the guest has stopped for good" out &&
	grep -q '^stop reset vm=[abc] pc=0x00001000' out &&
	[ "$(grep -c ' runnable  *ticks=0 ' out)" = 3 ] || say "the end, reset: $(cat out)"
exit $fail
