# boot.s - where the kernel starts.
#
# The machine starts here in kernel mode, interrupts off, paging off,
# sp = top of RAM, pc = _start (ISA.md, "Reset").  The kernel image lies at
# its link address (physical 0x1000 up) and must end below ALLOC_BASE,
# where the page allocator starts.

	.include "kernel.inc"

	.text
	.globl	_start, boot_stack_top

_start:
	la	sp, boot_stack_top
	call	pv_probe		# a hypervisor?  (pv.s)
	la	t0, trap_vector		# every trap enters the kernel there
	mtcr	tvec, t0
	la	t0, kernel_end
	li	t1, ALLOC_BASE
	bgtu	t0, t1, too_big

	in	s0, MEMSIZE(zero)	# s0 = bytes of RAM
	mv	a0, s0
	call	vm_init			# page tables; paging is on after it
	li	t0, IRQ_TIMER | IRQ_CONSOLE | IRQ_DISK
	mtcr	imask, t0		# the lines the kernel handles; each is
	call	timer_start		# taken only while status.IE is on

	la	a0, s_banner
	call	kputs
	srli	a0, s0, 10
	call	kput_dec
	la	a0, s_ram
	call	kputs
	la	a0, nfree
	lw	a0, 0(a0)
	call	kput_dec
	la	a0, s_free
	call	kputs

	call	load_programs
	j	schedule		# never returns

too_big:
	la	a0, s_toobig
	j	panic

# pv_probe(): is there a hypervisor that offers hypercalls?  Ask it with
# hcall.  On the bare machine, or under a VMM that does not offer them,
# hcall is an ordinary trap (cause HCALL): it reaches probe_trap, which says
# no, and the kernel stays native.  Otherwise pv_patch (pv.s) makes it
# paravirtual.  Called first, paging off, before tvec is set.
pv_probe:
	la	t0, probe_trap
	mtcr	tvec, t0
	li	a0, HC_PROBE
	hcall				# a0 = HC_MAGIC, or probe_trap's 0
	li	t0, HC_MAGIC
	beq	a0, t0, pv_patch	# (pv.s) returns to _start
	ret

probe_trap:				# the hcall trapped: resume after it, a0 = 0
	mfcr	t0, epc
	addi	t0, t0, 4
	mtcr	epc, t0
	li	a0, 0
	rfe

	.data
s_banner:	.asciz	"PG32 guest OS: "
s_ram:		.asciz	" KiB of RAM, paging on, "
s_free:		.asciz	" free pages\n"
s_toobig:	.asciz	"the kernel image reaches ALLOC_BASE"

	.bss
	.align	16
boot_stack:
	.space	4096		# boot, the scheduler and the idle loop run here
boot_stack_top:
