#!/bin/sh
# monitor_snapshot.sh - the shell's savevm and loadvm (monitor/README.md):
# after loadvm the guest goes on exactly as it did after savevm (the same
# registers, ticks and stops: a breakpoint set before loadvm still hits, at
# the same tick), bare and under the VMM with both policies; a refused
# file (missing, another kind of target) changes nothing.
set -u
fail=0
os="$BUILD/guestos/kernel.elf"
cp "$BUILD/guestos/disk.img" d.img
"$BIN/vmlab" run --bare --disk d.img --save-at 5000 bare.snap --max-insns 5000 "$os" \
	</dev/null >/dev/null 2>&1
"$BIN/vmlab" run --disk d.img --save-at 5000 vm.snap --max-insns 5000 "$os" \
	</dev/null >/dev/null 2>&1
for mode in --shadow=flush --shadow=trace --bare; do
	case $mode in --bare) other=vm.snap ;; *) other=bare.snap ;; esac
	cp "$BUILD/guestos/disk.img" d.img
	cat > cmds <<EOT
step 150000
savevm s.snap
break kalloc
continue
info registers
step 400000
info registers
loadvm s.snap
continue
info registers
step 400000
info registers
loadvm nosuch.snap
loadvm $other
info registers
EOT
	"$BIN/vmlab" monitor $mode --disk d.img -x cmds "$os" </dev/null >out 2>&1
	# The blocks after savevm and after loadvm: the same lines.
	sed -n '/^saved s.snap/,/^stop loadvm/p' out | sed '1d;$d' | grep -v '^breakpoint 1 at' \
		> first
	sed -n '/^stop loadvm/,/error: nosuch.snap/p' out | sed '1,2d;$d' > second
	if [ ! -s first ] || ! cmp -s first second; then
		echo "FAIL $mode: the run after loadvm differs from the run after savevm"
		diff first second | head -10 | sed 's/^/    /'; fail=1
	fi
	grep -q '^stop breakpoint' first || { echo "FAIL $mode: no breakpoint hit"; fail=1; }
	grep -q "error: nosuch.snap: cannot open snapshot" out ||
		{ echo "FAIL $mode: missing file not refused"; fail=1; }
	grep -q "error: $other: a snapshot of a" out ||
		{ echo "FAIL $mode: $other not refused"; cat out | tail -5; fail=1; }
	# A refused loadvm changed nothing: the dump after the refusals equals
	# the one before them.
	sed -n "/error: $other/,\$p" out | sed '1d' > after
	tail -n "$(wc -l < after)" second > before
	[ -s after ] && cmp -s before after ||
		{ echo "FAIL $mode: a refused loadvm changed the guest"; fail=1; }
done
exit $fail
