/*
 * vcpu.h - the virtual CPU: the part of a PG32 processor that the guest
 * must not touch directly, kept by the VMM in software.
 *
 * The guest's general registers and pc stay in the machine's CPU (direct
 * execution).  What lives here is exactly the privileged state of ISA.md
 * sections 5-8: the virtual mode and interrupt enable (status), every
 * other control register as the guest last wrote it, and the interrupt
 * lines of the virtual devices.  Time (icount) is the VM's (vm.c): guest
 * ticks = the machine's ticks + the ticks the VMM retired or slept itself.
 *
 *   cr[STATUS]   virtual KM, IE, PKM, PIE (the machine runs with KM = IE = 0)
 *   cr[PTB]      the guest's own root and PG (the machine's ptb is a shadow)
 *   cr[IPEND]    only the latched timer bit; the device lines are in 'lines'
 *   cr[ICOUNT]   unused: read the VM's tick count instead
 */
#ifndef VMM_VCPU_H
#define VMM_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "pg32.h"

struct vcpu {
	uint32_t cr[ISA_NCR];
	uint32_t lines;		/* ISA_IRQ_CONSOLE, ISA_IRQ_DISK as driven */
	uint64_t entry_tick;	/* guest tick of the last trap entry, for the
				 * double-fault rule (ISA.md 7.6); UINT64_MAX
				 * once the host has changed pc or a cr */
};

/* Reset state of ISA.md 11.8: status = KM, every other register 0. */
void vcpu_reset(struct vcpu *v);

static inline bool vcpu_kernel(const struct vcpu *v)
{
	return v->cr[ISA_CR_STATUS] & ISA_ST_KM;
}

/* ipend as the guest reads it: the latched timer plus the device levels. */
static inline uint32_t vcpu_ipend(const struct vcpu *v)
{
	return (v->cr[ISA_CR_IPEND] & ISA_IRQ_TIMER) | v->lines;
}

/* The value mtcr cr, val leaves in cr: (cr & ~wmask) | (val & wmask). */
static inline uint32_t vcpu_masked(const struct vcpu *v, unsigned cr, uint32_t val)
{
	uint32_t mask = isa_cr_wmask[cr];

	return (v->cr[cr] & ~mask) | (val & mask);
}

/* Trap entry of ISA.md 7.2 on the virtual state: PKM = KM, PIE = IE,
 * KM = 1, IE = 0, epc, cause, badva.  Returns the new pc (tvec). */
uint32_t vcpu_trap_entry(struct vcpu *v, uint32_t pc, unsigned cause, uint32_t badva);

/* rfe of ISA.md 7.3: KM = PKM, IE = PIE.  Returns the new pc (epc). */
uint32_t vcpu_rfe(struct vcpu *v);

#endif /* VMM_VCPU_H */
