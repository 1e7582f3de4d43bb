# pv_empty.s - a user program that does nothing (tests/bench/pv.sh): its
# run is the boot and power-off every other figure is measured against.
	.include "../../guestos/user/ulib.s"
	.text
	.globl	main
main:	li	a0, 0
	ret
