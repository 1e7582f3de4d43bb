# console.s - the hypercall errors and HC_CONSOLE_WRITE (vm/vmm/HYPERCALLS.md),
# in virtual kernel mode under vmlab run --pv.  Results, for --state:
#   s0 (r12) = an unknown number: -ENOSYS    s1 (r13) = a buffer past RAM: -EFAULT
#   s2 (r14) = HC_BLOCK of no line: -EINVAL  s3 (r15) = an unaligned shared page: -EINVAL
#   t3 (r11) = the bytes written of "hi"; the console shows "hi" and nothing else
	li	a0, 99
	hcall
	mv	s0, a0
	li	a0, 1
	li	a1, 0x7ffffff0
	li	a2, 4
	hcall
	mv	s1, a0
	li	a0, 5
	li	a1, 0
	hcall
	mv	s2, a0
	li	a0, 6
	li	a1, 0x2004
	hcall
	mv	s3, a0
	li	a0, 1
	la	a1, msg
	li	a2, 2
	hcall
	mv	t3, a0
	out	zero, 0x20(zero)
msg:	.ascii	"hi"
