# end.s - linked last: the assembler lays out each section of each file in
# command-line order, .bss last, so kernel_end is the end of the kernel.

	.bss
	.globl	kernel_end
kernel_end:
