/*
 * pagetable.h - the guest's page table and the VMM's shadow table as lists
 * of mappings and as runs of pages, for 'info pagetable', 'info shadow'
 * and 'dot pagetable'.
 */
#ifndef MON_PAGETABLE_H
#define MON_PAGETABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "target.h"

struct pt_list {
	struct vmm_mapping *v;	/* in va order */
	size_t n, cap;
};

/* The guest's current table; the shadow table for a guest mode (VMM). */
void pt_collect_guest(const struct target *t, struct pt_list *l);
void pt_collect_shadow(struct target *t, bool kernel, struct pt_list *l);
/* --mmu=nested: the nested table (va = guest-physical); empty otherwise. */
void pt_collect_nested(struct target *t, struct pt_list *l);
void pt_free(struct pt_list *l);

/* A run: pages with consecutive va, contiguous pa, equal V R W X U. */
#define PT_PERM_MASK (ISA_PTE_V | ISA_PTE_R | ISA_PTE_W | ISA_PTE_X | ISA_PTE_U)
struct pt_run {
	uint32_t va, pa, npages;
	uint32_t perm;		/* PTE bits & PT_PERM_MASK */
	uint32_t accessed, dirty;	/* pages with A, with D */
	size_t first;		/* index of its first mapping in the list */
};
/* Split the list into runs (malloc()ed array, *n of them). */
struct pt_run *pt_runs(const struct pt_list *l, size_t *n);

/* "VRWXU" flags with '-' for clear bits, then A and D: uppercase if every
 * page of the run has it, lowercase if some, '-' if none. */
void pt_flags(char buf[8], const struct pt_run *r);

/* The mapping of va in the list, or NULL. */
const struct vmm_mapping *pt_find(const struct pt_list *l, uint32_t va);

#endif /* MON_PAGETABLE_H */
