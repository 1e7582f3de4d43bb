# proc.s - processes and the scheduler.
#
# A process is a slot of procs[] (struct layout P_* in kernel.inc): its
# state, pid, page directory, kernel stack and the trap frame at the top of
# that stack.  While a process runs in user mode its registers are in the
# machine; from trap entry until it runs again they are in its trap frame.
#
# The kernel never blocks halfway through its own code: a system call that
# must wait (sleep, read) records what it waits for in the process and
# calls schedule, which forgets the kernel stack it ran on.  So there is no
# kernel context to switch, only user contexts, and a context switch is:
# pick a runnable process, load its directory into ptb, load its trap frame
# into the registers, rfe (user_return).
#
# Scheduling is round robin: the search starts after the slot that ran
# last.  The timer interrupts every QUANTUM ticks; in user mode that ends
# the running process's turn (trap.s).  Time counts in those ticks.

	.include "kernel.inc"

	.text
	.globl	schedule, timer_start, timer_intr, proc_alloc, proc_exit
	.globl	procs, cur_proc, cur_tf, ticks, nlive
	.globl	sched_scan, sched_idle, sched_switch

# timer_start(): the next timer interrupt QUANTUM ticks from now.  The
# timer fires when icount (retired instructions) reaches timecmp; writing
# timecmp also clears the pending interrupt.
timer_start:
	mfcr	t0, icount
	li	t1, QUANTUM
	add	t0, t0, t1
	mtcr	timecmp, t0
	ret

# timer_intr(): a timer tick.  Start the next period and wake the sleepers
# whose time has come.
timer_intr:
	addi	sp, sp, -4
	sw	ra, 0(sp)
	call	timer_start
	lw	ra, 0(sp)
	addi	sp, sp, 4
	la	t0, ticks
	lw	t1, 0(t0)
	addi	t1, t1, 1
	sw	t1, 0(t0)		# t1 = now
	la	t0, procs
	li	t2, NPROC
1:	lw	t3, P_STATE(t0)
	addi	t3, t3, -PS_SLEEPING
	bnez	t3, 2f
	lw	t3, P_WAKE(t0)
	bgtu	t3, t1, 2f
	li	t3, PS_RUNNABLE
	sw	t3, P_STATE(t0)
2:	addi	t0, t0, P_SIZE
	addi	t2, t2, -1
	bnez	t2, 1b
	ret

# proc_alloc() -> a0 = a free slot with a new pid, its directory, kernel
# stack and trap frame (all zero), state still PS_UNUSED; or 0 if there is
# no free slot or memory.
proc_alloc:
	addi	sp, sp, -8
	sw	ra, 0(sp)
	sw	s0, 4(sp)
	la	s0, procs
	li	t1, NPROC
1:	lw	t0, P_STATE(s0)
	beqz	t0, 2f
	addi	s0, s0, P_SIZE
	addi	t1, t1, -1
	bnez	t1, 1b
	li	a0, 0
	j	4f
2:	call	kalloc			# kernel stack
	beqz	a0, 4f
	sw	a0, P_KSTACK(s0)
	li	t0, PAGE_SIZE - TF_SIZE
	add	t0, t0, a0
	sw	t0, P_TF(s0)
	call	vm_new_pgdir
	bnez	a0, 3f
	lw	a0, P_KSTACK(s0)
	call	kfree
	li	a0, 0
	j	4f
3:	sw	a0, P_PGDIR(s0)
	la	t0, next_pid
	lw	t1, 0(t0)
	sw	t1, P_PID(s0)
	addi	t1, t1, 1
	sw	t1, 0(t0)
	mv	a0, s0
4:	lw	ra, 0(sp)
	lw	s0, 4(sp)
	addi	sp, sp, 8
	ret

# proc_exit(a0 = process, a1 = status): end the process, free everything
# it owns, and schedule.  Never returns.  It leaves the process's kernel
# stack and directory before it frees them.
proc_exit:
	la	t0, boot_stack_top
	mv	sp, t0
	mv	s0, a0
	la	t0, kernel_pgdir
	lw	t0, 0(t0)
	ori	t0, t0, PTB_PG
	mtcr	ptb, t0
	bltz	a1, 1f			# killed: proc_kill has said so
	mv	s1, a1
	la	a0, s_pid
	call	kputs
	lw	a0, P_PID(s0)
	call	kput_dec
	la	a0, s_open
	call	kputs
	addi	a0, s0, P_NAME
	call	kputs
	la	a0, s_exited
	call	kputs
	mv	a0, s1
	call	kput_dec
	li	a0, 10
	call	kputc
1:	lw	a0, P_PGDIR(s0)
	call	vm_free_pgdir
	lw	a0, P_KSTACK(s0)
	call	kfree
	sw	zero, P_STATE(s0)
	la	t0, nlive
	lw	t1, 0(t0)
	addi	t1, t1, -1
	sw	t1, 0(t0)
	# fall through

# schedule(): run the next runnable process after the one that ran last;
# if there is none, wait for an interrupt to make one.  Never returns.
schedule:
	la	sp, boot_stack_top	# no kernel stack is needed any more
	la	t0, cur_proc
	sw	zero, 0(t0)
sched_scan:
1:	la	t0, last_slot
	lw	t1, 0(t0)		# t1 = slot index to try
	li	t2, NPROC		# t2 = slots left to try
2:	addi	t1, t1, 1
	li	t3, NPROC
	bne	t1, t3, 3f
	li	t1, 0
3:	li	t3, P_SIZE
	mul	t3, t3, t1
	la	a0, procs
	add	a0, a0, t3
	lw	t3, P_STATE(a0)
	addi	t3, t3, -PS_RUNNABLE
	beqz	t3, run
	addi	t2, t2, -1
	bnez	t2, 2b

	la	t0, nlive		# nothing runnable: all done?
	lw	t0, 0(t0)
	beqz	t0, all_done
	# Idle.  wfi with IE off still wakes on a pending interrupt; then
	# enabling IE takes it at once, through the vector, before the next
	# instruction.  Doing it the other way round could take the
	# interrupt before wfi and then sleep with a runnable process.
	# With no process asleep the timer has nothing to wake: mask it, so
	# that waiting for input typed in real time lets no time pass.  (A
	# timer compare reached meanwhile still latches, and is taken when
	# the line is unmasked again.)
	li	t3, IRQ_CONSOLE | IRQ_DISK
	la	t0, procs
	li	t2, NPROC
4:	lw	t1, P_STATE(t0)
	addi	t1, t1, -PS_SLEEPING
	bnez	t1, 5f
	ori	t3, t3, IRQ_TIMER	# a sleeper needs the timer
5:	addi	t0, t0, P_SIZE
	addi	t2, t2, -1
	bnez	t2, 4b
sched_idle:				# (pv.s patches a jump to pv_idle here)
	mtcr	imask, t3
	wfi
	li	t3, IRQ_TIMER | IRQ_CONSOLE | IRQ_DISK
	mtcr	imask, t3
	rdst	t1			# save the interrupt state
	li	t0, 1
	setie	t0			# the interrupt is taken here
	srli	t1, t1, 1		# restore it (IE is status bit 1)
	setie	t1
	j	1b

run:	sw	t1, 0(t0)		# last_slot
	la	t0, cur_proc
	sw	a0, 0(t0)
	li	t1, PS_RUNNING
	sw	t1, P_STATE(a0)
	lw	t1, P_PGDIR(a0)
	ori	t1, t1, PTB_PG
sched_switch:				# (pv.s: pv_switch)
	mfcr	t2, ptb
	beq	t1, t2, 1f		# the same address space: keep the TLB
	mtcr	ptb, t1			# another: this also invalidates the TLB
1:	lw	a0, P_TF(a0)
	la	t0, cur_tf
	sw	a0, 0(t0)
	j	user_return

all_done:				# every page should be free again
	la	a0, s_alldone
	call	kputs
	la	a0, nfree
	lw	a0, 0(a0)
	call	kput_dec
	la	a0, s_poweroff
	call	kputs
	out	zero, POWER(zero)

	.data
s_pid:		.asciz	"[kernel] pid "
s_open:		.asciz	" ("
s_exited:	.asciz	") exited with status "
s_alldone:	.asciz	"[kernel] no processes left, "
s_poweroff:	.asciz	" free pages, powering off\n"
	.align	4
next_pid:	.word	1
last_slot:	.word	NPROC - 1	# so that slot 0 runs first

	.bss
	.align	4
procs:		.space	NPROC * P_SIZE
cur_proc:	.space	4	# the running process, 0 when idle
cur_tf:		.space	4	# its trap frame, for the trap vector
ticks:		.space	4	# timer interrupts since boot
nlive:		.space	4	# processes not yet exited
