# vm.s - physical pages and page tables.
#
# Physical pages from ALLOC_BASE to the end of RAM are kept on a free list:
# each free page's first word holds the address of the next.  The kernel
# reaches any physical page at the same virtual address, so it can fill
# page tables and user pages directly.
#
# Page tables (two levels, walked by the hardware, isa/pg32.h):
#
#   ptb --> directory (1024 PDEs)        table (1024 PTEs)
#           +--------------------+       +---------------------------+
#   va>>22  | ppn of a table | V |------>| ppn of the page | flags   |
#           +--------------------+ va>>12 &0x3ff                     |
#
# Every address space shares the kernel's tables: PDEs 0..KPDE_LIMIT-1 of a
# process's directory are copies of the kernel directory's, whose PTEs map
# RAM at its own address without U, so user mode cannot touch them.  The
# PDEs from USER_BASE up point to tables of the process's own, allocated
# as it needs them, whose PTEs all have U.

	.include "kernel.inc"

	.text
	.globl	kalloc, kfree, vm_init, vm_new_pgdir, vm_free_pgdir
	.globl	vm_walk, vm_map_new, vm_check_user, vm_grow_stack
	.globl	kernel_pgdir, nfree

# kalloc() -> a0 = physical address of a zeroed page, or 0 if none is free
kalloc:
	la	t0, freelist
	lw	a0, 0(t0)
	beqz	a0, 2f
	lw	t1, 0(a0)		# pop
	sw	t1, 0(t0)
	la	t0, nfree
	lw	t1, 0(t0)
	addi	t1, t1, -1
	sw	t1, 0(t0)
	mv	t0, a0			# zero it
	li	t1, PAGE_SIZE
	add	t1, t1, a0
1:	sw	zero, 0(t0)
	sw	zero, 4(t0)
	sw	zero, 8(t0)
	sw	zero, 12(t0)
	addi	t0, t0, 16
	bne	t0, t1, 1b
2:	ret

# kfree(a0 = physical address of a page from kalloc)
kfree:
	la	t0, freelist
	lw	t1, 0(t0)
	sw	t1, 0(a0)
	sw	a0, 0(t0)
	la	t0, nfree
	lw	t1, 0(t0)
	addi	t1, t1, 1
	sw	t1, 0(t0)
	ret

# vm_init(a0 = bytes of RAM): put the free pages on the list, build the
# kernel's directory mapping RAM (page 0 left out, to catch null pointers)
# and turn paging on.  Runs before paging, at physical addresses.
vm_init:
	addi	sp, sp, -20
	sw	ra, 0(sp)
	sw	s0, 4(sp)
	sw	s1, 8(sp)
	sw	s2, 12(sp)
	li	t0, MAX_RAM		# the kernel maps at most MAX_RAM
	bleu	a0, t0, 1f
	mv	a0, t0
1:	li	t0, ~(PAGE_SIZE - 1)
	and	s0, a0, t0		# s0 = end of usable RAM
	la	t0, ram_end
	sw	s0, 0(t0)
	mv	s1, s0			# free pages top down, so kalloc
2:	li	t0, PAGE_SIZE		# returns them bottom up
	sub	s1, s1, t0
	li	t0, ALLOC_BASE
	bltu	s1, t0, 3f
	mv	a0, s1
	call	kfree
	j	2b

3:	call	kalloc			# the kernel directory
	la	t0, kernel_pgdir
	sw	a0, 0(t0)
	mv	s2, a0
	li	s1, PAGE_SIZE		# s1 = next page to map
4:	bgeu	s1, s0, 6f
	srli	t0, s1, 22		# a new table every 4 MiB
	slli	t0, t0, 2
	add	t0, t0, s2		# t0 = &pde
	lw	t1, 0(t0)
	bnez	t1, 5f
	sw	t0, 16(sp)
	call	kalloc
	beqz	a0, oom_boot
	lw	t0, 16(sp)
	ori	t1, a0, PTE_V
	sw	t1, 0(t0)
5:	li	t2, ~(PAGE_SIZE - 1)
	and	t1, t1, t2		# the table
	srli	t2, s1, 10		# byte offset of the PTE: ((va >> 12) & 0x3ff) * 4
	andi	t2, t2, 0xffc
	add	t1, t1, t2
	ori	t2, s1, PTE_V | PTE_R | PTE_W | PTE_X
	sw	t2, 0(t1)
	li	t0, PAGE_SIZE
	add	s1, s1, t0
	j	4b

6:	ori	t0, s2, PTB_PG		# paging on: the next fetch is
	mtcr	ptb, t0			# translated, to the same address
	lw	ra, 0(sp)
	lw	s0, 4(sp)
	lw	s1, 8(sp)
	lw	s2, 12(sp)
	addi	sp, sp, 20
	ret

oom_boot:
	la	a0, s_oom
	j	panic

# vm_new_pgdir() -> a0 = a new directory sharing the kernel's mappings, or 0
vm_new_pgdir:
	addi	sp, sp, -4
	sw	ra, 0(sp)
	call	kalloc
	beqz	a0, 2f
	la	t0, kernel_pgdir
	lw	t0, 0(t0)
	mv	t1, a0
	li	t2, KPDE_LIMIT
1:	lw	t3, 0(t0)
	sw	t3, 0(t1)
	addi	t0, t0, 4
	addi	t1, t1, 4
	addi	t2, t2, -1
	bnez	t2, 1b
2:	lw	ra, 0(sp)
	addi	sp, sp, 4
	ret

# vm_free_pgdir(a0 = directory): free every user page, the user tables and
# the directory.  The directory must not be the one in ptb.
vm_free_pgdir:
	addi	sp, sp, -20
	sw	ra, 0(sp)
	sw	s0, 4(sp)
	sw	s1, 8(sp)
	sw	s2, 12(sp)
	sw	s3, 16(sp)
	mv	s3, a0
	addi	s0, a0, KPDE_LIMIT * 4	# s0 = &pde, over the user PDEs
1:	lw	s1, 0(s0)
	andi	t0, s1, PTE_V
	beqz	t0, 4f
	li	t0, ~(PAGE_SIZE - 1)
	and	s1, s1, t0		# s1 = the table
	li	s2, 0			# s2 = byte offset of the PTE
2:	add	t0, s1, s2
	lw	a0, 0(t0)
	andi	t0, a0, PTE_V
	beqz	t0, 3f
	li	t0, ~(PAGE_SIZE - 1)
	and	a0, a0, t0
	call	kfree
3:	addi	s2, s2, 4
	li	t0, PAGE_SIZE
	bne	s2, t0, 2b
	mv	a0, s1
	call	kfree
4:	addi	s0, s0, 4
	li	t0, PAGE_SIZE
	add	t0, t0, s3
	bne	s0, t0, 1b
	mv	a0, s3
	call	kfree
	lw	ra, 0(sp)
	lw	s0, 4(sp)
	lw	s1, 8(sp)
	lw	s2, 12(sp)
	lw	s3, 16(sp)
	addi	sp, sp, 20
	ret

# vm_walk(a0 = directory, a1 = va, a2 = allocate) -> a0 = address of va's
# PTE, or 0 if its table is missing (and a2 == 0 or no page is free).
vm_walk:
	srli	t0, a1, 22
	slli	t0, t0, 2
	add	t0, t0, a0		# t0 = &pde
	lw	t1, 0(t0)
	andi	t2, t1, PTE_V
	bnez	t2, 1f
	li	a0, 0
	beqz	a2, 2f
	addi	sp, sp, -12
	sw	ra, 0(sp)
	sw	t0, 4(sp)
	sw	a1, 8(sp)
	call	kalloc
	lw	ra, 0(sp)
	lw	t0, 4(sp)
	lw	a1, 8(sp)
	addi	sp, sp, 12
	beqz	a0, 2f
	ori	t1, a0, PTE_V
	sw	t1, 0(t0)
1:	li	t2, ~(PAGE_SIZE - 1)
	and	t1, t1, t2
	srli	t2, a1, 10
	andi	t2, t2, 0xffc
	add	a0, t1, t2
2:	ret

# vm_map_new(a0 = directory, a1 = va, a2 = PTE flags) -> a0 = physical
# address of a new zeroed page mapped at va, or 0 if memory ran out.
# va must not be mapped yet.  Invalidates any TLB entry for va.
vm_map_new:
	addi	sp, sp, -16
	sw	ra, 0(sp)
	sw	s0, 4(sp)
	sw	s1, 8(sp)
	sw	s2, 12(sp)
	mv	s1, a1
	mv	s2, a2
	li	a2, 1
	call	vm_walk
	beqz	a0, 1f
	mv	s0, a0			# s0 = &pte
	call	kalloc
	beqz	a0, 1f
	or	t0, a0, s2
	ori	t0, t0, PTE_V
	sw	t0, 0(s0)
	tlbinv	s1			# the TLB may remember va as absent
1:	lw	ra, 0(sp)
	lw	s0, 4(sp)
	lw	s1, 8(sp)
	lw	s2, 12(sp)
	addi	sp, sp, 16
	ret

# vm_grow_stack(a0 = directory, a1 = va) -> a0 = 0 if va lies in the stack
# window (STACK_LOW..USER_TOP-1), was not mapped, and now is; -1 otherwise.
vm_grow_stack:
	li	t0, STACK_LOW
	bltu	a1, t0, 1f
	li	t0, USER_TOP
	bgeu	a1, t0, 1f
	li	t0, ~(PAGE_SIZE - 1)
	and	a1, a1, t0
	addi	sp, sp, -12
	sw	ra, 0(sp)
	sw	a0, 4(sp)
	sw	a1, 8(sp)
	li	a2, 0			# already mapped?  Then it is no growth.
	call	vm_walk
	beqz	a0, 2f
	lw	t0, 0(a0)
	andi	t0, t0, PTE_V
	bnez	t0, 3f
2:	lw	a0, 4(sp)
	lw	a1, 8(sp)
	li	a2, PTE_U | PTE_R | PTE_W
	call	vm_map_new
	beqz	a0, 3f
	li	a0, 0
	j	4f
3:	li	a0, -1
4:	lw	ra, 0(sp)
	addi	sp, sp, 12
	ret
1:	li	a0, -1
	ret

# vm_check_user(a0 = directory, a1 = va, a2 = length, a3 = 1 if the
# kernel will write there) -> a0 = 0 if every byte of va..va+len-1 is a
# user address mapped with U and R (and W if a3), after growing the stack
# over it if it lies there; -EFAULT otherwise.  The kernel checks every
# pointer a process hands it with this before touching the memory.
vm_check_user:
	beqz	a2, 5f
	addi	sp, sp, -20
	sw	ra, 0(sp)
	sw	s0, 4(sp)
	sw	s1, 8(sp)
	sw	s2, 12(sp)
	sw	s3, 16(sp)
	mv	s0, a0			# s0 = directory
	add	s2, a1, a2		# s2 = end
	bltu	s2, a1, 4f		# wrapped around
	li	t0, USER_BASE
	bltu	a1, t0, 4f
	li	t0, USER_TOP
	bgtu	s2, t0, 4f
	li	s3, PTE_U | PTE_R	# s3 = the flags needed
	beqz	a3, 1f
	ori	s3, s3, PTE_W
1:	li	t0, ~(PAGE_SIZE - 1)
	and	s1, a1, t0		# s1 = page
2:	mv	a0, s0
	mv	a1, s1
	li	a2, 0
	call	vm_walk
	beqz	a0, 6f
	lw	t0, 0(a0)
	andi	t1, t0, PTE_V
	beqz	t1, 6f
	and	t0, t0, s3
	bne	t0, s3, 4f
7:	li	t0, PAGE_SIZE
	add	s1, s1, t0
	bltu	s1, s2, 2b
	li	a0, 0
	j	3f
6:	mv	a0, s0			# not mapped: the stack may grow over it
	mv	a1, s1
	call	vm_grow_stack
	beqz	a0, 7b
4:	li	a0, -EFAULT
3:	lw	ra, 0(sp)
	lw	s0, 4(sp)
	lw	s1, 8(sp)
	lw	s2, 12(sp)
	lw	s3, 16(sp)
	addi	sp, sp, 20
	ret
5:	li	a0, 0
	ret

	.data
s_oom:	.asciz	"out of memory while mapping RAM"

	.bss
	.align	4
freelist:	.space	4	# first free page, 0 if none
nfree:		.space	4	# pages on the free list
kernel_pgdir:	.space	4	# physical address of the kernel's directory
ram_end:	.space	4
