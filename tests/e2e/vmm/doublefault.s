# doublefault.s - tvec points at an unmapped page: the first trap's handler
# cannot be fetched, a double fault (ISA.md 7.6), exit status 126, with the
# state of the first trap entry (pc = tvec, epc and cause of the syscall).
# The first trap comes after a hidden fault under the VMM (the handler's
# page has never been touched), which must not count.
# exit: 126
	.text
	.globl	_start
_start:
	li	t0, 0x7000000		# past 16 MiB: bus when fetched
	mtcr	tvec, t0
	syscall
