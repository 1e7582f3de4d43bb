# console.s - the console: kernel output, and input for the read system call.
#
# Output: the transmitter is always ready (TXREADY is always 1), so a byte
# is written with one `out` to the data port.
#
# Input: the console raises its interrupt while a byte is waiting
# (RXREADY) and the receive interrupt is enabled (CTRL.RXIE).  The kernel
# keeps no buffer of its own: the device's buffer is the buffer.  A process
# that finds nothing to read enables RXIE and blocks (PS_READING); the
# interrupt handler disables RXIE again, since the line stays up until the
# bytes are read, and wakes the readers, which retry their read.  The end
# of the input raises the same interrupt (RXEOF), and the retried read
# returns 0.

	.include "kernel.inc"

	.text
	.globl	kputc, kputs, kput_dec, kput_hex, console_intr
	.globl	console_wait

# kputc(a0 = byte)
kputc:
	out	a0, CONS_DATA(zero)
	ret

# kputs(a0 = NUL-terminated string); uses t0
kputs:
	lbu	t0, 0(a0)
	beqz	t0, 1f
	out	t0, CONS_DATA(zero)
	addi	a0, a0, 1
	j	kputs
1:	ret

# kput_dec(a0 = signed value): decimal; uses t0-t2
kput_dec:
	bgez	a0, 1f
	li	t0, 45			# '-'
	out	t0, CONS_DATA(zero)
	neg	a0, a0
1:	addi	sp, sp, -16		# the digits, least significant first
	mv	t0, sp
	li	t2, 10
2:	remu	t1, a0, t2
	addi	t1, t1, 48		# '0'
	sb	t1, 0(t0)
	addi	t0, t0, 1
	divu	a0, a0, t2
	bnez	a0, 2b
3:	addi	t0, t0, -1
	lbu	t1, 0(t0)
	out	t1, CONS_DATA(zero)
	bne	t0, sp, 3b
	addi	sp, sp, 16
	ret

# kput_hex(a0 = value): "0x" and 8 hex digits; uses t0-t2
kput_hex:
	li	t0, 48			# '0'
	out	t0, CONS_DATA(zero)
	li	t0, 120			# 'x'
	out	t0, CONS_DATA(zero)
	li	t1, 28
1:	srl	t0, a0, t1
	andi	t0, t0, 15
	la	t2, hexdigits
	add	t2, t2, t0
	lbu	t0, 0(t2)
	out	t0, CONS_DATA(zero)
	addi	t1, t1, -4
	bgez	t1, 1b
	ret

# console_wait(): the calling process found no input; block it until some
# arrives.  Enabling RXIE raises the interrupt at once if a byte came in
# meanwhile, so no input is missed.
console_wait:
	li	t0, CONS_CTRL_RXIE
	out	t0, CONS_CTRL(zero)
	la	t0, nreaders
	lw	t1, 0(t0)
	addi	t1, t1, 1
	sw	t1, 0(t0)
	ret

# console_intr(): the console interrupt (a byte or the end of input, while
# RXIE): mask it, since the line stays up until the bytes are read (for
# good at the end of input), and wake the readers.
console_intr:
	out	zero, CONS_CTRL(zero)
	j	wake_readers

# wake_readers(): every PS_READING process becomes runnable; each retries
# its read (it blocked without completing its syscall).
wake_readers:
	la	t0, nreaders
	sw	zero, 0(t0)
	la	t0, procs
	li	t1, NPROC
	li	t3, PS_RUNNABLE
1:	lw	t2, P_STATE(t0)
	addi	t2, t2, -PS_READING
	bnez	t2, 2f
	sw	t3, P_STATE(t0)
2:	addi	t0, t0, P_SIZE
	addi	t1, t1, -1
	bnez	t1, 1b
	ret

	.data
hexdigits:
	.ascii	"0123456789abcdef"

	.bss
	.align	4
nreaders:			# processes in PS_READING
	.space	4
