# syscall.s - the system calls.
#
# ABI (README.md): `syscall` with the number in t0 and the arguments in
# a0, a1, a2; the result comes back in a0, a negative -E* code on error.
# Every other register is preserved.  The hardware leaves epc at the
# syscall instruction itself; a call that completes moves it past, a call
# that must wait (read) leaves it there, so the process executes the
# syscall again when it is woken.
#
# A pointer from user space is checked with vm_check_user before the
# kernel touches the memory: it must lie in user space, be mapped, and
# allow the access.  The kernel then reaches it at the same address: the
# process's directory is in ptb, and kernel mode may access U pages.

	.include "kernel.inc"

	.text
	.globl	do_syscall

# do_syscall(a0 = trap frame), on the process's kernel stack.  Each handler
# is called as h(a0 = trap frame, a1..a3 = the process's a0..a2) and returns
# the result in a0; those that end the process's turn do not return.
do_syscall:
# LAB1 BEGIN: the system call dispatch (task 2): the handler of the number
# in the frame's t0 from the table syscalls (-ENOSYS for a number past its
# end), its result into the frame's a0, and back to the process after the
# syscall instruction.
	mv	s0, a0			# s0 = frame
	lw	t0, TF_T0(s0)
	li	a0, -ENOSYS
	li	t1, NSYSCALL
	bgeu	t0, t1, 1f
	slli	t0, t0, 2
	la	t1, syscalls
	add	t1, t1, t0
	lw	t1, 0(t1)
	mv	a0, s0
	lw	a1, TF_A0(s0)
	lw	a2, TF_A1(s0)
	lw	a3, TF_A2(s0)
	jalr	ra, 0(t1)
1:	sw	a0, TF_A0(s0)
	# fall through

# complete(s0 = frame): resume after the syscall instruction.
complete:
	lw	t0, TF_EPC(s0)
	addi	t0, t0, 4
	sw	t0, TF_EPC(s0)
	mv	a0, s0
	j	user_return
# LAB1 STUB
#	la	a0, s_lab1_syscall
#	j	panic
#	.data
#s_lab1_syscall:	.asciz	"lab1: the system call dispatch (do_syscall, syscall.s) is not implemented"
#	.text
# LAB1 END

# exit(status): never returns.
sys_exit:
	la	a0, cur_proc
	lw	a0, 0(a0)
	andi	a1, a1, 0xff		# 0..255; a negative status means "killed"
	j	proc_exit

# getpid() -> the process's pid
sys_getpid:
# LAB1 BEGIN: getpid (task 3)
	la	a0, cur_proc
	lw	a0, 0(a0)
	lw	a0, P_PID(a0)
	ret
# LAB1 STUB
#	addi	sp, sp, -4
#	sw	ra, 0(sp)
#	la	a0, s_lab1_getpid
#	call	kputs
#	lw	ra, 0(sp)
#	addi	sp, sp, 4
#	li	a0, -ENOSYS
#	ret
#	.data
#s_lab1_getpid:	.asciz	"[kernel] lab1: getpid (sys_getpid, syscall.s) is not implemented\n"
#	.text
# LAB1 END

# yield() -> 0, after the other runnable processes have had their turn
sys_yield:
	sw	zero, TF_A0(a0)
	li	t1, PS_RUNNABLE
	# fall through

# give_up(a0 = frame, t1 = new state): complete the call and schedule.
give_up:
	lw	t0, TF_EPC(a0)
	addi	t0, t0, 4
	sw	t0, TF_EPC(a0)
	la	t0, cur_proc
	lw	t0, 0(t0)
	sw	t1, P_STATE(t0)
	j	schedule

# sleep(ticks) -> 0, after at least that many timer ticks (none if <= 0)
sys_sleep:
# LAB1 BEGIN: sleep (task 5): record the tick to wake at, become
# PS_SLEEPING, give the processor up (give_up); timer_intr wakes it.
	blez	a1, 1f
	la	t0, ticks
	lw	t0, 0(t0)
	add	t0, t0, a1
	la	t2, cur_proc
	lw	t2, 0(t2)
	sw	t0, P_WAKE(t2)
	sw	zero, TF_A0(a0)
	li	t1, PS_SLEEPING
	j	give_up
1:	li	a0, 0
	ret
# LAB1 STUB
#	addi	sp, sp, -4
#	sw	ra, 0(sp)
#	la	a0, s_lab1_sleep
#	call	kputs
#	lw	ra, 0(sp)
#	addi	sp, sp, 4
#	li	a0, -ENOSYS
#	ret
#	.data
#s_lab1_sleep:	.asciz	"[kernel] lab1: sleep (sys_sleep, syscall.s) is not implemented\n"
#	.text
# LAB1 END

# write(fd, buf, len) -> len.  fd 1 (and 2) is the console.  -EBADF,
# -EINVAL (len < 0), -EFAULT (buf..buf+len-1 not readable user memory).
sys_write:
# LAB1 BEGIN: write (task 4): check fd and len, then the whole buffer with
# vm_check_user BEFORE touching it; then copy it to the console.
	addi	t0, a1, -1
	li	t1, 1
	bgtu	t0, t1, ebadf		# fd not 1 or 2
	bltz	a3, einval
	addi	sp, sp, -12
	sw	ra, 0(sp)
	sw	a2, 4(sp)
	sw	a3, 8(sp)
	la	a0, cur_proc
	lw	a0, 0(a0)
	lw	a0, P_PGDIR(a0)
	mv	a1, a2
	mv	a2, a3
	li	a3, 0
	call	vm_check_user
	lw	ra, 0(sp)
	lw	t0, 4(sp)		# t0 = buf
	lw	a1, 8(sp)		# a1 = len
	addi	sp, sp, 12
	bnez	a0, 2f
	add	t1, t0, a1		# t1 = end
	mv	a0, a1
	beq	t0, t1, 2f
1:	lbu	t2, 0(t0)
	out	t2, CONS_DATA(zero)
	addi	t0, t0, 1
	bne	t0, t1, 1b
2:	ret
# LAB1 STUB
#	addi	sp, sp, -4
#	sw	ra, 0(sp)
#	la	a0, s_lab1_write
#	call	kputs
#	lw	ra, 0(sp)
#	addi	sp, sp, 4
#	li	a0, -ENOSYS
#	ret
#	.data
#s_lab1_write:	.asciz	"[kernel] lab1: write (sys_write, syscall.s) is not implemented\n"
#	.text
# LAB1 END

# read(fd, buf, len) -> bytes read, at least 1 if len > 0; 0 at the end of
# input.  fd 0 is the console.  With nothing to read yet, the process
# blocks until the console interrupt (or the end of input) wakes it, and
# then runs the syscall again.  Errors as write, buf must be writable.
sys_read:
	bnez	a1, ebadf
	bltz	a3, einval
	addi	sp, sp, -16
	sw	ra, 0(sp)
	sw	a0, 4(sp)
	sw	a2, 8(sp)
	sw	a3, 12(sp)
	la	a0, cur_proc
	lw	a0, 0(a0)
	lw	a0, P_PGDIR(a0)
	mv	a1, a2
	mv	a2, a3
	li	a3, 1
	call	vm_check_user
	lw	ra, 0(sp)
	lw	t3, 4(sp)		# t3 = frame
	lw	t0, 8(sp)		# t0 = buf
	lw	a1, 12(sp)		# a1 = len
	addi	sp, sp, 16
	bnez	a0, 3f
	beqz	a1, 3f			# a0 = 0
	add	t1, t0, a1		# t1 = end
	li	t2, -1
1:	in	a0, CONS_DATA(zero)	# a byte, or -1 if none is waiting
	beq	a0, t2, 2f
	sb	a0, 0(t0)
	addi	t0, t0, 1
	bne	t0, t1, 1b
2:	sub	a0, t0, t1		# bytes read = len - (end - t0)
	add	a0, a0, a1
	bnez	a0, 3f
	in	t0, CONS_STATUS(zero)
	andi	t0, t0, CONS_RXEOF
	bnez	t0, 3f			# a0 = 0: end of input
	call	console_wait		# nothing yet: block, retry when woken
	la	t0, cur_proc
	lw	t0, 0(t0)
	li	t1, PS_READING
	sw	t1, P_STATE(t0)
	j	schedule
3:	ret

# sbrk(pages) -> the old end of the heap, after mapping `pages` more zeroed
# pages (R W) there; sbrk(0) just returns it.  -EINVAL if pages < 0,
# -ENOMEM if the heap would reach the stack or memory is short (then
# nothing changes).
sys_sbrk:
# LAB1 BEGIN: sbrk (task 6): check, then map the new pages (vm_map_new)
# and move P_BRK; all or nothing.
	bltz	a1, einval
	addi	sp, sp, -20
	sw	ra, 0(sp)
	sw	s0, 4(sp)
	sw	s1, 8(sp)
	sw	s2, 12(sp)
	sw	s3, 16(sp)
	la	s3, cur_proc
	lw	s3, 0(s3)
	lw	s0, P_BRK(s3)		# s0 = old break
	li	t0, STACK_LOW >> PAGE_SHIFT	# room left, in pages
	srli	t1, s0, PAGE_SHIFT
	sub	t0, t0, t1
	bgtu	a1, t0, 3f
	srli	t0, a1, 10		# worst case: a new table per 1024 pages,
	add	t0, t0, a1		# plus one
	addi	t0, t0, 1
	la	t1, nfree
	lw	t1, 0(t1)
	bgtu	t0, t1, 3f		# so that mapping cannot fail below
	slli	s2, a1, PAGE_SHIFT
	add	s2, s2, s0		# s2 = new break
	mv	s1, s0			# s1 = page to map
1:	beq	s1, s2, 2f
	lw	a0, P_PGDIR(s3)
	mv	a1, s1
	li	a2, PTE_U | PTE_R | PTE_W
	call	vm_map_new
	li	t0, PAGE_SIZE
	add	s1, s1, t0
	j	1b
2:	sw	s2, P_BRK(s3)
	mv	a0, s0
	j	4f
3:	li	a0, -ENOMEM
4:	lw	ra, 0(sp)
	lw	s0, 4(sp)
	lw	s1, 8(sp)
	lw	s2, 12(sp)
	lw	s3, 16(sp)
	addi	sp, sp, 20
	ret
# LAB1 STUB
#	addi	sp, sp, -4
#	sw	ra, 0(sp)
#	la	a0, s_lab1_sbrk
#	call	kputs
#	lw	ra, 0(sp)
#	addi	sp, sp, 4
#	li	a0, -ENOSYS
#	ret
#	.data
#s_lab1_sbrk:	.asciz	"[kernel] lab1: sbrk (sys_sbrk, syscall.s) is not implemented\n"
#	.text
# LAB1 END

ebadf:	li	a0, -EBADF
	ret
einval:	li	a0, -EINVAL
	ret

	.data
	.align	4
syscalls:			# indexed by the number in t0
	.word	sys_exit, sys_write, sys_read, sys_getpid
	.word	sys_yield, sys_sleep, sys_sbrk
