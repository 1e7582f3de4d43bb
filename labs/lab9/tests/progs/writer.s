# writer.s - stores into pages in known patterns, for the dirty log's
# tests (lab 9).  Runs bare from reset: paging off, kernel mode.
#
#   two passes:     one word stored in each of 64 pages, buf .. buf + 63 * 4096
#                   (buf = 0x00002000); pass_done after each
#   read, write:    64 more pages (0x00042000 .. 0x00081000) loaded from
#                   (read_done), then stored into (write_done)
#   a disk read:    16 sectors (two pages) by DMA to 0x00090000, if there is
#                   a disk (dma_done)
#   then it powers off with 0.

	.equ	DISK_SECTOR, 0x10
	.equ	DISK_ADDR, 0x11
	.equ	DISK_COUNT, 0x12
	.equ	DISK_CMD, 0x13
	.equ	DISK_STATUS, 0x14
	.equ	DISK_SIZE, 0x15
	.equ	POWER, 0x20

	.text
	.globl	_start
_start:
	la	s2, buf
	li	s3, 2			# passes
pass:	li	s0, 0
1:	slli	t0, s0, 12
	add	t0, t0, s2
	sw	s0, 0(t0)
	addi	s0, s0, 1
	li	t1, 64
	blt	s0, t1, 1b
	.globl	pass_done
pass_done:
	addi	s3, s3, -1
	bnez	s3, pass

	li	t2, 0x00042000
	li	s0, 0
2:	slli	t0, s0, 12
	add	t0, t0, t2
	lw	t1, 0(t0)
	addi	s0, s0, 1
	li	t1, 64
	blt	s0, t1, 2b
	.globl	read_done
read_done:
	li	s0, 0
3:	slli	t0, s0, 12
	add	t0, t0, t2
	sw	s0, 0(t0)
	addi	s0, s0, 1
	li	t1, 64
	blt	s0, t1, 3b
	.globl	write_done
write_done:
	in	t0, DISK_SIZE(zero)
	li	t1, 16
	bltu	t0, t1, 5f		# no disk, or a small one
	out	zero, DISK_SECTOR(zero)
	li	t0, 0x00090000
	out	t0, DISK_ADDR(zero)
	out	t1, DISK_COUNT(zero)
	li	t0, 1			# read
	out	t0, DISK_CMD(zero)
4:	in	t0, DISK_STATUS(zero)
	andi	t0, t0, 2		# done
	beqz	t0, 4b
	out	zero, DISK_STATUS(zero)
	.globl	dma_done
dma_done:
5:	out	zero, POWER(zero)

	.data
	.align	4096
buf:	.space	262144
