# misal.s - a word load from an odd address: killed, misaligned at badva.
	.text
	.globl	main
main:	la	t0, word
	lw	t0, 1(t0)
	li	a0, 0
	ret
	.data
	.align	4
	.globl	word
word:	.word	0
