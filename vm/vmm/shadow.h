/*
 * shadow.h - the inside of the shadow page tables, shared by their three
 * files only:
 *
 *   shadow.c       the guest's walk, hidden and true faults, the fill, the
 *                  guest's TLB operations under each policy (lab 3's file)
 *   shadowctx.c    the contexts: the pool pages they are made of, the
 *                  contexts cached per guest root, which one the machine
 *                  walks, and the machine's TLB under their tags
 *   shadowtrack.c  the trace policy's tracked page tables: the guest pages
 *                  shadows were built from, the reverse map of writable
 *                  leaves, write protection, emulated page-table stores
 *
 * What the other files of the VMM use is in vmm_priv.h.
 */
#ifndef SHADOW_H
#define SHADOW_H

#include <string.h>

#include "vmm_priv.h"

static inline uint32_t ld32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static inline void st32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* Host address of pool page i (machine-physical i * 4 KiB). */
static inline uint8_t *page_host(const struct vm *vm, int32_t i)
{
	return hw_mem(vm->m) + ((uint32_t)i << ISA_PAGE_SHIFT);
}

static inline bool tracking(const struct vm *vm)
{
	return vm->policy == VMM_SHADOW_TRACE;
}

/* A shadow leaf's slot (its pool page and entry) and the leaf there. */
static inline int32_t slot_of(int32_t page, unsigned e)
{
	return (int32_t)((uint32_t)page << 10 | e);
}

static inline uint32_t *slot_pte(struct vm *vm, int32_t slot)
{
	return (uint32_t *)(hw_mem(vm->m) + ((uint32_t)slot << 2));
}

#define TRACE_SHADOW_EV(vm, what, ...)						\
	vm_trace(vm, TRACE_SHADOW, hw_get_pc((vm)->m), vcpu_kernel(&(vm)->vc),	\
		 vcpu_kernel(&(vm)->vc), what, __VA_ARGS__)

/* --- the machine's TLB under the contexts' tags (shadowctx.c) ------------- */

/* Flush the whole machine TLB, every context's tag. */
static inline void machine_tlb_flush(struct vm *vm)
{
	hw_tlb_flush_all(vm->m);
	vm->xs.tlb_flushes++;
	vm->sh.tlb_stale = 0;
}

/* Flush context c's tag. */
static inline void ctx_tlb_flush(struct vm *vm, int c)
{
	hw_tlb_flush_tag(vm->m, SH_TAG(vm, c));
	vm->xs.tlb_flushes++;
	vm->sh.tlb_stale &= ~(1u << c);
}

/* Flush the contexts whose dropped entries may linger. */
static inline void stale_tlb_flush(struct vm *vm)
{
	for (uint32_t st = vm->sh.tlb_stale; st; st &= st - 1)
		ctx_tlb_flush(vm, __builtin_ctz(st));
}

/* --- shadowctx.c ----------------------------------------------------------- */

/* A page of the VM's pool quota (zeroed) of kind SP_* for context ctx,
 * NO_PAGE if the quota or the pool is used up. */
int32_t shadow_pool_alloc(struct vm *vm, uint8_t kind, int ctx);
/* Free table t and clear the root's PDE that points to it. */
void shadow_table_free(struct vm *vm, int32_t t);
/* Free context c's root and tables (nothing if the slot is unused). */
void shadow_ctx_free(struct vm *vm, int c);

/* --- shadowtrack.c --------------------------------------------------------- */

/* Make pool page i shadow guest page src (trace policy: src becomes
 * tracked; if it was not, every writable shadow leaf onto it loses W). */
void shadow_src_link(struct vm *vm, int32_t i, uint32_t src);
/* Pool page i shadows no guest page any more. */
void shadow_src_unlink(struct vm *vm, int32_t i);
/* Leaf 'leaf' is now at slot: list it if it is writable. */
void shadow_rmap_add(struct vm *vm, int32_t slot, uint32_t leaf);
/* Leaf 'leaf' (the slot's value until now) leaves slot: unlist it. */
void shadow_rmap_del(struct vm *vm, int32_t slot, uint32_t leaf);

#endif
