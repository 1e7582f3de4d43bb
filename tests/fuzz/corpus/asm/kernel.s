# privileged instructions, control registers, devices
	.globl _start
_start:	la t0, handler
	mtcr tvec, t0
	li t0, 7
	mtcr imask, t0
	mfcr t1, icount
	addi t1, t1, 100
	mtcr timecmp, t1
	li t0, 1
	out t0, 2(zero)
	mfcr a0, status
	ori a0, a0, 2
	mtcr status, a0
	wfi
	tlbflush
	tlbinv a0
	in a1, 0x14(zero)
	syscall
	break
	hcall
	out zero, 0x20(zero)
handler:
	mfcr t0, cause
	mfcr t2, epc
	addi t2, t2, 4
	mtcr epc, t2
	mfcr t3, badva
	mtcr scratch, t3
	rfe
