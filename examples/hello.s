# hello.s - the smallest complete PG32 program.
#
# Runs bare from reset: kernel mode, paging off, interrupts off, so `out`
# is allowed and addresses are physical.  Writes each byte of the message
# to the console data port, then writes the exit code to the power port,
# which stops the machine.
#
# Expected output:  Hello, PG32!

	.equ	CONS_DATA, 0x00		# w: transmit the low byte
	.equ	POWER, 0x20		# w: power off, exit code = value & 0xff

	.text
	.globl	_start
_start:
	la	t0, msg
1:	lbu	t1, 0(t0)
	beqz	t1, 2f
	out	t1, CONS_DATA(zero)	# the transmitter is always ready
	addi	t0, t0, 1
	j	1b
2:	out	zero, POWER(zero)	# exit code 0

	.data
msg:	.asciz	"Hello, PG32!\n"
