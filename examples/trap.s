# trap.s - a bare program that takes its own traps, in kernel mode.
#
# Every trap, exception or interrupt, enters at the address in tvec with
# status.KM = 1 and status.IE = 0 (the previous values saved in PKM/PIE),
# epc = the pc to resume at and cause = why.  For an exception epc is the
# trapping instruction itself, so the handler adds 4 to skip it; for an
# interrupt epc is the instruction that has not run yet, so it is left as
# is.  rfe then restores KM and IE and jumps to epc.
#
# The program raises, in order: a syscall, a break, a misaligned load and
# a timer interrupt (waited for with wfi), and the handler prints each one.
#
# Expected output:
#   trap example
#   trap: cause 3 syscall
#   trap: cause 4 break
#   trap: cause 6 misaligned, badva 0x00000102
#   trap: cause 16 timer
#   back in main

	.equ	ST_IE, 0x2		# status.IE
	.equ	IRQ_TIMER, 0x1		# imask bit of the timer

	.text
	.globl	_start
_start:
	la	t0, trap_handler
	mtcr	tvec, t0
	la	a0, s_hello
	call	puts

	syscall				# cause 3
	break				# cause 4
	li	t0, 0x102
	lw	t1, 0(t0)		# cause 6: lw needs a 4-aligned address

	# A timer interrupt: the timer fires when icount reaches timecmp.
	mfcr	t0, icount
	addi	t0, t0, 500
	mtcr	timecmp, t0
	li	t0, IRQ_TIMER
	mtcr	imask, t0
	mfcr	t0, status
	ori	t0, t0, ST_IE
	mtcr	status, t0
	wfi				# sleeps until the timer is pending; the
					# interrupt is taken right after it
	mfcr	t0, status
	andi	t0, t0, ~ST_IE & 0xffff
	mtcr	status, t0

	la	a0, s_back
	call	puts
	out	zero, POWER(zero)

# The trap handler.  It runs on the interrupted code's stack (we are in
# kernel mode already) and must preserve every register it touches.
trap_handler:
	addi	sp, sp, -24
	sw	ra, 0(sp)
	sw	a0, 4(sp)
	sw	t0, 8(sp)
	sw	t1, 12(sp)
	sw	t2, 16(sp)
	sw	t3, 20(sp)

	la	a0, s_trap
	call	puts
	mfcr	a0, cause
	call	print_dec
	li	a0, 32			# ' '
	call	putc
	mfcr	t0, cause
	slli	t0, t0, 2
	la	t1, cause_names
	add	t1, t1, t0
	lw	a0, 0(t1)
	call	puts
	mfcr	t0, cause		# MISALIGNED, BUS and page faults: badva
	li	t1, 6			# holds the faulting address
	bltu	t0, t1, 1f
	li	t1, 13
	bgtu	t0, t1, 1f
	la	a0, s_badva
	call	puts
	mfcr	a0, badva
	call	print_hex
1:	li	a0, 10			# '\n'
	call	putc

	mfcr	t0, cause
	li	t1, 16			# causes >= 16 are interrupts
	bgeu	t0, t1, 2f
	mfcr	t0, epc			# exception: resume after the instruction
	addi	t0, t0, 4
	mtcr	epc, t0
	j	3f
2:	mtcr	timecmp, zero		# timer: writing timecmp clears the pending
					# bit (0 will not match again for 2^32 ticks)
3:	lw	ra, 0(sp)
	lw	a0, 4(sp)
	lw	t0, 8(sp)
	lw	t1, 12(sp)
	lw	t2, 16(sp)
	lw	t3, 20(sp)
	addi	sp, sp, 24
	rfe

	.data
s_hello:	.asciz	"trap example\n"
s_trap:		.asciz	"trap: cause "
s_badva:	.asciz	", badva "
s_back:		.asciz	"back in main\n"
n_none:		.asciz	"none"
n_illegal:	.asciz	"illegal"
n_priv:		.asciz	"privileged"
n_syscall:	.asciz	"syscall"
n_break:	.asciz	"break"
n_hcall:	.asciz	"hcall"
n_misal:	.asciz	"misaligned"
n_bus:		.asciz	"bus"
n_pff:		.asciz	"pf-fetch"
n_pffp:		.asciz	"pf-fetch-prot"
n_pfl:		.asciz	"pf-load"
n_pflp:		.asciz	"pf-load-prot"
n_pfs:		.asciz	"pf-store"
n_pfsp:		.asciz	"pf-store-prot"
n_timer:	.asciz	"timer"
n_console:	.asciz	"console"
n_disk:		.asciz	"disk"
	.align	4
cause_names:	# indexed by cause, 0..18, named as isa_cause_name() does
	.word	n_none, n_illegal, n_priv, n_syscall, n_break, n_hcall
	.word	n_misal, n_bus, n_pff, n_pffp, n_pfl, n_pflp, n_pfs, n_pfsp
	.word	n_none, n_none, n_timer, n_console, n_disk

	.include "console.inc"
