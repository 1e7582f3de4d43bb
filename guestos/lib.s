# lib.s - the kernel's small library.

	.text
	.globl	memcpy

# memcpy(a0 = destination, a1 = source, a2 = bytes) -> a0 = destination.
# Byte by byte: the kernel only copies names.  Uses t0, t1.
memcpy:
	mv	t0, a0
	beqz	a2, 2f
1:	lbu	t1, 0(a1)
	sb	t1, 0(t0)
	addi	a1, a1, 1
	addi	t0, t0, 1
	addi	a2, a2, -1
	bnez	a2, 1b
2:	ret
