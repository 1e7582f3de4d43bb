# pv.s - the paravirtual path: one kernel binary that runs natively on the
# bare machine or under a trap-and-emulate VMM, and cooperates with a VMM
# that offers hypercalls (vmlab run --pv; vm/vmm/HYPERCALLS.md).
#
# At boot, pv_probe (boot.s) asks with `hcall`.  On the bare machine, or under a VMM
# that does not offer the interface, hcall is an ordinary trap: it reaches
# probe_trap (boot.s), which says "no hypervisor", and the kernel stays native,
# byte for byte and tick for tick.  When a hypervisor answers, pv_probe
# calls pv_patch, which registers the shared page and patches the first instruction of each
# native routine that would exit once per privileged instruction into a
# jump to its paravirtual twin (as Linux's paravirt_ops patches its call
# sites).  Instruction fetch reads memory at fetch time (ISA.md 1.3), and
# paging is still off, so the patched words run at once.
#
#   native (each privileged instruction an exit)   paravirtual
#   kputc, kputs: out per byte                     HC_CONSOLE_WRITE
#   timer_start: mfcr icount, mtcr timecmp         HC_SET_TIMER
#   idle, disk wait: mtcr imask, wfi, mtcr         HC_BLOCK, then the
#     imask, setie (IE on: take it)                handler is called here
#   switch: mfcr ptb, mtcr ptb                     HC_SET_PTB
#   disk_read: out x4, wfi, IE on, the interrupt   the block ring: one
#     (mfcr, in, out, rfe ...)                     notify, block, ack
#   user_return: mtcr epc, mtcr status, rfe        HC_IRET
#   trap from user: mtcr scratch, rdst,            the VMM saves the user's
#     mfcr scratch, mfcr epc                       registers into cur_tf and
#                                                  enters at pv_entry (bounce)

	.include "kernel.inc"

	.equ	RING_N, 8		# the block ring: queue size
	.equ	RING_AVAIL, 1024	# available ring: flags, idx, ring[N]
	.equ	RING_USED, 2048		# used ring: flags, idx, {id, len}[N]
	.equ	DESC_NEXT, 1		# descriptor flags
	.equ	DESC_WRITE, 2

	.text
	.globl	pv_patch

# pv_patch(): the kernel runs paravirtual (boot.s: pv_probe found a
# hypervisor): register the shared page, and patch each native site into a
# jump to its twin.  Paging is off.
pv_patch:
	li	a0, HC_SHARED
	la	a1, pv_page
	hcall
	la	t0, pv_page
	la	t1, pv_entry		# where bounced user traps enter
	sw	t1, SH_ENTRY(t0)
	li	a0, HC_BLK_SETUP	# the block ring
	la	a1, pv_ring
	li	a2, RING_N
	hcall
	la	t0, pv_patches		# patch each site: j target
	la	t3, pv_patches_end
1:	lw	t1, 0(t0)		# site
	lw	t2, 4(t0)		# target
	sub	t2, t2, t1
	srai	t2, t2, 2
	li	a1, 0xfffff		# J format: off20 in words
	and	t2, t2, a1
	li	a1, 0x48000000		# jal zero, off
	or	t2, t2, a1
	sw	t2, 0(t1)
	addi	t0, t0, 8
	bne	t0, t3, 1b
	ret

# --- the paravirtual twins ------------------------------------------------

# pv_kputc(a0 = byte): changes nothing else, like kputc
pv_kputc:
	addi	sp, sp, -16
	sw	a0, 0(sp)
	sw	a1, 4(sp)
	sw	a2, 8(sp)
	mv	a1, sp			# the byte, little-endian, at 0(sp)
	li	a2, 1
	li	a0, HC_CONSOLE_WRITE
	hcall
	lw	a0, 0(sp)
	lw	a1, 4(sp)
	lw	a2, 8(sp)
	addi	sp, sp, 16
	ret

# pv_kputs(a0 = string): uses t0, like kputs
pv_kputs:
	addi	sp, sp, -8
	sw	a1, 0(sp)
	sw	a2, 4(sp)
	mv	a1, a0
	mv	a2, a0
1:	lbu	t0, 0(a2)
	beqz	t0, 2f
	addi	a2, a2, 1
	j	1b
2:	sub	a2, a2, a1		# the length
	li	a0, HC_CONSOLE_WRITE
	hcall
	lw	a1, 0(sp)
	lw	a2, 4(sp)
	addi	sp, sp, 8
	ret

# pv_timer_start(): the next timer interrupt QUANTUM ticks from now
pv_timer_start:
	addi	sp, sp, -8
	sw	a0, 0(sp)
	sw	a1, 4(sp)
	li	a0, HC_SET_TIMER
	li	a1, QUANTUM
	hcall
	lw	a0, 0(sp)
	lw	a1, 4(sp)
	addi	sp, sp, 8
	ret

# pv_idle (from schedule, t3 = the lines that can make a process
# runnable): block until one is pending, handle it, look again.
pv_idle:
	mv	a1, t3
	li	a0, HC_BLOCK
	hcall				# a0 = the cause of the pending line
	call	intr
	j	sched_scan

# pv_disk_wait (from disk_read, waiting for its transfer): block until a
# line is pending, handle it, look at disk_done again.
pv_disk_wait:
	addi	sp, sp, -4
	sw	ra, 0(sp)
	li	a0, HC_BLOCK
	li	a1, IRQ_TIMER | IRQ_CONSOLE | IRQ_DISK
	hcall
	call	intr
	lw	ra, 0(sp)
	addi	sp, sp, 4
	j	disk_poll

# pv_switch (from schedule, a0 = the process to run, t1 = its ptb): switch
# the address space (the VMM keeps the translations if it is the same one),
# then resume it.
pv_switch:
	mv	t3, a0
	li	a0, HC_SET_PTB
	mv	a1, t1
	hcall
	lw	a0, P_TF(t3)
	la	t0, cur_tf
	sw	a0, 0(t0)
	# fall through

# pv_user_return(a0 = trap frame): every register from the frame, user
# mode, IE on.  The frame is also where the VMM saves the registers at the
# next trap from user mode.
pv_user_return:
	la	t0, pv_page
	sw	a0, SH_FRAME(t0)
	mv	a1, a0
	li	a0, HC_IRET
	hcall				# does not return

# pv_entry: a trap from user mode, bounced by the VMM: the registers and
# the pc are in the frame at cur_tf, sp = that frame.  As trap_vector
# leaves it for utrap.
pv_entry:
	mv	a0, sp
	j	utrap

# pv_disk_read(a0 = first sector, a1 = physical address, a2 = sectors) ->
# a0 = 0, or -1 if the device reported an error; as disk_read, by the
# paravirtual block ring (vm/vmm/pvblk.c): one request of three
# descriptors (header, data, status), one notify, then wait for the used
# ring to advance, which the disk line announces.
pv_disk_read:
	addi	sp, sp, -4
	sw	ra, 0(sp)
	la	t0, pv_blk_hdr		# header: read, sector
	sw	zero, 0(t0)
	sw	a0, 4(t0)
	la	t1, pv_ring
	sw	t0, 0(t1)		# desc 0: the header, 8 bytes, next 1
	li	t2, 8
	sw	t2, 4(t1)
	li	t2, (1 << 16) | DESC_NEXT
	sw	t2, 8(t1)
	sw	a1, 12(t1)		# desc 1: the data, the device writes it
	slli	t2, a2, 9
	sw	t2, 16(t1)
	li	t2, (2 << 16) | DESC_NEXT | DESC_WRITE
	sw	t2, 20(t1)
	la	t0, pv_blk_status	# desc 2: the status byte
	sw	t0, 24(t1)
	li	t2, 1
	sw	t2, 28(t1)
	li	t2, DESC_WRITE
	sw	t2, 32(t1)
	lhu	t2, RING_AVAIL+2(t1)	# avail.ring[idx % N] = head 0; idx++
	andi	t3, t2, RING_N - 1
	slli	t3, t3, 1
	add	t3, t3, t1
	sh	zero, RING_AVAIL+4(t3)
	addi	t2, t2, 1
	sh	t2, RING_AVAIL+2(t1)
	li	a0, HC_BLK_NOTIFY
	li	a1, BLK_KICK
	hcall
1:	la	t1, pv_ring		# the used ring advanced?
	lhu	t2, RING_USED+2(t1)
	la	t0, pv_blk_used
	lw	t3, 0(t0)
	bne	t2, t3, 3f
	li	a0, HC_BLOCK
	li	a1, IRQ_TIMER | IRQ_CONSOLE | IRQ_DISK
	hcall
	li	t0, CAUSE_DISK
	beq	a0, t0, 2f
	call	intr			# another device's interrupt
	j	1b
2:	li	a0, HC_BLK_NOTIFY	# the ring's: acknowledge it
	li	a1, BLK_ACK
	hcall
	j	1b
3:	sw	t2, 0(t0)
	la	t0, pv_blk_status
	lbu	t0, 0(t0)
	li	a0, 0
	beqz	t0, 4f
	li	a0, -1
4:	lw	ra, 0(sp)
	addi	sp, sp, 4
	ret

	.data
	.align	4
pv_blk_hdr:	.space	8		# the request header
pv_blk_used:	.word	0		# used.idx already seen
pv_blk_status:	.byte	0
	.align	4
pv_patches:				# {site, paravirtual twin}
	.word	kputc, pv_kputc
	.word	kputs, pv_kputs
	.word	timer_start, pv_timer_start
	.word	sched_idle, pv_idle
	.word	disk_wait, pv_disk_wait
	.word	sched_switch, pv_switch
	.word	user_return, pv_user_return
	.word	disk_read, pv_disk_read
pv_patches_end:

	.bss
	.align	4096
pv_page:				# shared with the VMM (HC_SH_* layout)
	.space	4096
pv_ring:				# the block ring (vm/vmm/pvblk.c layout)
	.space	4096
