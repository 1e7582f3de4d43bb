/*
 * test_hw_mmu.c - paging against ISA.md section 9: the walk, every
 * permission rule in each mode, not-present versus protection faults,
 * BUS for walks and addresses outside RAM, A and D bits in memory, and the
 * TLB coherence rule (a cached translation stays until tlbinv, tlbflush or
 * a ptb write, whatever the page tables say meanwhile).
 *
 * Layout (1 MiB of RAM):
 *   root   0x10000   PDE 0 -> table 0x11000
 *   table  0x11000   VA 0x1000-0x2fff -> same PA, R X U (the code)
 *                    VA 0x11000 -> PA 0x11000, R W (the table itself)
 *                    VA 0x5000 -> PA 0x20000 with the flags under test
 */
#include "test_hw_util.h"

#define ROOT	0x10000u
#define TABLE	0x11000u
#define DATA_VA	0x5000u
#define DATA_PA	0x20000u
#define RWXV	(ISA_PTE_R | ISA_PTE_W | ISA_PTE_X | ISA_PTE_V)

static void map(struct hwt *t, uint32_t va, uint32_t pa, uint32_t flags)
{
	uint32_t pte = (pa & 0xfffff000u) | flags;

	cr_assert_eq(ISA_VA_DIR(va), 0);
	cr_assert_eq(hw_phys_write(t->m, TABLE + 4 * ISA_VA_TBL(va), &pte, 4), 0);
}

static uint32_t pte_of(struct hwt *t, uint32_t va)
{
	return hwt_word(t, TABLE + 4 * ISA_VA_TBL(va));
}

/* Assemble: set tvec, turn paging on (in kernel mode), maybe drop to
 * user mode, run body, power off with 0; the handler powers off with the
 * cause.  Page tables are set up from the host before. */
static void load_paged(struct hwt *t, bool user, const char *body)
{
	char src[4096];
	uint32_t pde = TABLE | ISA_PTE_V;

	hwt_init(t);
	snprintf(src, sizeof src,
		 "_start:	la	t0, handler\n"
		 "	mtcr	tvec, t0\n"
		 "	li	t0, 0x%x\n"
		 "	mtcr	ptb, t0\n"
		 "	la	t0, body\n"
		 "	mtcr	epc, t0\n"
		 "	li	t0, %d\n"
		 "	mtcr	status, t0\n"
		 "	rfe\n"
		 "body:\n%s\n"
		 "	li	a0, 0\n"
		 "	syscall\n"		/* back to kernel to power off */
		 "handler:	mfcr	a0, cause\n"
		 "	li	t0, 3\n"
		 "	bne	a0, t0, 1f\n"
		 "	li	a0, 0\n"
		 "1:	out	a0, 0x20(zero)\n",
		 /* status for rfe: KM = 1, PKM = the mode of the body */
		 ROOT | ISA_PTB_PG, user ? 0x1 : 0x5, body);
	hwt_asm(t, src);
	cr_assert_eq(hw_phys_write(t->m, ROOT, &pde, 4), 0);
	for (uint32_t va = 0x1000; va < 0x3000; va += 0x1000)
		map(t, va, va, ISA_PTE_R | ISA_PTE_X | ISA_PTE_U | ISA_PTE_V);
	map(t, TABLE, TABLE, ISA_PTE_R | ISA_PTE_W | ISA_PTE_V);
}

/* Run to power-off and check the code (0: no trap; else the cause). */
#define expect_code(t, want, ...) do {					\
		uint32_t c_ = hwt_run_off(t);				\
		cr_expect_eq(c_, (want), "got %s (badva 0x%x, epc 0x%x): " __VA_ARGS__, \
			     c_ ? isa_cause_name(c_) : "no trap",	\
			     CR(t, BADVA), CR(t, EPC));			\
	} while (0)

struct perm_case {
	bool user;
	const char *access;	/* "load", "store", "fetch" */
	uint32_t flags;
	unsigned want;		/* 0 or the cause */
	const char *rule;
};

static const struct perm_case perms[] = {
	{ false, "load", ISA_PTE_R | ISA_PTE_V, 0, "kernel load needs R" },
	{ false, "load", ISA_PTE_W | ISA_PTE_X | ISA_PTE_V, ISA_CAUSE_PF_LOAD_PROT, "no R: protection" },
	{ false, "load", ISA_PTE_R | ISA_PTE_U | ISA_PTE_V, 0, "kernel may load from U pages" },
	{ false, "load", RWXV & ~ISA_PTE_V, ISA_CAUSE_PF_LOAD, "V = 0: not present" },
	{ false, "store", ISA_PTE_W | ISA_PTE_V, 0, "kernel store needs W" },
	{ false, "store", ISA_PTE_R | ISA_PTE_X | ISA_PTE_U | ISA_PTE_V, ISA_CAUSE_PF_STORE_PROT,
	  "kernel store to a read-only page faults" },
	{ false, "store", ISA_PTE_W | ISA_PTE_U | ISA_PTE_V, 0, "kernel may store to U pages" },
	{ false, "store", ISA_PTE_W, ISA_CAUSE_PF_STORE, "store, not present" },
	{ false, "fetch", ISA_PTE_X | ISA_PTE_V, 0, "kernel fetch needs X" },
	{ false, "fetch", ISA_PTE_R | ISA_PTE_W | ISA_PTE_V, ISA_CAUSE_PF_FETCH_PROT, "no X" },
	{ false, "fetch", ISA_PTE_X, ISA_CAUSE_PF_FETCH, "fetch, not present" },
	{ true, "load", ISA_PTE_R | ISA_PTE_U | ISA_PTE_V, 0, "user load needs R and U" },
	{ true, "load", ISA_PTE_R | ISA_PTE_V, ISA_CAUSE_PF_LOAD_PROT, "user load without U" },
	{ true, "load", ISA_PTE_W | ISA_PTE_U | ISA_PTE_V, ISA_CAUSE_PF_LOAD_PROT, "user, no R" },
	{ true, "load", ISA_PTE_R | ISA_PTE_U, ISA_CAUSE_PF_LOAD, "user, not present" },
	{ true, "store", ISA_PTE_W | ISA_PTE_U | ISA_PTE_V, 0, "user store needs W and U" },
	{ true, "store", ISA_PTE_W | ISA_PTE_V, ISA_CAUSE_PF_STORE_PROT, "user store without U" },
	{ true, "store", ISA_PTE_R | ISA_PTE_U | ISA_PTE_V, ISA_CAUSE_PF_STORE_PROT, "user, no W" },
	{ true, "fetch", ISA_PTE_X | ISA_PTE_U | ISA_PTE_V, 0, "user fetch needs X and U" },
	{ true, "fetch", ISA_PTE_X | ISA_PTE_V, ISA_CAUSE_PF_FETCH_PROT, "user fetch without U" },
	{ true, "fetch", ISA_PTE_R | ISA_PTE_U | ISA_PTE_V, ISA_CAUSE_PF_FETCH_PROT, "user, no X" },
};

Test(hw_mmu, every_permission_rule_in_each_mode)
{
	for (size_t i = 0; i < sizeof perms / sizeof perms[0]; i++) {
		const struct perm_case *c = &perms[i];
		struct hwt t;
		char body[256];
		uint32_t code;

		if (!strcmp(c->access, "load"))
			snprintf(body, sizeof body, "	li s0, 0x%x\n	lw s1, 4(s0)\n", DATA_VA);
		else if (!strcmp(c->access, "store"))
			snprintf(body, sizeof body, "	li s0, 0x%x\n	sw s0, 4(s0)\n", DATA_VA);
		else
			snprintf(body, sizeof body, "	li s0, 0x%x\n	jalr ra, 8(s0)\n", DATA_VA);
		load_paged(&t, c->user, body);
		map(&t, DATA_VA, DATA_PA, c->flags);
		/* At DATA_PA + 8, for fetches: jalr back (to the syscall). */
		PUT(&t, DATA_PA + 8, JALR(ZERO, 0, RA));
		code = hwt_run_off(&t);
		cr_expect_eq(code, c->want, "%s (%s %s, flags 0x%x): got %s", c->rule,
			     c->user ? "user" : "kernel", c->access, c->flags, isa_cause_name(code));
		if (c->want) {
			uint32_t va = DATA_VA + (strcmp(c->access, "fetch") ? 4 : 8);
			cr_expect_eq(CR(&t, BADVA), va, "%s: badva = the virtual address", c->rule);
			cr_expect_eq(pte_of(&t, DATA_VA) & (ISA_PTE_A | ISA_PTE_D), 0,
				     "%s: a faulting access sets neither A nor D", c->rule);
		}
		hwt_fini(&t);
	}
}

Test(hw_mmu, bus_for_walks_and_pages_outside_ram)
{
	struct hwt t;
	uint32_t pde_out = 0x00400000u | ISA_PTE_V;	/* a table beyond 1 MiB */

	/* PTE pointing outside RAM: BUS with badva = the virtual address. */
	load_paged(&t, false, "	li s0, 0x5000\n	lw s1, 0(s0)\n");
	map(&t, DATA_VA, 0x00200000, ISA_PTE_R | ISA_PTE_V);
	expect_code(&t, ISA_CAUSE_BUS, "%s", "");
	cr_expect_eq(CR(&t, BADVA), DATA_VA);
	cr_expect_eq(pte_of(&t, DATA_VA) & ISA_PTE_A, 0);
	hwt_fini(&t);

	/* PDE pointing at a table outside RAM: BUS. */
	load_paged(&t, false, "	li s0, 0x400010\n	sw s1, 0(s0)\n");
	cr_assert_eq(hw_phys_write(t.m, ROOT + 4, &pde_out, 4), 0);
	expect_code(&t, ISA_CAUSE_BUS, "%s", "");
	cr_expect_eq(CR(&t, BADVA), 0x400010);
	hwt_fini(&t);

	/* Not present in the directory: a page fault, not BUS. */
	load_paged(&t, false, "	li s0, 0x800000\n	lw s1, 0(s0)\n");
	expect_code(&t, ISA_CAUSE_PF_LOAD, "%s", "");
	hwt_fini(&t);
}

Test(hw_mmu, a_set_on_load_d_only_on_store)
{
	struct hwt t;

	load_paged(&t, false, "	li s0, 0x5000\n	lw s1, 0(s0)\n	mv a0, s1\n");
	map(&t, DATA_VA, DATA_PA, ISA_PTE_R | ISA_PTE_W | ISA_PTE_V);
	PUT(&t, DATA_PA, 0x1234);
	expect_code(&t, 0, "%s", "");
	cr_expect_eq(REG(&t, S1), 0x1234, "translated to DATA_PA");
	cr_expect_eq(pte_of(&t, DATA_VA) & (ISA_PTE_A | ISA_PTE_D), ISA_PTE_A, "A, not D");
	hwt_fini(&t);

	/* A load caches the translation with D clear; the first store
	 * through it sets D in memory; a later store changes nothing. */
	load_paged(&t, false, "	li s0, 0x5000\n	lw s1, 0(s0)\n	sw s1, 4(s0)\n"
		   "	li t1, 0x11000\n	lw s2, 20(t1)\n"	/* the PTE of 0x5000 */
		   "	sw s1, 8(s0)\n");
	map(&t, DATA_VA, DATA_PA, ISA_PTE_R | ISA_PTE_W | ISA_PTE_V);
	expect_code(&t, 0, "%s", "");
	cr_expect_eq(REG(&t, S2) & (ISA_PTE_A | ISA_PTE_D), ISA_PTE_A | ISA_PTE_D,
		     "the guest sees A and D in its page table: 0x%x", REG(&t, S2));
	cr_expect_eq(pte_of(&t, DATA_VA), DATA_PA | ISA_PTE_R | ISA_PTE_W | ISA_PTE_V
		     | ISA_PTE_A | ISA_PTE_D);
	cr_expect_eq(pte_of(&t, 0x1000) & ISA_PTE_A, ISA_PTE_A, "fetch sets A");
	cr_expect_eq(pte_of(&t, 0x1000) & ISA_PTE_D, 0);
	hwt_fini(&t);
}

/* The coherence rule: after the guest rewrites the PTE of a cached page,
 * accesses still use the old translation until it is invalidated. */
Test(hw_mmu, stale_tlb_entry_is_used_until_invalidated)
{
	static const char *const inval[] = {
		"	tlbinv s0\n",
		"	tlbflush\n",
		"	mfcr t0, ptb\n	mtcr ptb, t0\n",
	};

	for (int i = 0; i < 3; i++) {
		struct hwt t;
		char body[1024];

		/* 0x5000 -> 0x20000 (holds 111); rewrite the PTE to
		 * 0x21000 (holds 222): s1 = 111 still; invalidate; s2 = 222. */
		snprintf(body, sizeof body,
			 "	li s0, 0x5000\n	lw s1, 0(s0)\n"
			 "	li t1, 0x11000\n	li t2, 0x21007\n	sw t2, 20(t1)\n"
			 "	lw s1, 0(s0)\n"
			 "%s"
			 "	lw s2, 0(s0)\n", inval[i]);
		load_paged(&t, false, body);
		map(&t, DATA_VA, DATA_PA, ISA_PTE_R | ISA_PTE_W | ISA_PTE_V);
		PUT(&t, DATA_PA, 111);
		PUT(&t, DATA_PA + 0x1000, 222);
		expect_code(&t, 0, "%s", "");
		cr_expect_eq(REG(&t, S1), 111, "case %d: stale translation used before invalidation", i);
		cr_expect_eq(REG(&t, S2), 222, "case %d: new translation after %s", i, inval[i]);
		hwt_fini(&t);
	}
}

Test(hw_mmu, removed_mapping_still_works_until_tlbinv)
{
	struct hwt t;

	load_paged(&t, false,
		   "	li s0, 0x5000\n	lw s1, 0(s0)\n"
		   "	li t1, 0x11000\n	sw zero, 20(t1)\n"	/* PTE = 0: not present */
		   "	lw s2, 0(s0)\n"
		   "	tlbinv s0\n"
		   "	lw s3, 0(s0)\n");
	map(&t, DATA_VA, DATA_PA, ISA_PTE_R | ISA_PTE_V);
	PUT(&t, DATA_PA, 7);
	expect_code(&t, ISA_CAUSE_PF_LOAD, "faults only after tlbinv");
	cr_expect_eq(REG(&t, S2), 7);
	hwt_fini(&t);
}

Test(hw_mmu, tlbinv_of_another_page_keeps_the_entry)
{
	struct hwt t;

	load_paged(&t, false,
		   "	li s0, 0x5000\n	lw s1, 0(s0)\n"
		   "	li t1, 0x11000\n	sw zero, 20(t1)\n"
		   "	li t2, 0x6000\n	tlbinv t2\n"
		   "	lw s2, 0(s0)\n");
	map(&t, DATA_VA, DATA_PA, ISA_PTE_R | ISA_PTE_V);
	PUT(&t, DATA_PA, 7);
	expect_code(&t, 0, "%s", "");
	cr_expect_eq(REG(&t, S2), 7);
	hwt_fini(&t);
}

/* A store through a translation cached by a load with D clear walks
 * afresh: it sees the PTE's current contents (ISA.md 9.6). */
Test(hw_mmu, store_after_load_rewalks_for_d)
{
	struct hwt t;

	load_paged(&t, false,
		   "	li s0, 0x5000\n	lw s1, 0(s0)\n"
		   "	li t1, 0x11000\n	li t2, 0x20003\n	sw t2, 20(t1)\n" /* now R only */
		   "	sw s1, 0(s0)\n");
	map(&t, DATA_VA, DATA_PA, ISA_PTE_R | ISA_PTE_W | ISA_PTE_V);
	expect_code(&t, ISA_CAUSE_PF_STORE_PROT, "%s", "");
	hwt_fini(&t);
}

Test(hw_mmu, paging_off_is_identity_and_permits_user_everything)
{
	struct hwt t;

	hwt_init(&t);
	hwt_asm(&t, "_start: la t0, user\n mtcr epc, t0\n li t0, 1\n mtcr status, t0\n rfe\n"
		    "user: li s0, 0x20000\n li t0, 99\n sw t0, 0(s0)\n lw s1, 0(s0)\n"
		    " la t0, handler\n jalr zero, 0(t0)\n"
		    "handler: syscall\n");
	hw_set_cr(t.m, ISA_CR_TVEC, 0x8000);	/* a halt loop would be there */
	PUT(&t, 0x8000, POWEROFF(ZERO));
	expect_code(&t, 0, "%s", "");
	cr_expect_eq(REG(&t, S1), 99);
	cr_expect_eq(hwt_word(&t, 0x20000), 99);
	cr_expect_eq(CR(&t, CAUSE), ISA_CAUSE_SYSCALL, "user mode reached the syscall");
	hwt_fini(&t);
}

/* Code in a page also written as data: the store path keeps the
 * predecoded copy fresh even with paging and aliasing. */
Test(hw_mmu, store_through_an_alias_of_code_is_seen)
{
	struct hwt t;

	/* VA 0x5000 aliases the code page PA 0x1000 (writable); the body
	 * rewrites the instruction at 'patch' through the alias. */
	load_paged(&t, false,
		   "	la t1, patch\n	li t2, 0x4000\n	add t1, t1, t2\n"
		   "	li t2, 0x21400007\n"		/* addi a0, zero, 7 */
		   "	sw t2, 0(t1)\n"
		   "patch:	addi a0, zero, 1\n"
		   "	out a0, 0x20(zero)\n");
	map(&t, DATA_VA, 0x1000, ISA_PTE_R | ISA_PTE_W | ISA_PTE_V);
	expect_code(&t, 7, "%s", "");
	hwt_fini(&t);
}

/* Address-space tags (hw_set_ptb_tagged, for a host in C): two roots map
 * DATA_VA to different frames, each run under its own tag.  Switching
 * between them flushes nothing: each tag finds its own translations again
 * (no walk), even one the tables no longer give, until that tag is
 * flushed; flushing one tag leaves the other's. */
static uint32_t tagged_load(struct hwt *t, uint32_t root, unsigned tag)
{
	hw_set_ptb_tagged(t->m, root | ISA_PTB_PG, tag);
	hw_set_pc(t->m, 0x1000);
	cr_assert_eq(hwt_run(t), HW_EXIT_TRAP);
	cr_assert_eq(t->ex.u.trap.cause, ISA_CAUSE_SYSCALL);
	return hw_get_reg(t->m, A0);
}

static uint64_t walks(struct hwt *t)
{
	struct hw_stats st;

	hw_get_stats(t->m, &st);
	return st.page_walks;
}

Test(hw_mmu, host_tags_keep_each_space_until_its_flush)
{
	const uint32_t code[] = { LD(lw, A0, 0, T0), N(syscall) };
	const uint32_t root2 = 0x12000, table2 = 0x13000, v[3] = { 111, 222, 333 };
	struct hwt t;
	uint32_t pde;

	hwt_init(&t);
	hwt_put(&t, 0x1000, code, 2);
	for (unsigned i = 0; i < 3; i++)
		hwt_put(&t, DATA_PA + 0x1000 * i, &v[i], 1);
	pde = TABLE | ISA_PTE_V;
	hwt_put(&t, ROOT, &pde, 1);
	pde = table2 | ISA_PTE_V;
	hwt_put(&t, root2, &pde, 1);
	map(&t, 0x1000, 0x1000, ISA_PTE_R | ISA_PTE_X | ISA_PTE_U | ISA_PTE_V);
	map(&t, DATA_VA, DATA_PA, ISA_PTE_R | ISA_PTE_U | ISA_PTE_V);
	PUT(&t, table2 + 4 * ISA_VA_TBL(0x1000),
	    0x1000 | ISA_PTE_R | ISA_PTE_X | ISA_PTE_U | ISA_PTE_V);
	PUT(&t, table2 + 4 * ISA_VA_TBL(DATA_VA),
	    (DATA_PA + 0x1000) | ISA_PTE_R | ISA_PTE_U | ISA_PTE_V);
	hw_set_cr(t.m, ISA_CR_STATUS, 0);
	hw_set_trap_to_host(t.m, 1u << ISA_CAUSE_SYSCALL);
	hw_set_reg(t.m, T0, DATA_VA);

	cr_expect_eq(tagged_load(&t, ROOT, 1), 111);
	cr_expect_eq(tagged_load(&t, root2, 2), 222);
	uint64_t w = walks(&t);
	cr_expect_eq(tagged_load(&t, ROOT, 1), 111);
	cr_expect_eq(tagged_load(&t, root2, 2), 222);
	cr_expect_eq(walks(&t), w, "a switch between tags walked again");
	map(&t, DATA_VA, DATA_PA + 0x2000, ISA_PTE_R | ISA_PTE_U | ISA_PTE_V);
	cr_expect_eq(tagged_load(&t, ROOT, 1), 111, "tag 1's entry is kept until its flush");
	hw_tlb_flush_tag(t.m, 2);
	cr_expect_eq(tagged_load(&t, ROOT, 1), 111, "flushing tag 2 dropped tag 1's entry");
	hw_tlb_flush_tag(t.m, 1);
	cr_expect_eq(tagged_load(&t, ROOT, 1), 333);
	cr_expect_eq(tagged_load(&t, root2, 2), 222);
	hwt_fini(&t);
}
