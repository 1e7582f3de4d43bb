#!/bin/sh
# monitor_stopline.sh - a stop line starts on a line of its own when the
# guest's console output shares the shell's stream (stdout): after guest
# output without a final newline the shell ends that line first, and only
# once; after output that ended its line, or no new output, nothing is
# added.  Bare machine and VMM.
set -u
fail() { echo "FAIL: $*"; echo "--- output:"; cat out; exit 1; }

# Prints "kernel trap" (no newline), then "!\n", then "tail" (no
# newline), and powers off.
cat > p.s <<'S'
	.equ	CONS_DATA, 0x00
	.equ	POWER, 0x20
_start:	la	s0, msg
	call	puts
bang:	li	t0, '!'
	out	t0, CONS_DATA(zero)
	li	t0, '\n'
	out	t0, CONS_DATA(zero)
	la	s0, tail
	call	puts
done:	out	zero, POWER(zero)
puts:	lbu	t0, 0(s0)
	beqz	t0, 1f
	out	t0, CONS_DATA(zero)
	addi	s0, s0, 1
	j	puts
1:	ret
	.data
msg:	.asciz	"kernel trap"
tail:	.asciz	"tail"
S
"$BIN/pg32-as" -o p.elf p.s || fail "cannot assemble"
for m in --bare ""; do
	"$BIN/vmlab" monitor $m p.elf >out 2>&1 <<'C' || fail "monitor $m: status $?"
break bang
continue
step
step 4
break done
continue
continue
C
	# Each stop line and each "=>" line stands alone; the guest's text
	# sits on lines of its own around them.
	grep -vE '^(stop |=> |breakpoint |kernel trap$|!$|tail$)' out \
		&& fail "$m: a line mixes guest output and the shell's"
	[ "$(grep -c '^stop ' out)" -eq 5 ] || fail "$m: 5 stop lines"
	[ "$(grep -c '^kernel trap$' out)" -eq 1 ] || fail "$m: 'kernel trap' on its own line"
	[ "$(grep -c '^tail$' out)" -eq 1 ] || fail "$m: 'tail' on its own line"
	grep -q '^$' out && fail "$m: an empty line (a newline added twice or after a full line)"
done
exit 0
