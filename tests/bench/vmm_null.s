# vmm_null.s - a user program that does nothing (tests/bench/vmm.sh): the
# guest OS's boot, load and power-off alone, subtracted from the other
# programs' times so that their VMM/bare ratios are not diluted by it.
	.include "../../guestos/user/ulib.s"
	.text
	.globl	main
main:	li	a0, 0
	ret
