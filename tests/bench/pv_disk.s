# pv_disk.s - a disk-heavy program (tests/bench/pv.sh): 16 MiB of data in
# its image, so the guest kernel reads 4096 more 4 KiB pages from the disk
# to load it than pv_empty.s.
	.include "../../guestos/user/ulib.s"
	.text
	.globl	main
main:	li	a0, 0
	ret
	.data
	.align	4096
blob:	.space	16777216
