/*
 * test_hw_virt.c - PG32-V, the virtualization extension (isa/ISA.md 16):
 * vmrun and the guest-state area, guest mode on the guest's control
 * registers, intercepts, the two-dimensional walk and its nested page
 * fault, VM-tagged TLB entries, and vmrun being ILLEGAL where the extension
 * is absent.  Hosts are both PG32 programs (vmrun) and C (hw_vmrun).
 *
 * Machine-physical layout of these tests (1 MiB):
 *   0x1000  host code (hwt_asm)          0x8000  the GSA
 *   0x9000  nested root                  0xa000  nested table (gpa 0..4 MiB)
 *   0x10000 guest-physical 0 (GBASE): the guest's RAM, 16 pages
 */
#include "test_hw_util.h"

#define GSA	0x8000u
#define NROOT	0x9000u
#define NTAB	0xa000u
#define GBASE	0x10000u
#define RWXV	(ISA_PTE_V | ISA_PTE_R | ISA_PTE_W | ISA_PTE_X)

static void gsa_put(struct hwt *t, unsigned off, uint32_t v)
{
	PUT(t, GSA + off, v);
}

static uint32_t gsa_get(struct hwt *t, unsigned off)
{
	return hwt_word(t, GSA + off);
}

/* Nested table mapping guest pages 0..n-1 to GBASE + ...; guest kernel
 * mode at pc 0, the given intercepts, vmid. */
static void guest_setup(struct hwt *t, unsigned npages, uint32_t icpt, uint32_t vmid)
{
	PUT(t, NROOT, NTAB | ISA_PTE_V);
	for (unsigned i = 0; i < npages; i++)
		PUT(t, NTAB + 4 * i, (GBASE + i * ISA_PAGE_SIZE) | RWXV);
	for (unsigned cr = 0; cr < ISA_NCR; cr++)
		gsa_put(t, ISA_GSA_CR + 4 * cr, cr == ISA_CR_STATUS ? ISA_ST_KM : 0);
	gsa_put(t, ISA_GSA_PC, 0);
	gsa_put(t, ISA_GSA_ICPT, icpt);
	gsa_put(t, ISA_GSA_ICAUSE, 0);
	gsa_put(t, ISA_GSA_ICRW, 0);
	gsa_put(t, ISA_GSA_NPTB, NROOT | ISA_NPTB_NP);
	gsa_put(t, ISA_GSA_VMID, vmid);
	gsa_put(t, ISA_GSA_FLAGS, 0);
	hw_set_budget(t->m, 100000);	/* a broken machine fails, not hangs */
}

/* A PG32 host: vmrun, then record the exit and power off. */
static const char host_src[] =
	"_start:	li	a0, 0x8000\n"
	"	vmrun	a0\n"
	"back:	mfcr	s3, status\n"		/* the host's own again */
	"	li	a1, 0\n"
	"	out	a1, 0x20(zero)\n";

Test(hw_virt, pg32_host_runs_a_guest_on_its_own_registers_until_an_intercept)
{
	struct hwt t;

	hwt_init_isa(&t, 1, -1, NULL, ISA_PG32V);
	hwt_asm(&t, host_src);
	guest_setup(&t, 4, ISA_ICPT_BIT(0x67), 1);	/* out exits */
	gsa_put(&t, ISA_GSA_CR + 4 * ISA_CR_ICOUNT, 1000);
	PUT(&t, GBASE,
	    RI(addi, T0, ZERO, 42),
	    MFCR(T1, ISA_CR_STATUS),		/* the guest's: kernel mode */
	    MFCR(T2, ISA_CR_ICOUNT),		/* the guest's clock */
	    MTCR(ISA_CR_SCRATCH, T0),		/* not intercepted */
	    OUT(T0, ISA_PORT_POWER, ZERO));	/* intercepted */
	cr_assert_eq(hwt_run_off(&t), 0, "the host powered off, not the guest");
	cr_expect_eq(REG(&t, T0), 42);
	cr_expect_eq(REG(&t, T1), ISA_ST_KM, "guest status 0x%x", REG(&t, T1));
	cr_expect_eq(REG(&t, T2), 1002, "guest icount %u", REG(&t, T2));
	cr_expect_eq(REG(&t, S3), ISA_ST_RESET, "host status after the exit 0x%x", REG(&t, S3));
	cr_expect_eq(gsa_get(&t, ISA_GSA_XCAUSE), ISA_CAUSE_PRIVILEGED);
	cr_expect_eq(gsa_get(&t, ISA_GSA_XINSN), OUT(T0, ISA_PORT_POWER, ZERO));
	cr_expect_eq(gsa_get(&t, ISA_GSA_PC), 0x10, "the intercepted instruction's pc");
	cr_expect_eq(gsa_get(&t, ISA_GSA_CR + 4 * ISA_CR_SCRATCH), 42);
	cr_expect_eq(gsa_get(&t, ISA_GSA_CR + 4 * ISA_CR_ICOUNT), 1004, "guest time at exit");
	cr_expect_eq(CR(&t, SCRATCH), 0, "the host's scratch is its own");
	hwt_fini(&t);
}

Test(hw_virt, guest_traps_and_interrupts_enter_the_guest_without_an_exit)
{
	struct hwt t;
	struct hw_stats st;

	hwt_init_isa(&t, 1, -1, NULL, ISA_PG32V);
	hwt_asm(&t, host_src);
	guest_setup(&t, 4, ISA_ICPT_BIT(0x67), 1);
	gsa_put(&t, ISA_GSA_CR + 4 * ISA_CR_TVEC, 0x100);
	/* A pending, unmasked guest line the host posted in the GSA. */
	gsa_put(&t, ISA_GSA_CR + 4 * ISA_CR_IPEND, ISA_IRQ_DISK);
	gsa_put(&t, ISA_GSA_CR + 4 * ISA_CR_IMASK, ISA_IRQ_DISK);
	PUT(&t, GBASE, enc(ISA_OP_syscall, 0, 0, 0, 0));
	PUT(&t, GBASE + 0x100,
	    MFCR(S0, ISA_CR_CAUSE),
	    RI(addi, S1, S1, 1),
	    RI(addi, T0, ZERO, 2),
	    BR(beq, S1, T0, 12),		/* the second time: to the out */
	    RI(addi, T0, ZERO, 3),		/* IE = 1 (and KM): the disk line */
	    MTCR(ISA_CR_STATUS, T0),
	    OUT(T0, ISA_PORT_POWER, ZERO));
	hwt_run_off(&t);
	hw_get_stats(t.m, &st);
	cr_expect_eq(REG(&t, S1), 2, "the handler ran twice (syscall, then the disk line)");
	cr_expect_eq(REG(&t, S0), ISA_CAUSE_DISK);
	cr_expect_eq(st.vm_exits[ISA_CAUSE_PRIVILEGED], 1, "one exit: the out");
	cr_expect_eq(gsa_get(&t, ISA_GSA_XCAUSE), ISA_CAUSE_PRIVILEGED);
	cr_expect_eq(gsa_get(&t, ISA_GSA_PC), 0x118);
	cr_expect_eq(st.vm_entries, 1);
	cr_expect_eq(st.traps[ISA_CAUSE_SYSCALL], 1);
	hwt_fini(&t);
}

/* Guest page table: directory at gpa 0x1000, table at 0x2000, mapping
 * va 0x400000 -> gpa 0x3000 (R W, kernel). */
static void guest_pt(struct hwt *t)
{
	PUT(t, GBASE + 0x1000 + 4 * 1, 0x2000 | ISA_PTE_V);
	PUT(t, GBASE + 0x2000, 0x3000 | ISA_PTE_V | ISA_PTE_R | ISA_PTE_W);
	PUT(t, GBASE + 0x3000, 0xcafe);
	gsa_put(t, ISA_GSA_CR + 4 * ISA_CR_PTB, 0x1000 | ISA_PTB_PG);
	/* The guest's code page must be mapped too: va 0 -> gpa 0, X. */
	PUT(t, GBASE + 0x1000, 0x4000 | ISA_PTE_V);
	PUT(t, GBASE + 0x4000, 0x0 | ISA_PTE_V | ISA_PTE_X);
}

Test(hw_virt, a_c_host_sees_the_nested_fault_and_the_two_dimensional_walk)
{
	struct hwt t;
	struct hw_stats a, b;

	hwt_init_isa(&t, 1, -1, NULL, ISA_PG32V);
	guest_setup(&t, 5, ISA_ICPT_BIT(0x67), 7);
	PUT(&t, NTAB + 4 * 3, 0);			/* gpa 0x3000 not mapped */
	guest_pt(&t);
	PUT(&t, GBASE, LUI(T0, 0x40), LD(lw, S0, 0, T0), OUT(S0, ISA_PORT_POWER, ZERO));
	hw_set_trap_to_host(t.m, (1u << ISA_NCAUSE) - 1);
	cr_assert_eq(hw_vmrun(t.m, GSA), 0);
	cr_assert(hw_guest_mode(t.m));
	cr_assert_eq(hwt_run(&t), HW_EXIT_TRAP);
	cr_assert(!hw_guest_mode(t.m), "hw_run returns in host mode");
	cr_expect_eq(t.ex.u.trap.cause, ISA_CAUSE_NPF);
	cr_expect_eq(t.ex.u.trap.badva, 0x400000, "badva: the guest's virtual address");
	cr_expect_eq(t.ex.u.trap.gpa, 0x3000, "the guest-physical address that failed");
	cr_expect_eq(t.ex.pc, 4, "the load's pc");
	cr_expect_eq(gsa_get(&t, ISA_GSA_XGPA), 0x3000);
	cr_expect_eq(hwt_word(&t, GBASE + 0x2000) & ISA_PTE_A, 0, "a faulting walk sets no A");
	/* Map it and run again: the load walks 2-D and retires. */
	PUT(&t, NTAB + 4 * 3, (GBASE + 0x3000) | RWXV);
	hw_get_stats(t.m, &a);
	cr_assert_eq(hw_vmrun(t.m, GSA), 0);
	cr_assert_eq(hwt_run(&t), HW_EXIT_TRAP);
	hw_get_stats(t.m, &b);
	cr_expect_eq(t.ex.u.trap.cause, ISA_CAUSE_PRIVILEGED);
	cr_expect_eq(REG(&t, S0), 0xcafe);
	/* The code page's translation stayed in the TLB across the exit. */
	cr_expect_eq(b.walks_2d - a.walks_2d, 1, "the load's walk alone: %llu",
		     (unsigned long long)(b.walks_2d - a.walks_2d));
	cr_expect_eq(b.walk_refs_2d - a.walk_refs_2d, 8, "8 references per 2-D walk: %llu",
		     (unsigned long long)(b.walk_refs_2d - a.walk_refs_2d));
	cr_expect(hwt_word(&t, GBASE + 0x2000) & ISA_PTE_A, "the guest's A bit, in its table");
	cr_expect_eq(b.vm_exits[ISA_CAUSE_NPF], 1);
	hwt_fini(&t);
}

Test(hw_virt, tlb_entries_are_tagged_so_guests_keep_theirs_across_switches)
{
	struct hwt t;
	struct hw_stats a, b;
	uint32_t gsa2 = GSA + 0x100;

	hwt_init_isa(&t, 1, -1, NULL, ISA_PG32V);
	hw_set_trap_to_host(t.m, (1u << ISA_NCAUSE) - 1);
	guest_setup(&t, 5, ISA_ICPT_BIT(0x67), 1);
	guest_pt(&t);
	/* The second guest: the same GSA but vmid 2 and its own nested
	 * table, where gpa 0x3000 is another machine page. */
	for (unsigned off = 0; off < ISA_GSA_SIZE; off += 4)
		PUT(&t, gsa2 + off, gsa_get(&t, off));
	PUT(&t, gsa2 + ISA_GSA_VMID, 2);
	PUT(&t, gsa2 + ISA_GSA_NPTB, 0xb000 | ISA_NPTB_NP);
	PUT(&t, 0xb000, 0xc000 | ISA_PTE_V);
	for (unsigned i = 0; i < 5; i++)
		PUT(&t, 0xc000 + 4 * i, (GBASE + (i == 3 ? 0x8000 : i * ISA_PAGE_SIZE)) | RWXV);
	PUT(&t, GBASE + 0x8000, 0xbeef);
	PUT(&t, GBASE, LUI(T0, 0x40), LD(lw, S0, 0, T0), OUT(S0, ISA_PORT_POWER, ZERO));
	for (int round = 0; round < 2; round++) {
		hw_get_stats(t.m, &a);
		gsa_put(&t, ISA_GSA_PC, 0);
		PUT(&t, gsa2 + ISA_GSA_PC, 0);
		cr_assert_eq(hw_vmrun(t.m, GSA), 0);
		cr_assert_eq(hwt_run(&t), HW_EXIT_TRAP);
		cr_expect_eq(REG(&t, S0), 0xcafe, "guest 1 reads its own page");
		cr_assert_eq(hw_vmrun(t.m, gsa2), 0);
		cr_assert_eq(hwt_run(&t), HW_EXIT_TRAP);
		cr_expect_eq(REG(&t, S0), 0xbeef, "guest 2 reads its own page");
		hw_get_stats(t.m, &b);
		if (round == 1)
			cr_expect_eq(b.page_walks, a.page_walks, "no walk: both kept their "
				     "translations (%llu walks)",
				     (unsigned long long)(b.page_walks - a.page_walks));
	}
	cr_expect_eq(b.tlb_flushes, 0);
	hwt_fini(&t);
}

Test(hw_virt, vmrun_is_illegal_without_the_extension_and_in_guest_mode)
{
	static const char src[] = "_start: la t0, h\n mtcr tvec, t0\n li a0, 0x8000\n"
				  "v: vmrun a0\n h: mfcr s0, cause\n mfcr s1, epc\n"
				  " li a1, 0\n out a1, 0x20(zero)\n";

	for (int v = 0; v < ISA_PG32V; v++) {
		struct hwt t;

		hwt_init_isa(&t, 1, -1, NULL, (enum isa_variant)v);
		hwt_asm(&t, src);
		hwt_run_off(&t);
		cr_expect_eq(REG(&t, S0), ISA_CAUSE_ILLEGAL, "%s", isa_variant_name(v));
		cr_expect_eq(REG(&t, S1), hwt_sym(&t, "v"));
		hwt_fini(&t);
	}
	struct hwt t;

	hwt_init_isa(&t, 1, -1, NULL, ISA_PG32V);
	hwt_asm(&t, host_src);
	guest_setup(&t, 4, ISA_ICPT_BIT(0x67), 1);
	gsa_put(&t, ISA_GSA_CR + 4 * ISA_CR_TVEC, 0x100);
	PUT(&t, GBASE, enc(ISA_OP_vmrun, 0, A0, 0, 0));
	PUT(&t, GBASE + 0x100, MFCR(S0, ISA_CR_CAUSE), OUT(S0, ISA_PORT_POWER, ZERO));
	hwt_run_off(&t);
	cr_expect_eq(REG(&t, S0), ISA_CAUSE_ILLEGAL, "vmrun in guest mode: the guest's ILLEGAL");
	hwt_fini(&t);
}

Test(hw_virt, intercepted_registers_and_causes_exit_others_do_not)
{
	struct hwt t;

	hwt_init_isa(&t, 1, -1, NULL, ISA_PG32V);
	hwt_asm(&t, host_src);
	guest_setup(&t, 4, 0, 1);
	gsa_put(&t, ISA_GSA_ICRW, 1u << ISA_CR_TIMECMP);
	gsa_put(&t, ISA_GSA_ICAUSE, 1u << ISA_CAUSE_BREAK);
	PUT(&t, GBASE, MTCR(ISA_CR_IMASK, ZERO), MTCR(ISA_CR_TIMECMP, ZERO));
	hwt_run_off(&t);
	cr_expect_eq(gsa_get(&t, ISA_GSA_XCAUSE), ISA_CAUSE_PRIVILEGED);
	cr_expect_eq(gsa_get(&t, ISA_GSA_PC), 4, "mtcr timecmp exits, mtcr imask does not");
	hwt_fini(&t);

	hwt_init_isa(&t, 1, -1, NULL, ISA_PG32V);
	hwt_asm(&t, host_src);
	guest_setup(&t, 4, 0, 1);
	gsa_put(&t, ISA_GSA_ICAUSE, 1u << ISA_CAUSE_BREAK);
	PUT(&t, GBASE, N(break));
	hwt_run_off(&t);
	cr_expect_eq(gsa_get(&t, ISA_GSA_XCAUSE), ISA_CAUSE_BREAK);
	cr_expect_eq(gsa_get(&t, ISA_GSA_CR + 4 * ISA_CR_CAUSE), 0, "no guest trap entry");
	hwt_fini(&t);
}
