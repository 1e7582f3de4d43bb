/*
 * nested.c - the VMM on PG32-V's hardware assist (vmlab run --mmu=nested,
 * isa/ISA.md 16): the guest runs in the machine's guest mode, its kernel
 * in its own virtual kernel mode, and the machine translates its
 * guest-physical addresses through a nested page table.  No shadow page
 * tables, no hidden faults, no exits for the guest's page-table writes,
 * TLB operations, mode changes or most privileged instructions.
 *
 * What the VMM still does, on the same VCPU and devices as under shadow
 * paging (so the rest of vm/vmm is unchanged):
 *
 *   the intercepts     wfi, in, out (the devices and time are the VMM's),
 *                      mtcr timecmp (the guest's timer is the VMM's event)
 *   nested faults      the first touch of each guest page maps it
 *                      (gpa -> vm->area + gpa); a gpa outside the guest's
 *                      RAM is the guest's BUS, as on the bare machine
 *   the GSA            one pool page per VM: the VCPU is written into it
 *                      before each hw_vmrun and read back after each exit
 *
 * The nested table, in the VM's quota of the shadow pool (machine-physical):
 *
 *   GSA page    +----------------------+   ISA_GSA_* words
 *   nested root +----------------------+   1024 NPDEs: V | table
 *   tables      +----------------------+   1024 NPTEs: V R W X | area + gpa
 *
 * Invariant (vmm_check): every nested leaf maps a page of the VM's own
 * slice at area + its gpa, and nothing else; the GSA and the nested pages
 * are pool pages of this VM, never mapped.
 */
#include <stdio.h>
#include <string.h>

#include "vmm_priv.h"

const char nested_fill[] = "nested-fault";

static uint32_t mpa_of(int32_t page)
{
	return (uint32_t)page << ISA_PAGE_SHIFT;
}

static uint32_t ld(const struct vm *vm, uint32_t mpa)
{
	uint32_t v = 0;

	hw_phys_read(vm->m, mpa, &v, 4);
	return v;
}

static void st(struct vm *vm, uint32_t mpa, uint32_t v)
{
	hw_phys_write(vm->m, mpa, &v, 4);
}

static void gsa_st(struct vm *vm, unsigned off, uint32_t v)
{
	st(vm, vm->ns.gsa + off, v);
}

static uint32_t gsa_ld(const struct vm *vm, unsigned off)
{
	return ld(vm, vm->ns.gsa + off);
}

void nested_intercepts(struct vm *vm)
{
	/* LAB8 BEGIN: the intercepts: what the guest must not do alone (task 1) */
	/* The devices and guest time are the VMM's: port I/O and wfi exit,
	 * and so does a new timer compare, which the VMM turns into an event
	 * (virq.c).  Everything else privileged runs on the guest's own
	 * registers, and every trap is the guest's own. */
	uint32_t icpt = ISA_ICPT_BIT(0x63) | ISA_ICPT_BIT(0x66) | ISA_ICPT_BIT(0x67);

	gsa_st(vm, ISA_GSA_ICPT, icpt);
	gsa_st(vm, ISA_GSA_ICRW, 1u << ISA_CR_TIMECMP);
	gsa_st(vm, ISA_GSA_ICAUSE, 0);
	/* LAB8 STUB
	vmm_not_implemented(vm, "lab8: the intercepts (nested_intercepts, vm/vmm/nested.c)");
	LAB8 END */
}

static void pages_free(struct vm *vm)
{
	uint32_t root = vm->ns.root;

	if (vm->ns.have) {
		for (unsigned d = 0; d < 1024; d++) {
			uint32_t npde = ld(vm, root + 4 * d);

			if (npde & ISA_PTE_V)
				shadow_page_free(vm, (int32_t)(npde >> ISA_PAGE_SHIFT));
		}
		shadow_page_free(vm, (int32_t)(root >> ISA_PAGE_SHIFT));
		shadow_page_free(vm, (int32_t)(vm->ns.gsa >> ISA_PAGE_SHIFT));
	}
	vm->ns.have = false;
}

void nested_free(struct vm *vm)
{
	if (vm->nested)
		pages_free(vm);
}

int nested_reset(struct vm *vm)
{
	int32_t gsa, root;

	pages_free(vm);
	gsa = shadow_page_alloc(vm);
	root = shadow_page_alloc(vm);
	if (gsa == NO_PAGE || root == NO_PAGE) {	/* the quota holds thousands */
		vm_halt(vm, VMM_EXIT_FAILURE, "no pool page for the guest-state area");
		return -1;
	}
	vm->ns.have = true;
	hw_tlb_flush_all(vm->m);	/* the VM tag's old translations go too */
	vm->ns.gsa = mpa_of(gsa);
	vm->ns.root = mpa_of(root);
	gsa_st(vm, ISA_GSA_NPTB, vm->ns.root | ISA_NPTB_NP);
	gsa_st(vm, ISA_GSA_VMID, vm->id + 1);
	nested_intercepts(vm);
	return 0;
}

void nested_enter(struct vm *vm)
{
	const struct vcpu *vc = &vm->vc;
	uint64_t now = vm_now(vm);

	for (unsigned cr = 0; cr < ISA_NCR; cr++)
		gsa_st(vm, ISA_GSA_CR + 4 * cr, cr == ISA_CR_IPEND ? vcpu_ipend(vc)
		       : cr == ISA_CR_ICOUNT ? (uint32_t)now : vc->cr[cr]);
	gsa_st(vm, ISA_GSA_PC, hw_get_pc(vm->m));
	gsa_st(vm, ISA_GSA_FLAGS, vc->entry_tick == now ? ISA_GSA_EW : 0);
	if (hw_vmrun(vm->m, vm->ns.gsa))
		vm_halt(vm, VMM_EXIT_FAILURE, "vmrun refused the guest-state area");
}

void nested_leave(struct vm *vm)
{
	struct vcpu *vc = &vm->vc;

	/* ipend is the VMM's (the guest cannot write it) and icount is
	 * guest time, which the machine's ticks already are. */
	for (unsigned cr = 0; cr < ISA_NCR; cr++)
		if (cr != ISA_CR_IPEND && cr != ISA_CR_ICOUNT)
			vc->cr[cr] = gsa_ld(vm, ISA_GSA_CR + 4 * cr);
	hw_set_pc(vm->m, gsa_ld(vm, ISA_GSA_PC));
	vc->entry_tick = gsa_ld(vm, ISA_GSA_FLAGS) & ISA_GSA_EW ? vm_now(vm) : UINT64_MAX;
}

/* A new nested table for directory slot dir; 0 if the pool is empty. */
static uint32_t table_for(struct vm *vm, unsigned dir)
{
	uint32_t npde = ld(vm, vm->ns.root + 4 * dir);
	int32_t t;

	if (npde & ISA_PTE_V)
		return ISA_PTE_PPN(npde);
	t = shadow_page_alloc(vm);
	if (t == NO_PAGE)
		return 0;
	st(vm, vm->ns.root + 4 * dir, mpa_of(t) | ISA_PTE_V);
	vm->ns.tables++;
	return mpa_of(t);
}

const char *nested_fault(struct vm *vm, const struct hw_exit *hx)
{
	uint32_t gpa = hx->u.trap.gpa;

	/* LAB8 BEGIN: the nested page fault: map the page, or the guest's BUS (task 2) */
	uint32_t table;

	if (gpa >= vm->gmem) {
		/* No RAM there: what the bare machine raises, with the
		 * guest's own address as badva (ISA.md 9.4). */
		vm->st.true_faults++;
		reflect_exception(vm, ISA_CAUSE_BUS, hx->u.trap.badva, hx->pc);
		return "true-fault";
	}
	table = table_for(vm, ISA_VA_DIR(gpa));
	if (!table) {
		vm_halt(vm, VMM_EXIT_FAILURE, "the shadow pool has no page for a nested table");
		return "failure";
	}
	st(vm, table + 4 * ISA_VA_TBL(gpa), ((vm->area + gpa) & ~(ISA_PAGE_SIZE - 1))
	   | ISA_PTE_V | ISA_PTE_R | ISA_PTE_W | ISA_PTE_X);
	vm->ns.fills++;
	return nested_fill;
	/* LAB8 STUB
	(void)gpa;
	(void)table_for;	// yours to use
	vmm_not_implemented(vm, "lab8: the nested page fault (nested_fault, vm/vmm/nested.c)");
	return "failure";
	LAB8 END */
}

uint32_t vmm_nested_root(const struct vm *vm)
{
	return vm->nested ? vm->ns.root : 0;
}

uint32_t vmm_gsa(const struct vm *vm)
{
	return vm->nested ? vm->ns.gsa : 0;
}

int nested_check(const struct vm *vm, char *err, size_t errsize)
{
	for (unsigned d = 0; d < 1024; d++) {
		uint32_t npde = ld(vm, vm->ns.root + 4 * d), t = ISA_PTE_PPN(npde);

		if (!(npde & ISA_PTE_V))
			continue;
		if (t >= vm->area || vm->sh.pg[t >> ISA_PAGE_SHIFT].vm != vm->id
		    || vm->sh.pg[t >> ISA_PAGE_SHIFT].kind != SP_NESTED) {
			snprintf(err, errsize, "nested PDE %u points at 0x%08x, not a nested table "
				 "of this VM", d, t);
			return -1;
		}
		for (unsigned e = 0; e < 1024; e++) {
			uint32_t leaf = ld(vm, t + 4 * e), gpa = (d << 22) | (e << 12);

			if ((leaf & ISA_PTE_V) && (gpa >= vm->gmem
						   || ISA_PTE_PPN(leaf) != vm->area + gpa)) {
				snprintf(err, errsize, "nested leaf for gpa 0x%08x maps 0x%08x, not "
					 "0x%08x", gpa, ISA_PTE_PPN(leaf), vm->area + gpa);
				return -1;
			}
		}
	}
	return 0;
}

void nested_print_stats(const struct vm *vm, FILE *f)
{
	fprintf(f, "vmm_nested_faults: %llu\n", (unsigned long long)vm->ns.fills);
	fprintf(f, "vmm_nested_tables: %llu\n", (unsigned long long)vm->ns.tables);
}

unsigned vmm_nested_translate(const struct vm *vm, uint32_t gpa, unsigned kind, uint32_t *mpa,
			      uint32_t n_addr[2], uint32_t n_val[2])
{
	unsigned c = hw_nested_translate(vm->m, vm->ns.root | ISA_NPTB_NP, gpa, kind, mpa, n_addr);

	for (int i = 0; i < 2; i++)
		n_val[i] = n_addr[i] && n_addr[i] < hw_mem_size(vm->m) ? ld(vm, n_addr[i]) : 0;
	return c;
}

/* Names of the set bits of mask, by name(i), into buf. */
static void bit_names(char *buf, size_t size, uint32_t mask, const char *(*name)(unsigned))
{
	size_t k = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < 32 && k + 1 < size; i++)
		if (mask >> i & 1)
			k += (size_t)snprintf(buf + k, size - k, "%s%s", k ? " " : "", name(i));
	if (!k)
		snprintf(buf, size, "none");
}

static const char *icpt_name(unsigned i)
{
	for (unsigned op = 0; op < ISA_NOPS; op++)
		if (isa_table[op].opcode == 0x60 + i)
			return isa_table[op].name;
	return "?";
}

void vmm_print_nested(const struct vm *vm, FILE *f)
{
	char buf[160];
	uint32_t x;

	if (!vm->nested || !vm->ns.have)
		return;
	fprintf(f, "guest-state area   0x%08x (machine-physical; as the last exit left it)\n",
		vm->ns.gsa);
	for (unsigned cr = 0; cr < ISA_NCR; cr++)
		fprintf(f, "  gsa.%-9s 0x%08x\n", isa_cr_name(cr), gsa_ld(vm, ISA_GSA_CR + 4 * cr));
	fprintf(f, "  gsa.pc        0x%08x\n", gsa_ld(vm, ISA_GSA_PC));
	bit_names(buf, sizeof buf, gsa_ld(vm, ISA_GSA_ICPT), icpt_name);
	fprintf(f, "  intercepts    0x%08x  %s\n", gsa_ld(vm, ISA_GSA_ICPT), buf);
	bit_names(buf, sizeof buf, gsa_ld(vm, ISA_GSA_ICRW), isa_cr_name);
	fprintf(f, "  mtcr exits    0x%08x  %s\n", gsa_ld(vm, ISA_GSA_ICRW), buf);
	bit_names(buf, sizeof buf, gsa_ld(vm, ISA_GSA_ICAUSE), isa_cause_name);
	fprintf(f, "  trap exits    0x%08x  %s (and npf)\n", gsa_ld(vm, ISA_GSA_ICAUSE), buf);
	fprintf(f, "  nptb          0x%08x  root=0x%08x nested paging %s\n", gsa_ld(vm, ISA_GSA_NPTB),
		ISA_PTB_ROOT(gsa_ld(vm, ISA_GSA_NPTB)),
		gsa_ld(vm, ISA_GSA_NPTB) & ISA_NPTB_NP ? "on" : "off");
	fprintf(f, "  vmid          %u\n", gsa_ld(vm, ISA_GSA_VMID));
	x = gsa_ld(vm, ISA_GSA_XCAUSE);
	fprintf(f, "  last exit     %s badva=0x%08x gpa=0x%08x insn=0x%08x\n",
		x ? isa_cause_name(x) : "preempt", gsa_ld(vm, ISA_GSA_XBADVA),
		gsa_ld(vm, ISA_GSA_XGPA), gsa_ld(vm, ISA_GSA_XINSN));
}
