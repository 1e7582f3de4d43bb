#!/bin/sh
# monitor_budget.sh - vmlab monitor --max-insns (monitor/README.md,
# "Options"): a scripted session whose guest never stops ends at the
# budget, over all its commands, with "stop budget" and status 124, on
# the bare machine and under the VMM; a session within its budget is not
# affected.
status=0
fail() { echo "FAIL: $*"; status=1; }
printf 'loop:\n\tj\tloop\n' > loop.s
"$BIN/pg32-as" -o loop.elf loop.s || exit 1
printf 'continue\ninfo registers\n' > cont.cmds
for o in --bare ""; do
	"$BIN/vmlab" monitor $o --max-insns 3000000 -x cont.cmds loop.elf > out 2>&1
	rc=$?
	[ $rc -eq 124 ] || fail "monitor $o: status $rc, expected 124"
	grep -q '^stop budget pc=0x[0-9a-f]* mode=K ticks=3000000$' out || { fail "monitor $o: no budget stop:"; cat out; }
	grep -q '^r0 ' out && fail "monitor $o: a command after the budget stop ran"
done
# the budget counts over the commands: 5 steps, then 10 more of which 2 fit
printf 'step 5\nstep 10\n' > steps.cmds
"$BIN/vmlab" monitor --bare --max-insns 7 -x steps.cmds loop.elf > out 2>&1
rc=$?
[ $rc -eq 124 ] || fail "steps: status $rc, expected 124"
grep -q '^stop step pc=0x00001000 mode=K ticks=5$' out || { fail "steps: the first command:"; cat out; }
grep -q '^stop budget pc=0x00001000 mode=K ticks=7$' out || { fail "steps: the second command:"; cat out; }
# within the budget: the session as without it
printf 'step 3\ninfo registers\n' > ok.cmds
"$BIN/vmlab" monitor --bare --max-insns 100 -x ok.cmds loop.elf > out 2>&1 || fail "within the budget: status $?"
grep -q '^r0 ' out || { fail "within the budget: info registers did not run:"; cat out; }
exit $status
