# vmm_tlb.s - a TLB-miss-heavy user program for the guest OS
# (tests/bench/mmu.sh): maps 2048 heap pages (8 MiB, run with --mem 64),
# then reads one word of each page in turn, 6000 rounds: 12 million loads on
# pages the machine's 512-entry TLB cannot hold together, so nearly every
# load walks.  A 1-D walk (bare, shadow paging) is 2 memory references; a
# 2-D walk (nested paging) up to 8: the figure where hardware assist loses.
	.include "../../guestos/user/ulib.s"
	.text
	.globl	main
main:	addi	sp, sp, -8
	sw	ra, 0(sp)
	sw	s0, 4(sp)
	li	a0, 2048
	call	sbrk
	bltz	a0, 3f
	mv	s0, a0			# the first new page
	li	t2, 6000		# rounds
1:	mv	t0, s0
	li	t1, 2048
2:	lw	t3, 0(t0)
	li	t3, 4096
	add	t0, t0, t3
	addi	t1, t1, -1
	bnez	t1, 2b
	addi	t2, t2, -1
	bnez	t2, 1b
	li	a0, 0
	j	4f
3:	li	a0, 1
4:	lw	ra, 0(sp)
	lw	s0, 4(sp)
	addi	sp, sp, 8
	ret
