# vmm_syscall.s - a system-call-heavy user program (tests/bench/vmm.sh):
# 200000 getpid() calls.  Each is a trap reflected into the guest kernel,
# the kernel's own privileged instructions (emulated), and rfe back.
	.include "../../guestos/user/ulib.s"
	.text
	.globl	main
main:	addi	sp, sp, -8
	sw	ra, 0(sp)
	sw	s0, 4(sp)
	li	s0, 200000
1:	call	getpid
	addi	s0, s0, -1
	bnez	s0, 1b
	lw	ra, 0(sp)
	lw	s0, 4(sp)
	addi	sp, sp, 8
	li	a0, 0
	ret
