# vmm_cpu.s - a CPU-bound user program for the guest OS (tests/bench/vmm.sh):
# an ALU loop of about 60 million instructions, preempted by the guest's
# timer every 10000 ticks like any process.  Under the VMM nearly all of it
# runs directly; what costs is each timer interrupt's trip through the
# guest kernel.
	.include "../../guestos/user/ulib.s"
	.text
	.globl	main
main:	li	t0, 20000000
	li	a0, 0
1:	add	a0, a0, t0
	addi	t0, t0, -1
	bnez	t0, 1b
	li	a0, 0
	ret
