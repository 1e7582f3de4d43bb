# disk.s - the disk, and loading the user programs from it.
#
# The disk moves whole 512-byte sectors by DMA, at physical addresses: the
# kernel writes SECTOR, ADDR, COUNT, then CMD.  ISA_DISK_LATENCY ticks
# later the transfer happens, STATUS says DONE (and ERROR if the request
# was bad), and the disk interrupt line is up until STATUS is written.
# The kernel waits for that interrupt, not by polling STATUS.
#
# Disk layout (made by mkdisk, see README.md): sector 0 holds a table of
# programs; each program's image (text, then data, as it lies in memory
# from its load address) starts at its own sector.

	.include "kernel.inc"

	.text
	.globl	disk_read, disk_intr, load_programs, disk_poll, disk_wait

# disk_read(a0 = first sector, a1 = physical address, a2 = sectors) ->
# a0 = 0, or -1 if the disk reported an error.  Waits for the transfer
# with interrupts: wfi until the disk (or another device) interrupts, take
# the interrupt, look whether it was the disk's.
disk_read:
	la	t0, disk_done
	sw	zero, 0(t0)
	out	a0, DISK_SECTOR(zero)
	out	a1, DISK_ADDR(zero)
	out	a2, DISK_COUNT(zero)
	li	t0, DISK_CMD_READ
	out	t0, DISK_CMD(zero)
disk_poll:
1:	la	t0, disk_done
	lw	t1, 0(t0)
	bnez	t1, 2f
disk_wait:				# (pv.s: pv_disk_wait)
	wfi				# IE off: wakes on a pending interrupt...
	rdst	t1			# save the interrupt state
	li	t0, 1
	setie	t0			# ...which is taken here (trap.s: ktrap)
	srli	t1, t1, 1		# restore it (IE is status bit 1)
	setie	t1
	j	1b
2:	andi	t1, t1, DISK_ERROR
	li	a0, 0
	beqz	t1, 3f
	li	a0, -1
3:	ret

# disk_intr(): the disk interrupt.  Record the status for disk_read and
# acknowledge, which lowers the line.
disk_intr:
	in	t0, DISK_STATUS(zero)
	out	zero, DISK_STATUS(zero)
	ori	t0, t0, DISK_DONE
	la	t1, disk_done
	sw	t0, 0(t1)
	ret

# load_programs(): read the table in sector 0 and make a process of each
# program in it.
load_programs:
	addi	sp, sp, -12
	sw	ra, 0(sp)
	sw	s0, 4(sp)
	sw	s1, 8(sp)
	li	a0, 0
	la	a1, table		# identity mapped: its virtual address
	li	a2, 1			# is its physical address
	call	disk_read
	bnez	a0, bad_disk
	la	t0, table
	lw	t1, DH_MAGIC(t0)
	li	t2, DISK_MAGIC
	bne	t1, t2, bad_disk
	lw	s1, DH_COUNT(t0)	# s1 = programs left
	li	t2, DISK_MAXPROG
	bgtu	s1, t2, bad_disk
	addi	s0, t0, DH_ENTRIES	# s0 = entry
1:	beqz	s1, 2f
	mv	a0, s0
	call	load_program
	addi	s0, s0, DE_SIZEOF
	addi	s1, s1, -1
	j	1b
2:	lw	ra, 0(sp)
	lw	s0, 4(sp)
	lw	s1, 8(sp)
	addi	sp, sp, 12
	ret

bad_disk:
	la	a0, s_baddisk
	j	panic

# load_program(a0 = table entry): a new process running the program.
#   text pages  LOAD .. LOAD+TEXT           U R X, read from disk
#   data pages  .. round_up(LOAD+SIZE)      U R W, read from disk
#   bss pages   .. round_up(LOAD+SIZE+BSS)  U R W, zero
#   stack       one page below USER_TOP     U R W; more on demand
# A page is read straight into its physical page, 8 sectors at most.
load_program:
	addi	sp, sp, -20
	sw	ra, 0(sp)
	sw	s0, 4(sp)
	sw	s1, 8(sp)
	sw	s2, 12(sp)
	sw	s3, 16(sp)
	mv	s0, a0			# s0 = entry
	call	proc_alloc
	beqz	a0, oom
	mv	s3, a0			# s3 = process
	mv	a1, s0			# its name, NUL-padded to 16 bytes
	addi	a0, s3, P_NAME
	li	a2, 16
	call	memcpy

	lw	s1, DE_LOAD(s0)		# s1 = va of the page being loaded
	li	s2, 0			# s2 = offset of that page in the image
1:	lw	t0, DE_SIZE(s0)
	bgeu	s2, t0, 3f
	lw	t1, DE_TEXT(s0)
	li	a2, PTE_U | PTE_R | PTE_X
	bltu	s2, t1, 2f
	li	a2, PTE_U | PTE_R | PTE_W
2:	lw	a0, P_PGDIR(s3)
	mv	a1, s1
	call	vm_map_new
	beqz	a0, oom
	mv	a1, a0			# read min(8, sectors left) sectors
	lw	t0, DE_SIZE(s0)
	sub	t0, t0, s2
	addi	t0, t0, SECTOR_SIZE - 1
	srli	a2, t0, 9
	li	t0, PAGE_SIZE / SECTOR_SIZE
	bleu	a2, t0, 4f
	mv	a2, t0
4:	lw	a0, DE_SECTOR(s0)
	srli	t0, s2, 9
	add	a0, a0, t0
	call	disk_read
	bnez	a0, bad_disk
	li	t0, PAGE_SIZE
	add	s1, s1, t0
	add	s2, s2, t0
	j	1b

3:	lw	s2, DE_LOAD(s0)		# s2 = end of the bss
	lw	t0, DE_SIZE(s0)
	add	s2, s2, t0
	lw	t0, DE_BSS(s0)
	add	s2, s2, t0
5:	bgeu	s1, s2, 6f
	lw	a0, P_PGDIR(s3)
	mv	a1, s1
	li	a2, PTE_U | PTE_R | PTE_W
	call	vm_map_new
	beqz	a0, oom
	li	t0, PAGE_SIZE
	add	s1, s1, t0
	j	5b
6:	sw	s1, P_BRK(s3)		# the heap starts after the bss
	lw	a0, P_PGDIR(s3)
	li	a1, USER_TOP - PAGE_SIZE
	li	a2, PTE_U | PTE_R | PTE_W
	call	vm_map_new
	beqz	a0, oom

	lw	t0, P_TF(s3)		# start at the entry, sp at the top
	lw	t1, DE_ENTRY(s0)
	sw	t1, TF_EPC(t0)
	li	t1, USER_TOP
	sw	t1, TF_SP(t0)
	li	t1, PS_RUNNABLE
	sw	t1, P_STATE(s3)
	la	t0, nlive
	lw	t1, 0(t0)
	addi	t1, t1, 1
	sw	t1, 0(t0)

	la	a0, s_loaded
	call	kputs
	lw	a0, P_PID(s3)
	call	kput_dec
	li	a0, 58			# ':'
	call	kputc
	li	a0, 32
	call	kputc
	addi	a0, s3, P_NAME
	call	kputs
	li	a0, 10
	call	kputc

	lw	ra, 0(sp)
	lw	s0, 4(sp)
	lw	s1, 8(sp)
	lw	s2, 12(sp)
	lw	s3, 16(sp)
	addi	sp, sp, 20
	ret

oom:	la	a0, s_oom
	j	panic

	.data
s_baddisk:	.asciz	"the disk holds no valid program table"
s_oom:		.asciz	"out of memory loading the programs"
s_loaded:	.asciz	"[kernel] loaded pid "

	.bss
	.align	4
disk_done:	.space	4	# DISK_STATUS | DONE once a transfer finished
	.align	512
table:		.space	SECTOR_SIZE	# sector 0, read at boot
