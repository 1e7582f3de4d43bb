/*
 * virt.c - PG32-V's guest mode (ISA.md 16): vmrun loads a guest from its
 * guest-state area (GSA) onto the CPU, an exit stores it back and gives
 * the CPU to the host again.
 *
 * The guest runs on the machine's own control-register array: vmrun saves
 * the host's registers aside and loads the guest's, so mfcr, mtcr, rfe,
 * trap entry and the interrupt check work on the guest's set with no test
 * of the mode.  What differs in guest mode is kept in a few fields that
 * are 0 in host mode:
 *
 *   m->icpt, m->icrw     the intercepts the privileged handlers test
 *   m->vmid              the TLB tag (mmu.c)
 *   m->icount_off        guest icount = ticks + icount_off (trap.c)
 *   m->v.icause, nptb    trap intercepts (cpu.c take_trap), nested root
 *
 *       GSA (guest memory of the host)          machine
 *   +-----------------------------+  vmrun   +---------------------+
 *   | cr[0..10], pc, icpt, icause, | ------> | cr[], pc, icpt ...  |
 *   | icrw, nptb, vmid, flags      | <------ | (guest mode)        |
 *   | xcause xbadva xgpa xinsn     |  exit   +---------------------+
 *   +-----------------------------+            host cr[], pc: m->v
 */
#include <string.h>

#include "hw_priv.h"

/* Intercept bits count privileged opcodes from mfcr's: the rows between
 * mfcr and vmrun are in opcode order (cpu_loop.h PRIV tests op - mfcr). */
_Static_assert(ISA_OP_vmrun - ISA_OP_mfcr == 0x6a - 0x60, "privileged rows in opcode order");

static uint32_t gsa_ld(const struct machine *m, unsigned off)
{
	return ram_ld32(m->ram + m->v.gsa + off);
}

static void gsa_st(struct machine *m, unsigned off, uint32_t v)
{
	ram_st32(m->ram + m->v.gsa + off, v);
	if (m->pdp[(m->v.gsa + off) >> ISA_PAGE_SHIFT])
		mmu_code_written(m, m->v.gsa + off, 4);
}

unsigned virt_enter(struct machine *m, uint32_t gsa, bool insn)
{
	uint64_t first = m->ticks + (insn ? 1 : 0);	/* the guest's first tick */
	uint32_t vmid;

	if ((gsa & 3) || gsa >= m->memsize || m->memsize - gsa < ISA_GSA_SIZE)
		return ISA_CAUSE_BUS;
	memcpy(m->v.cr, m->cr, sizeof m->cr);
	m->v.pc = m->pc;
	m->v.trap_fn_causes = m->trap_fn_causes;
	m->v.entry_ticks = m->entry_ticks;
	m->v.gsa = gsa;
	for (unsigned cr = 0; cr < ISA_NCR; cr++)
		m->cr[cr] = gsa_ld(m, ISA_GSA_CR + 4 * cr);
	m->icount_off = m->cr[ISA_CR_ICOUNT] - (uint32_t)first;
	m->pc = gsa_ld(m, ISA_GSA_PC) & ~3u;
	m->icpt = gsa_ld(m, ISA_GSA_ICPT);
	m->icrw = gsa_ld(m, ISA_GSA_ICRW) & ((1u << ISA_NCR) - 1);
	m->v.icause = gsa_ld(m, ISA_GSA_ICAUSE);
	m->v.nptb = gsa_ld(m, ISA_GSA_NPTB);
	vmid = gsa_ld(m, ISA_GSA_VMID) & ISA_VMID_MAX;
	m->vmid = vmid ? vmid : 1;
	m->tlb_salt = TLB_SALT(m->vmid);
	/* The double-fault window of ISA.md 7.6 carries across exits. */
	m->entry_ticks = (gsa_ld(m, ISA_GSA_FLAGS) & ISA_GSA_EW) ? first : UINT64_MAX;
	m->trap_fn_causes = 0;
	m->v.gm = true;
	m->v.c_host = !insn;
	m->v.tagged = true;
	mmu_fast_check(m);
	m->st.vm_entries++;
	return 0;
}

void virt_exit(struct machine *m, unsigned cause, uint32_t badva, uint32_t insn)
{
	for (unsigned cr = 0; cr < ISA_NCR; cr++)
		gsa_st(m, ISA_GSA_CR + 4 * cr, cr == ISA_CR_ICOUNT
		       ? (uint32_t)m->ticks + m->icount_off : m->cr[cr]);
	gsa_st(m, ISA_GSA_PC, m->pc);
	gsa_st(m, ISA_GSA_FLAGS, m->entry_ticks == m->ticks ? ISA_GSA_EW : 0);
	gsa_st(m, ISA_GSA_XCAUSE, cause);
	gsa_st(m, ISA_GSA_XBADVA, badva);
	gsa_st(m, ISA_GSA_XGPA, cause == ISA_CAUSE_NPF ? m->v.npf_gpa : 0);
	gsa_st(m, ISA_GSA_XINSN, insn);
	memcpy(m->cr, m->v.cr, sizeof m->cr);
	m->pc = m->v.pc;
	m->trap_fn_causes = m->v.trap_fn_causes;
	m->entry_ticks = m->v.entry_ticks;
	m->icpt = m->icrw = m->icount_off = 0;
	m->v.icause = m->v.nptb = 0;
	m->vmid = m->v.host_tag;
	m->tlb_salt = TLB_SALT(m->vmid);
	m->v.gm = false;
	m->st.vm_exits[cause < ISA_NCAUSE ? cause : 0]++;
	/* A C host runs nothing in host mode: the guest's fast set may stay
	 * current for its next vmrun (run() checks the tag). */
	if (!m->v.c_host)
		mmu_fast_check(m);
}

bool virt_intercepted(const struct machine *m, unsigned cause)
{
	/* PRIVILEGED in guest kernel mode can only be an intercepted
	 * instruction; NPF is the host's by definition. */
	if (cause == ISA_CAUSE_NPF)
		return true;
	if (cause == ISA_CAUSE_PRIVILEGED && (m->cr[ISA_CR_STATUS] & ISA_ST_KM))
		return true;
	return m->v.icause >> cause & 1;
}

int hw_vmrun(struct machine *m, uint32_t gsa)
{
	if (m->isa != ISA_PG32V || m->v.gm || m->halt != HW_NEXIT)
		return -1;
	return virt_enter(m, gsa, false) ? -1 : 0;
}

void hw_tlb_flush_all(struct machine *m)
{
	bool tagged = m->v.tagged;

	m->nfilled = TLB_FILLED_ALL;
	m->v.tagged = false;
	mmu_flush(m);
	m->v.tagged = tagged;
}

bool hw_guest_mode(const struct machine *m)
{
	return m->v.gm;
}
