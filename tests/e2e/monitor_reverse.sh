#!/bin/sh
# monitor_reverse.sh - time travel in the shell (monitor/README.md): step N
# forward, reverse-step N, and the guest stands where it stood (pc, mode,
# ticks, registers, and the whole state: savevm files restored with
# 'vmlab run --state' give the same registers, control registers and RAM
# checksum); step N again and it is where it was; a long reverse-step
# (over several checkpoints) and back; reverse-continue lands on the
# previous breakpoint and catch hits, in order.  Bare and under the VMM
# with both policies.
set -u
fail=0
os="$BUILD/guestos/kernel.elf"

# state SNAPSHOT MODE: the guest-visible state a snapshot holds.
state() {
	cp "$BUILD/guestos/disk.img" st.img
	"$BIN/vmlab" run $2 --disk st.img --restore "$1" --state --max-insns 1 </dev/null \
		2>&1 >/dev/null | grep -v 'budget'
}

for mode in --bare --shadow=flush --shadow=trace; do
	cp "$BUILD/guestos/disk.img" d.img
	cat > cmds <<EOT
step 300000
savevm a.snap
info registers
step 1234
savevm b.snap
reverse-step 1234
savevm a2.snap
info registers
step 1234
savevm b2.snap
reverse-step 250000
step 250000
savevm b3.snap
break kalloc
continue
continue
continue
reverse-continue
reverse-continue
delete
catch syscall
continue
continue
continue
reverse-continue
EOT
	"$BIN/vmlab" monitor $mode --disk d.img -x cmds "$os" </dev/null >out 2>&1 || {
		echo "FAIL $mode: the session failed"; sed 's/^/    /' out | grep error; fail=1; }
	for p in "a a2" "b b2" "b b3"; do
		set -- $p
		state "$1.snap" "$mode" > "$1.state"
		state "$2.snap" "$mode" > "$2.state"
		if ! grep -q '^ram_fnv1a' "$1.state" || ! cmp -s "$1.state" "$2.state"; then
			echo "FAIL $mode: $2 differs from $1"; diff "$1.state" "$2.state" | head -5
			fail=1
		fi
	done
	# The register dumps before and after going back 1234 steps.
	awk '/^pc /{n++} n>0 && n<=2 && /^(pc|r[0-9]+|[a-z]+) +0x/ {print > ("regs" n)}' out
	cmp -s regs1 regs2 || { echo "FAIL $mode: registers differ after reverse-step"; fail=1; }
	# stop lines: "stop WHAT pc=... mode=... ticks=..." -> "pc mode ticks"
	grep '^stop' out | sed 's/.* \(pc=[^ ]*\) \(mode=[^ ]*\) \(ticks=[0-9]*\)$/\1 \2 \3/' > stops
	# 1 step, 2 step, 3 reverse-step, 4 step, 5 reverse-step, 6 step, 7-9 breakpoints,
	# 10-11 reverse-continue, 12-14 catches, 15 reverse-continue
	[ "$(wc -l < stops)" -eq 15 ] || { echo "FAIL $mode: $(wc -l < stops) stops, want 15"; fail=1; }
	[ "$(sed -n 1p stops)" = "$(sed -n 3p stops)" ] ||
		{ echo "FAIL $mode: reverse-step did not return"; fail=1; }
	[ "$(sed -n 2p stops)" = "$(sed -n 4p stops)" ] && [ "$(sed -n 2p stops)" = "$(sed -n 6p stops)" ] ||
		{ echo "FAIL $mode: step after reverse-step went elsewhere"; fail=1; }
	# breakpoints: hits 1 2 3, then back to 2, then to 1
	b1=$(sed -n 7p stops) b2=$(sed -n 8p stops) rb2=$(sed -n 10p stops) rb1=$(sed -n 11p stops)
	[ -n "$b1" ] && [ "$b2" = "$rb2" ] && [ "$b1" = "$rb1" ] ||
		{ echo "FAIL $mode: reverse-continue over breakpoints: $b1 / $b2 / $rb2 / $rb1"; fail=1; }
	c2=$(sed -n 13p stops) rc2=$(sed -n 15p stops)
	[ -n "$c2" ] && [ "$c2" = "$rc2" ] ||
		{ echo "FAIL $mode: reverse-continue over catches: $c2 / $rc2"; fail=1; }
	grep -c '^stop reverse-continue' out | grep -qx 3 ||
		{ echo "FAIL $mode: not 3 reverse-continue stops"; fail=1; }
done

# A reverse-continue with nothing before it puts the present back as it was
# shown: the next continue goes on from the breakpoint it stood at.
printf 'break on_timer\ncontinue\nreverse-continue\ncontinue\n' > cmds
for mode in --bare --shadow=flush; do
	"$BIN/vmlab" monitor $mode -x cmds "$BUILD/examples/probe.elf" </dev/null >out 2>&1
	t=$(sed -n 's/^stop breakpoint 1 .* ticks=\([0-9]*\)$/\1/p' out | tr '\n' ' ')
	set -- $t
	[ $# -eq 2 ] && [ "$2" -gt "$1" ] ||
		{ echo "FAIL $mode: continue after a failed reverse-continue: stops at ticks $t"; fail=1; }
done
exit $fail
