/*
 * test_vmm_pv.c - the paravirtual interface (vm/vmm/HYPERCALLS.md): hcall
 * is a hypercall only in virtual kernel mode of a VM run with --pv, its
 * errors, the virtual interrupt flag of the shared page, the page-table
 * batch, and the block ring.
 */
#include "test_vmm_util.h"

/* A VM with or without the paravirtual interface. */
static struct vm *pv_vm(const char *elf, bool pv, const char *disk)
{
	struct vmm_config cfg = { .mem_mib = 16, .cons_in_fd = -1, .disk_path = disk,
				  .shadow = VMM_SHADOW_FLUSH, .pv = pv };
	struct vm *vm;
	char err[256];

	cr_assert_eq(vmm_new(&cfg, &vm, err, sizeof err), 0, "vmm_new: %s", err);
	cr_assert_eq(vmm_load_elf(vm, elf, err, sizeof err), 0, "load: %s", err);
	return vm;
}

static void done(struct vm *vm, char *elf)
{
	vmm_free(vm);
	unlink(elf);
	free(elf);
}

static void run_to_poweroff(struct vm *vm)
{
	struct vmm_exit ex;

	vmm_set_budget(vm, 1000000);
	cr_assert_eq(vmm_run(vm, &ex), VMM_EXIT_POWEROFF, "exit %d at 0x%x: %s", ex.reason,
		     ex.pc, ex.message ? ex.message : "");
	vt_check(vm, "at power-off");
}

/* The probe: s0 = what hcall left in a0, s1 = 1 if the guest's own
 * handler ran (no hypervisor). */
static const char probe_src[] =
	"	la	t0, handler\n"
	"	mtcr	tvec, t0\n"
	"	li	a0, 0\n"		/* HC_PROBE */
	"	hcall\n"
	"	mv	s0, a0\n"
	"	out	zero, 0x20(zero)\n"
	"handler:\n"
	"	li	s1, 1\n"
	"	li	a0, 0\n"
	"	mfcr	t0, epc\n"
	"	addi	t0, t0, 4\n"
	"	mtcr	epc, t0\n"
	"	rfe\n";

Test(vmm_pv, probe_answers_only_with_pv)
{
	char *elf = vt_elf(NULL, probe_src);
	struct vm *vm = pv_vm(elf, true, NULL);

	run_to_poweroff(vm);
	cr_expect_eq(vmm_get_reg(vm, ISA_R_S0), HC_MAGIC, "a0 = 0x%x", vmm_get_reg(vm, ISA_R_S0));
	cr_expect_eq(vmm_get_reg(vm, ISA_R_S0 + 1), 0, "the guest's handler ran");
	cr_expect_eq(vmm_get_reg(vm, ISA_R_A0 + 1), HC_VERSION);
	vmm_free(vm);

	vm = pv_vm(elf, false, NULL);	/* without --pv: reflected, as bare */
	run_to_poweroff(vm);
	cr_expect_eq(vmm_get_reg(vm, ISA_R_S0), 0);
	cr_expect_eq(vmm_get_reg(vm, ISA_R_S0 + 1), 1, "the guest's handler did not run");
	done(vm, elf);
}

Test(vmm_pv, hcall_from_user_mode_is_the_guests_trap)
{
	char *elf = vt_elf(NULL,
		"	la	t0, handler\n"
		"	mtcr	tvec, t0\n"
		"	la	t0, user\n"
		"	mtcr	epc, t0\n"
		"	li	t0, 0x9\n"		/* KM, PKM = 0, PIE = 1 */
		"	mtcr	status, t0\n"
		"	rfe\n"
		"user:	li	a0, 0\n"
		"	hcall\n"
		"handler:\n"
		"	mfcr	s0, cause\n"
		"	mv	s1, a0\n"
		"	out	zero, 0x20(zero)\n");
	struct vm *vm = pv_vm(elf, true, NULL);

	run_to_poweroff(vm);
	cr_expect_eq(vmm_get_reg(vm, ISA_R_S0), ISA_CAUSE_HCALL);
	cr_expect_eq(vmm_get_reg(vm, ISA_R_S0 + 1), 0, "a user hcall was served");
	done(vm, elf);
}

Test(vmm_pv, errors_and_console_write)
{
	char *elf = vt_elf(NULL,
		"	li	a0, 99\n"		/* no such hypercall */
		"	hcall\n"
		"	mv	s0, a0\n"
		"	li	a0, 1\n"		/* console write past RAM */
		"	li	a1, 0x7ffffff0\n"
		"	li	a2, 4\n"
		"	hcall\n"
		"	mv	s1, a0\n"
		"	li	a0, 5\n"		/* block on no line */
		"	li	a1, 0\n"
		"	hcall\n"
		"	mv	s2, a0\n"
		"	li	a0, 6\n"		/* a shared page not page-aligned */
		"	li	a1, 0x2004\n"
		"	hcall\n"
		"	mv	s3, a0\n"
		"	li	a0, 1\n"		/* console write: 'hi' */
		"	la	a1, msg\n"
		"	li	a2, 2\n"
		"	hcall\n"
		"	mv	t3, a0\n"
		"	out	zero, 0x20(zero)\n"
		"msg:	.ascii	\"hi\"\n");
	struct vm *vm = pv_vm(elf, true, NULL);
	int last;

	run_to_poweroff(vm);
	cr_expect_eq((int32_t)vmm_get_reg(vm, ISA_R_S0), -HC_ENOSYS);
	cr_expect_eq((int32_t)vmm_get_reg(vm, ISA_R_S0 + 1), -HC_EFAULT);
	cr_expect_eq((int32_t)vmm_get_reg(vm, ISA_R_S0 + 2), -HC_EINVAL);
	cr_expect_eq((int32_t)vmm_get_reg(vm, ISA_R_S0 + 3), -HC_EINVAL);
	cr_expect_eq(vmm_get_reg(vm, ISA_R_T0 + 3), 2);
	cr_expect_eq(vmm_cons_out(vm, &last), 2, "only the good write reached the console");
	cr_expect_eq(last, 'i');
	done(vm, elf);
}

/* A kernel that registers the shared page, lets the timer line in imask
 * and sets the timer 5 ticks ahead, with IE off; 'handler' takes traps. */
#define TIMER_PROLOGUE \
	"	la	t0, handler\n" \
	"	mtcr	tvec, t0\n" \
	"	li	a0, 6\n"		/* HC_SHARED */ \
	"	la	a1, shared\n" \
	"	hcall\n" \
	"	li	t0, 1\n" \
	"	mtcr	imask, t0\n"		/* the timer line */ \
	"	li	a0, 4\n"		/* HC_SET_TIMER: 5 ticks from now */ \
	"	li	a1, 5\n" \
	"	hcall\n"
/* The end of the handler: quiet the timer and return; the shared page. */
#define TIMER_EPILOGUE \
	"	li	a0, 4\n"		/* quiet the timer */ \
	"	li	a1, 100000\n" \
	"	hcall\n" \
	"	rfe\n" \
	"	.data\n" \
	"	.align	4096\n" \
	"shared:	.space	4096\n"

/* The virtual interrupt flag: the timer is pending while the guest kernel
 * runs with IE off.  With vif = 0 it is held back (and posted in
 * 'pending'); after the guest stores vif = 1, the next hypercall lets it in,
 * and the delivery clears vif.  s0 = the count of interrupts taken before
 * vif was set, s1 = pending as the guest read it, s2 = vif in the handler. */
Test(vmm_pv, virtual_interrupt_flag)
{
	char *elf = vt_elf(NULL, TIMER_PROLOGUE
		"	li	t1, 50\n"		/* 50 ticks with vif = 0 */
		"1:	addi	t1, t1, -1\n"
		"	bnez	t1, 1b\n"
		"	mv	s0, s3\n"		/* interrupts so far */
		"	la	t2, shared\n"
		"	lw	s1, 4(t2)\n"		/* pending */
		"	li	t0, 1\n"
		"	sw	t0, 0(t2)\n"		/* vif = 1: no exit */
		"	li	a0, 0\n"		/* any hypercall: delivered after it */
		"	hcall\n"
		"	nop\n"
		"	out	zero, 0x20(zero)\n"
		"handler:\n"
		"	addi	s3, s3, 1\n"
		"	la	t2, shared\n"
		"	lw	s2, 0(t2)\n"		/* vif, as the delivery left it */
		TIMER_EPILOGUE);
	struct vm *vm = pv_vm(elf, true, NULL);

	run_to_poweroff(vm);
	cr_expect_eq(vmm_get_reg(vm, ISA_R_S0), 0, "delivered while vif was 0");
	cr_expect_eq(vmm_get_reg(vm, ISA_R_S0 + 1), ISA_IRQ_TIMER, "pending not posted");
	cr_expect_eq(vmm_get_reg(vm, ISA_R_S0 + 3), 1, "not delivered once vif was 1");
	cr_expect_eq(vmm_get_reg(vm, ISA_R_S0 + 2), 0, "the delivery did not clear vif");
	done(vm, elf);
}

/* The virtual interrupt flag is read at every exit's boundary, a fast one
 * too (vm/vmm/vm.c fast_trap), not only a hypercall's: with the timer
 * pending and IE off in kernel mode, the guest stores vif = 1 and runs an
 * mfcr; the interrupt is delivered right after it (epc = the instruction
 * after the mfcr), with the fast path on and off. */
Test(vmm_pv, the_virtual_flag_lets_an_interrupt_in_after_a_privileged_exit)
{
	char *elf = vt_elf(NULL, TIMER_PROLOGUE
		"	li	t1, 20\n"
		"1:	addi	t1, t1, -1\n"
		"	bnez	t1, 1b\n"
		"	la	t2, shared\n"
		"	li	t0, 1\n"
		"	sw	t0, 0(t2)\n"		/* vif = 1 */
		"	mfcr	t0, status\n"		/* delivered after this */
		"after:	nop\n"
		"	nop\n"
		"	out	zero, 0x20(zero)\n"
		"handler:\n"
		"	addi	s3, s3, 1\n"
		"	mfcr	s0, epc\n"
		"	la	s1, after\n"
		TIMER_EPILOGUE);

	for (int fast = 0; fast < 2; fast++) {
		struct vm *vm = pv_vm(elf, true, NULL);
		struct vmm_exit ex;

		vmm_set_fast_exits(vm, fast);
		vmm_set_budget(vm, 100000);
		cr_assert_eq(vmm_run(vm, &ex), VMM_EXIT_POWEROFF, "exit %d", ex.reason);
		cr_expect_eq(vmm_get_reg(vm, ISA_R_S0 + 3), 1, "fast %d: delivered %u times", fast,
			     vmm_get_reg(vm, ISA_R_S0 + 3));
		cr_expect_eq(vmm_get_reg(vm, ISA_R_S0), vmm_get_reg(vm, ISA_R_S0 + 1),
			     "fast %d: delivered at 0x%x, not after the mfcr (0x%x)", fast,
			     vmm_get_reg(vm, ISA_R_S0), vmm_get_reg(vm, ISA_R_S0 + 1));
		vmm_free(vm);
	}
	unlink(elf);
	free(elf);
}

/* HC_MMU_UPDATE: with paging on, one batch maps two pages; the second
 * entry's va invalidation makes the new mapping visible at once even after
 * the old one was used.  s0 = entries applied, s1 and s2 = the words read
 * through the new mappings.  Then HC_SET_PTB with the current ptb keeps
 * the shadow (flush policy: a real switch drops it). */
Test(vmm_pv, mmu_update_batch)
{
	char *elf = vt_elf(NULL,
		"	la	t0, pd\n"
		"	la	t1, pt\n"
		"	ori	t1, t1, 1\n"
		"	sw	t1, 4(t0)\n"		/* PDE 1: 0x400000.. -> pt */
		"	la	t1, pt0\n"		/* PDE 0: identity for the low 4 MiB */
		"	ori	t1, t1, 1\n"
		"	sw	t1, 0(t0)\n"
		"	la	t2, pt0\n"
		"	li	t1, 0x0f\n"		/* R W X V */
		"	li	t3, 1024\n"
		"1:	sw	t1, 0(t2)\n"
		"	addi	t2, t2, 4\n"
		"	li	a0, 4096\n"
		"	add	t1, t1, a0\n"
		"	addi	t3, t3, -1\n"
		"	bnez	t3, 1b\n"
		"	la	t2, pt\n"		/* 0x400000 -> data1 */
		"	la	t1, data1\n"
		"	ori	t1, t1, 3\n"
		"	sw	t1, 0(t2)\n"
		"	ori	t0, t0, 1\n"
		"	mtcr	ptb, t0\n"
		"	li	t0, 0x400000\n"
		"	lw	s3, 0(t0)\n"		/* the old mapping, now cached */
		"	la	t2, pt\n"		/* batch: 0x400000 -> data2, 0x401000 -> data1 */
		"	la	t0, batch\n"
		"	sw	t2, 0(t0)\n"
		"	la	t1, data2\n"
		"	ori	t1, t1, 3\n"
		"	sw	t1, 4(t0)\n"
		"	li	t1, 0x400000\n"
		"	sw	t1, 8(t0)\n"
		"	addi	t2, t2, 4\n"
		"	sw	t2, 12(t0)\n"
		"	la	t1, data1\n"
		"	ori	t1, t1, 3\n"
		"	sw	t1, 16(t0)\n"
		"	li	t1, -1\n"		/* a new entry: nothing to forget */
		"	sw	t1, 20(t0)\n"
		"	li	a0, 2\n"		/* HC_MMU_UPDATE */
		"	mv	a1, t0\n"
		"	li	a2, 2\n"
		"	hcall\n"
		"	mv	s0, a0\n"
		"	li	t0, 0x400000\n"
		"	lw	s1, 0(t0)\n"
		"	li	t0, 0x401000\n"
		"	lw	s2, 0(t0)\n"
		"	li	a0, 3\n"		/* HC_SET_PTB, the same: keeps the shadow */
		"	mfcr	a1, ptb\n"
		"	hcall\n"
		"	out	zero, 0x20(zero)\n"
		"	.data\n"
		"batch:	.space	24\n"
		"	.align	4096\n"
		"pd:	.space	4096\n"
		"pt:	.space	4096\n"
		"pt0:	.space	4096\n"
		"data1:	.word	0x11111111\n"
		"	.align	4096\n"
		"data2:	.word	0x22222222\n"
		"	.align	4096\n");
	struct vm *vm = pv_vm(elf, true, NULL);
	struct vmm_walk w;

	run_to_poweroff(vm);
	cr_expect_eq(vmm_get_reg(vm, ISA_R_S0 + 3), 0x11111111);
	cr_expect_eq(vmm_get_reg(vm, ISA_R_S0), 2);
	cr_expect_eq(vmm_get_reg(vm, ISA_R_S0 + 1), 0x22222222, "the stale mapping survived");
	cr_expect_eq(vmm_get_reg(vm, ISA_R_S0 + 2), 0x11111111);
	vmm_translate(vm, 0x401000, ISA_C_LOAD, true, &w);
	cr_expect_eq(w.s_cause, 0, "HC_SET_PTB to the same ptb dropped the shadow");
	done(vm, elf);
}

/* The block ring: two read requests in one batch, one notify; the disk
 * line rises ISA_DISK_LATENCY ticks later, HC_BLOCK returns CAUSE_DISK, the
 * used ring holds both.  A third request past the disk's end reports an
 * I/O error in its status byte. */
Test(vmm_pv, block_ring_batch)
{
	char *disk = vt_disk();
	char *elf = vt_elf(NULL,
		"	li	a0, 8\n"		/* HC_BLK_SETUP */
		"	la	a1, ring\n"
		"	li	a2, 16\n"
		"	hcall\n"
		"	la	t0, ring\n"
		/* chain 0: hdr0 -> buf0 (1 sector) -> st0; chain 3: hdr1 -> buf1 -> st1;
		 * chain 6: hdr2 (sector 99: past the end) -> buf1 -> st2 */
		"	la	t1, hdr0\n	sw t1, 0(t0)\n	li t1, 8\n	sw t1, 4(t0)\n"
		"	li	t1, 0x10001\n	sw t1, 8(t0)\n"
		"	la	t1, buf0\n	sw t1, 12(t0)\n	li t1, 512\n	sw t1, 16(t0)\n"
		"	li	t1, 0x20003\n	sw t1, 20(t0)\n"
		"	la	t1, st0\n	sw t1, 24(t0)\n	li t1, 1\n	sw t1, 28(t0)\n"
		"	li	t1, 2\n	sw t1, 32(t0)\n"
		"	la	t1, hdr1\n	sw t1, 36(t0)\n	li t1, 8\n	sw t1, 40(t0)\n"
		"	li	t1, 0x40001\n	sw t1, 44(t0)\n"
		"	la	t1, buf1\n	sw t1, 48(t0)\n	li t1, 512\n	sw t1, 52(t0)\n"
		"	li	t1, 0x50003\n	sw t1, 56(t0)\n"
		"	la	t1, st1\n	sw t1, 60(t0)\n	li t1, 1\n	sw t1, 64(t0)\n"
		"	li	t1, 2\n	sw t1, 68(t0)\n"
		"	la	t1, hdr2\n	sw t1, 72(t0)\n	li t1, 8\n	sw t1, 76(t0)\n"
		"	li	t1, 0x70001\n	sw t1, 80(t0)\n"
		"	la	t1, buf1\n	sw t1, 84(t0)\n	li t1, 512\n	sw t1, 88(t0)\n"
		"	li	t1, 0x80003\n	sw t1, 92(t0)\n"
		"	la	t1, st2\n	sw t1, 96(t0)\n	li t1, 1\n	sw t1, 100(t0)\n"
		"	li	t1, 2\n	sw t1, 104(t0)\n"
		"	li	t1, 0\n	sh t1, 1028(t0)\n"	/* avail.ring = 0, 3, 6 */
		"	li	t1, 3\n	sh t1, 1030(t0)\n"
		"	li	t1, 6\n	sh t1, 1032(t0)\n"
		"	li	t1, 3\n	sh t1, 1026(t0)\n"	/* avail.idx = 3 */
		"	li	a0, 9\n"		/* HC_BLK_NOTIFY: kick */
		"	li	a1, 1\n"
		"	hcall\n"
		"	mv	s0, a0\n"		/* 3 not yet served */
		"	mfcr	s1, icount\n"
		"	li	a0, 5\n"		/* HC_BLOCK on the disk */
		"	li	a1, 4\n"
		"	hcall\n"
		"	mv	s2, a0\n"
		"	mfcr	t1, icount\n"
		"	sub	s1, t1, s1\n"		/* ticks waited */
		"	li	a0, 9\n"		/* ack */
		"	li	a1, 2\n"
		"	hcall\n"
		"	mfcr	s3, ipend\n"
		"	out	zero, 0x20(zero)\n"
		"	.data\n"
		"hdr0:	.word	0, 0\n"
		"hdr1:	.word	0, 1\n"
		"hdr2:	.word	0, 99\n"
		"st0:	.byte	9\n"
		"st1:	.byte	9\n"
		"st2:	.byte	9\n"
		"	.align	512\n"
		"buf0:	.space	512\n"
		"buf1:	.space	512\n"
		"	.align	4096\n"
		"ring:	.space	4096\n");
	struct vm *vm = pv_vm(elf, true, disk);
	uint8_t b0[8], st[3];
	uint16_t used;
	uint32_t ring = 0;

	run_to_poweroff(vm);
	cr_expect_eq(vmm_get_reg(vm, ISA_R_S0), 3);
	cr_expect_eq(vmm_get_reg(vm, ISA_R_S0 + 2), ISA_CAUSE_DISK);
	cr_expect(vmm_get_reg(vm, ISA_R_S0 + 1) >= ISA_DISK_LATENCY, "waited %u ticks",
		  vmm_get_reg(vm, ISA_R_S0 + 1));
	cr_expect_eq(vmm_get_reg(vm, ISA_R_S0 + 3) & ISA_IRQ_DISK, 0, "the ack left the line up");
	ring = vm->pv.blk_ring;
	cr_assert(ring);
	vmm_guest_read(vm, ring + 2048 + 2, &used, 2);
	cr_expect_eq(used, 3, "used.idx");
	{
		uint32_t hdr0, buf0;

		vmm_guest_read(vm, ring + 0, &hdr0, 4);
		vmm_guest_read(vm, ring + 12, &buf0, 4);
		vmm_guest_read(vm, buf0, b0, 8);
		cr_expect_eq(memcmp(b0, "vmlab di", 8), 0, "sector 0 did not arrive");
		vmm_guest_read(vm, hdr0 + 24, st, 3);	/* st0, st1, st2 follow the headers */
		cr_expect_eq(st[0], 0);
		cr_expect_eq(st[1], 0);
		cr_expect_eq(st[2], 1, "a read past the end was not an I/O error");
	}
	done(vm, elf);
	unlink(disk);
	free(disk);
}
