# vmm_fault.s - a page-fault-heavy user program (tests/bench/vmm.sh): grows
# its heap a page at a time, 12000 pages (run with --mem 64), touching each
# one: every new page is a fresh mapping the VMM's shadow must learn
# (hidden faults for the kernel zeroing it and for the user's store).
	.include "../../guestos/user/ulib.s"
	.text
	.globl	main
main:	addi	sp, sp, -8
	sw	ra, 0(sp)
	sw	s0, 4(sp)
	li	s0, 12000
1:	li	a0, 1
	call	sbrk
	bltz	a0, 2f
	sw	s0, 0(a0)
	sw	s0, 2048(a0)
	addi	s0, s0, -1
	bnez	s0, 1b
2:	mv	a0, s0
	lw	ra, 0(sp)
	lw	s0, 4(sp)
	addi	sp, sp, 8
	ret
