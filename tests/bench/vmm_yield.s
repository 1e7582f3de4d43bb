# vmm_yield.s - half of a context-switch-heavy pair (tests/bench/vmm.sh):
# two copies run, each yielding 50000 times, so the guest kernel switches
# address spaces (ptb writes) at every call.
	.include "../../guestos/user/ulib.s"
	.text
	.globl	main
main:	addi	sp, sp, -8
	sw	ra, 0(sp)
	sw	s0, 4(sp)
	li	s0, 50000
1:	call	yield
	addi	s0, s0, -1
	bnez	s0, 1b
	lw	ra, 0(sp)
	lw	s0, 4(sp)
	addi	sp, sp, 8
	li	a0, 0
	ret
