# trap.s - the trap vector, the trap frame, and what each trap leads to.
#
# What the hardware does on a trap (ISA.md, "Traps"): PKM = KM, PIE = IE,
# KM = 1, IE = 0, epc = the pc to resume at (the trapping instruction for
# an exception, the next one for an interrupt), cause, badva, pc = tvec.
# Nothing else: every general register still holds the interrupted code's
# value, including sp.  So the vector must free one register before it can
# do anything, and scratch is where it parks sp.
#
# The kernel runs with interrupts off (IE = 0), so a trap never interrupts
# the kernel except where the kernel asks for it: when it waits (idle, or a
# disk transfer), it opens IE for one instruction.  Such a kernel-mode trap
# is handled on the current stack and returns; a trap from user mode saves
# the process's registers in its trap frame and never returns the way it
# came: it ends by resuming a process (maybe another) through user_return.

	.include "kernel.inc"

	.text
	.globl	trap_vector, user_return, panic, proc_kill, utrap, intr

	.align	4
trap_vector:
	mtcr	scratch, sp		# free sp; it holds the interrupted sp
	rdst	sp			# the mode before the trap: PKM
	andi	sp, sp, ST_PKM
	bnez	sp, ktrap		# trapped in kernel mode
	lui	sp, %hi(cur_tf)		# from user: sp = the running process's
	lw	sp, %lo(cur_tf)(sp)	# trap frame, atop its kernel stack
	sw	ra, TF_RA(sp)
	sw	gp, TF_GP(sp)
	sw	a0, TF_A0(sp)
	sw	a1, TF_A1(sp)
	sw	a2, TF_A2(sp)
	sw	a3, TF_A3(sp)
	sw	t0, TF_T0(sp)
	sw	t1, TF_T1(sp)
	sw	t2, TF_T2(sp)
	sw	t3, TF_T3(sp)
	sw	s0, TF_S0(sp)
	sw	s1, TF_S1(sp)
	sw	s2, TF_S2(sp)
	sw	s3, TF_S3(sp)
	mfcr	t0, scratch
	sw	t0, TF_SP(sp)
	mfcr	t0, epc
	sw	t0, TF_EPC(sp)
	mv	a0, sp			# the kernel stack grows down from the frame
	j	utrap

# A trap in kernel mode: only the interrupts the kernel waits for.  Handle
# it on the kernel's own stack, saving what the handlers may change.
ktrap:
	mfcr	sp, scratch
	addi	sp, sp, -40
	sw	ra, 0(sp)
	sw	a0, 4(sp)
	sw	a1, 8(sp)
	sw	a2, 12(sp)
	sw	a3, 16(sp)
	sw	t0, 20(sp)
	sw	t1, 24(sp)
	sw	t2, 28(sp)
	sw	t3, 32(sp)
	mfcr	t0, epc
	sw	t0, 36(sp)
	mfcr	a0, cause
	li	t0, CAUSE_IRQ_BASE
	bltu	a0, t0, kfault
	call	intr
	lw	t0, 36(sp)
	mtcr	epc, t0
	lw	ra, 0(sp)
	lw	a0, 4(sp)
	lw	a1, 8(sp)
	lw	a2, 12(sp)
	lw	a3, 16(sp)
	lw	t0, 20(sp)
	lw	t1, 24(sp)
	lw	t2, 28(sp)
	lw	t3, 32(sp)
	addi	sp, sp, 40
	rfe

kfault:					# an exception in the kernel is a bug
	la	a0, s_kfault
	call	kputs
	mfcr	a0, cause
	call	cause_name
	call	kputs
	la	a0, s_at
	call	kputs
	mfcr	a0, epc
	call	kput_hex
	la	a0, s_badva
	call	kputs
	mfcr	a0, badva
	call	kput_hex
	li	a0, 10
	call	kputc
	li	t0, 1
	out	t0, POWER(zero)

# panic(a0 = message): the kernel cannot go on.  Powers off with 1.
panic:
	mv	s0, a0
	la	a0, s_panic
	call	kputs
	mv	a0, s0
	call	kputs
	li	a0, 10
	call	kputc
	li	t0, 1
	out	t0, POWER(zero)

# utrap(a0 = trap frame of the current process), on its kernel stack.
utrap:
# LAB1 BEGIN: the dispatch on the cause (task 1).  A syscall goes to
# do_syscall with the frame, an interrupt to uintr with the cause; a
# pf-load or pf-store may be the stack growing (vm_grow_stack, then retry
# with return_cur); anything else kills the process (proc_kill).
	mfcr	t0, cause
	li	t1, CAUSE_SYSCALL
	beq	t0, t1, do_syscall	# (syscall.s)
	li	t1, CAUSE_IRQ_BASE
	bgeu	t0, t1, uintr
	li	t1, CAUSE_PF_LOAD	# absent page: the stack may grow
	beq	t0, t1, 1f
	li	t1, CAUSE_PF_STORE
	bne	t0, t1, 2f
1:	la	a0, cur_proc
	lw	a0, 0(a0)
	lw	a0, P_PGDIR(a0)
	mfcr	a1, badva
	call	vm_grow_stack
	beqz	a0, return_cur		# retry the access
2:	la	a0, cur_proc
	lw	a0, 0(a0)
	mfcr	a1, cause
	j	proc_kill
# LAB1 STUB
#	la	a0, s_lab1_utrap
#	j	panic
#	.data
#s_lab1_utrap:	.asciz	"lab1: the trap dispatch (utrap, trap.s) is not implemented"
#	.text
# LAB1 END

# An interrupt while a process ran: the timer preempts it.
uintr:
	mv	a0, t0
	call	intr
	mfcr	t0, cause
	li	t1, CAUSE_TIMER
	bne	t0, t1, return_cur
	la	t0, cur_proc
	lw	t0, 0(t0)
	li	t1, PS_RUNNABLE
	sw	t1, P_STATE(t0)
	j	schedule

# intr(a0 = cause): handle one interrupt.  Returns.
intr:
	addi	sp, sp, -4
	sw	ra, 0(sp)
	li	t0, CAUSE_TIMER
	bne	a0, t0, 1f
	call	timer_intr		# (proc.s)
	j	3f
1:	li	t0, CAUSE_CONSOLE
	bne	a0, t0, 2f
	call	console_intr
	j	3f
2:	call	disk_intr
3:	lw	ra, 0(sp)
	addi	sp, sp, 4
	ret

# return_cur: resume the current process where its trap frame says.
return_cur:
	la	a0, cur_tf
	lw	a0, 0(a0)
	# fall through

# user_return(a0 = trap frame): load every register from the frame and
# rfe into user mode with interrupts on.  ptb must already hold the
# process's directory, and cur_tf this frame.
user_return:
	lw	t0, TF_EPC(a0)
	mtcr	epc, t0
	li	t0, ST_KM | ST_PIE	# rfe: KM = PKM = 0, IE = PIE = 1
	mtcr	status, t0
	mv	sp, a0
	lw	ra, TF_RA(sp)
	lw	gp, TF_GP(sp)
	lw	a0, TF_A0(sp)
	lw	a1, TF_A1(sp)
	lw	a2, TF_A2(sp)
	lw	a3, TF_A3(sp)
	lw	t0, TF_T0(sp)
	lw	t1, TF_T1(sp)
	lw	t2, TF_T2(sp)
	lw	t3, TF_T3(sp)
	lw	s0, TF_S0(sp)
	lw	s1, TF_S1(sp)
	lw	s2, TF_S2(sp)
	lw	s3, TF_S3(sp)
	lw	sp, TF_SP(sp)
	rfe

# proc_kill(a0 = process, a1 = cause): the process broke a rule; say so in
# one line and end it.  For a memory fault the address is badva; for an
# instruction it may not run, its pc.
proc_kill:
# LAB1 BEGIN: the kill message (task 7): "[kernel] pid N (name) killed:
# CAUSE at ADDR", then on to proc_exit with s0 = the process.
	mv	s0, a0
	mv	s1, a1
	la	a0, s_pid
	call	kputs
	lw	a0, P_PID(s0)
	call	kput_dec
	la	a0, s_open
	call	kputs
	addi	a0, s0, P_NAME
	call	kputs
	la	a0, s_killed
	call	kputs
	mv	a0, s1
	call	cause_name
	call	kputs
	la	a0, s_at
	call	kputs
	mfcr	a0, badva
	li	t0, CAUSE_MISALIGNED	# ILLEGAL, PRIVILEGED, SYSCALL..HCALL:
	bgeu	s1, t0, 1f		# badva is no address, the pc is
	mfcr	a0, epc
1:	call	kput_hex
	li	a0, 10
	call	kputc
# LAB1 STUB
#	mv	s0, a0
#	la	a0, s_lab1_kill
#	call	kputs
#	.data
#s_lab1_kill:	.asciz	"[kernel] lab1: the kill message (proc_kill, trap.s) is not implemented\n"
#	.text
# LAB1 END
	mv	a0, s0
	li	a1, -1
	j	proc_exit		# (proc.s)

# cause_name(a0 = cause) -> a0 = its name, as isa_cause_name() spells it
cause_name:
	li	t0, NCAUSE
	bltu	a0, t0, 1f
	li	a0, 0
1:	slli	a0, a0, 2
	la	t0, cause_names
	add	t0, t0, a0
	lw	a0, 0(t0)
	ret

	.data
s_panic:	.asciz	"[kernel] panic: "
s_kfault:	.asciz	"[kernel] panic: kernel trap "
s_at:		.asciz	" at "
s_badva:	.asciz	", badva "
s_pid:		.asciz	"[kernel] pid "
s_open:		.asciz	" ("
s_killed:	.asciz	") killed: "
n_none:		.asciz	"none"
n_illegal:	.asciz	"illegal"
n_priv:		.asciz	"privileged"
n_syscall:	.asciz	"syscall"
n_break:	.asciz	"break"
n_hcall:	.asciz	"hcall"
n_misal:	.asciz	"misaligned"
n_bus:		.asciz	"bus"
n_pff:		.asciz	"pf-fetch"
n_pffp:		.asciz	"pf-fetch-prot"
n_pfl:		.asciz	"pf-load"
n_pflp:		.asciz	"pf-load-prot"
n_pfs:		.asciz	"pf-store"
n_pfsp:		.asciz	"pf-store-prot"
n_timer:	.asciz	"timer"
n_console:	.asciz	"console"
n_disk:		.asciz	"disk"
	.align	4
cause_names:
	.word	n_none, n_illegal, n_priv, n_syscall, n_break, n_hcall
	.word	n_misal, n_bus, n_pff, n_pffp, n_pfl, n_pflp, n_pfs, n_pfsp
	.word	n_none, n_none, n_timer, n_console, n_disk
