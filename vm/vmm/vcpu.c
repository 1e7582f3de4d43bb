/*
 * vcpu.c - the virtual CPU's state changes that do not depend on the rest
 * of the VM: reset, trap entry and rfe, exactly as ISA.md 7.2, 7.3 and
 * 11.8 state them for a real CPU.  What these changes imply for the
 * machine (a new shadow root when the mode changes, an interrupt that
 * becomes deliverable) is the caller's business.
 */
#include "vcpu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vcpu_reset(struct vcpu *v)
{
	memset(v->cr, 0, sizeof v->cr);
	v->cr[ISA_CR_STATUS] = ISA_ST_RESET;
	v->lines = 0;
	v->entry_tick = UINT64_MAX;
}

uint32_t vcpu_trap_entry(struct vcpu *v, uint32_t pc, unsigned cause, uint32_t badva)
{
	/* LAB2 BEGIN: the trap entry on the virtual state, ISA.md 7.2 (task 1) */
	uint32_t s = v->cr[ISA_CR_STATUS];

	s = (s & ~(ISA_ST_PKM | ISA_ST_PIE | ISA_ST_IE))
		| ((s & ISA_ST_KM) ? ISA_ST_PKM : 0)
		| ((s & ISA_ST_IE) ? ISA_ST_PIE : 0)
		| ISA_ST_KM;
	v->cr[ISA_CR_STATUS] = s;
	v->cr[ISA_CR_EPC] = pc;
	v->cr[ISA_CR_CAUSE] = cause;
	v->cr[ISA_CR_BADVA] = badva;
	return v->cr[ISA_CR_TVEC];
	/* LAB2 STUB
	(void)v;
	(void)pc;
	(void)cause;
	(void)badva;
	fprintf(stderr, "vmlab: lab2: the trap entry (vcpu_trap_entry, vm/vmm/vcpu.c) not implemented\n");
	abort();
	LAB2 END */
}

uint32_t vcpu_rfe(struct vcpu *v)
{
	/* LAB2 BEGIN: rfe on the virtual state, ISA.md 7.3 (task 2) */
	uint32_t s = v->cr[ISA_CR_STATUS];

	s = (s & ~(ISA_ST_KM | ISA_ST_IE))
		| ((s & ISA_ST_PKM) ? ISA_ST_KM : 0)
		| ((s & ISA_ST_PIE) ? ISA_ST_IE : 0);
	v->cr[ISA_CR_STATUS] = s;
	return v->cr[ISA_CR_EPC];
	/* LAB2 STUB
	(void)v;
	fprintf(stderr, "vmlab: lab2: rfe (vcpu_rfe, vm/vmm/vcpu.c) not implemented\n");
	abort();
	LAB2 END */
}
