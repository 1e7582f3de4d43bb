/*
 * pagetable.c - page-table listings: collecting mappings, runs, and the
 * 'info pagetable' / 'info shadow' commands.  See pagetable.h.
 */
#include "pagetable.h"

#include <stdlib.h>
#include <string.h>

#include "shell.h"

static void add(void *ctx, const struct vmm_mapping *mp)
{
	struct pt_list *l = ctx;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		struct vmm_mapping *v = realloc(l->v, cap * sizeof *v);

		if (!v)
			return;		/* a shorter listing, not a crash */
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *mp;
}

void pt_collect_guest(const struct target *t, struct pt_list *l)
{
	memset(l, 0, sizeof *l);
	tgt_guest_mappings(t, add, l);
}

void pt_collect_shadow(struct target *t, bool kernel, struct pt_list *l)
{
	memset(l, 0, sizeof *l);
	if (t->ops->vm)
		vmm_shadow_mappings(t->ops->vm(t), kernel, add, l);
}

void pt_collect_nested(struct target *t, struct pt_list *l)
{
	memset(l, 0, sizeof *l);
	if (t->ops->vm)
		vmm_nested_mappings(t->ops->vm(t), add, l);
}

void pt_free(struct pt_list *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

struct pt_run *pt_runs(const struct pt_list *l, size_t *n)
{
	struct pt_run *r = calloc(l->n ? l->n : 1, sizeof *r);
	size_t k = 0;

	*n = 0;
	if (!r)
		return NULL;
	for (size_t i = 0; i < l->n; i++) {
		const struct vmm_mapping *mp = &l->v[i];
		uint32_t perm = mp->pte & PT_PERM_MASK;
		struct pt_run *last = k ? &r[k - 1] : NULL;

		if (!last || mp->va != last->va + last->npages * ISA_PAGE_SIZE
		    || mp->pa != last->pa + last->npages * ISA_PAGE_SIZE || perm != last->perm
		    || last->va + last->npages * ISA_PAGE_SIZE == 0) {
			last = &r[k++];
			*last = (struct pt_run){ .va = mp->va, .pa = mp->pa, .perm = perm, .first = i };
		}
		last->npages++;
		last->accessed += !!(mp->pte & ISA_PTE_A);
		last->dirty += !!(mp->pte & ISA_PTE_D);
	}
	*n = k;
	return r;
}

static char ad(uint32_t have, uint32_t of, char c)
{
	return have == 0 ? '-' : have == of ? c : (char)(c - 'A' + 'a');
}

void pt_flags(char buf[8], const struct pt_run *r)
{
	static const char letters[] = "VRWXU";

	for (int i = 0; i < 5; i++)
		buf[i] = r->perm & (1u << i) ? letters[i] : '-';
	buf[5] = ad(r->accessed, r->npages, 'A');
	buf[6] = ad(r->dirty, r->npages, 'D');
	buf[7] = '\0';
}

const struct vmm_mapping *pt_find(const struct pt_list *l, uint32_t va)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (l->v[mid].va == va)
			return &l->v[mid];
		if (l->v[mid].va < va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static uint32_t last_byte(const struct pt_run *r, uint32_t base)
{
	return base + r->npages * ISA_PAGE_SIZE - 1;
}

static void print_runs(struct mon_shell *sh, const struct pt_list *l, const char *pa_name)
{
	size_t n;
	struct pt_run *r = pt_runs(l, &n);
	char f[8];

	fprintf(sh->out, "%-21s    %-21s %6s  %s\n", "va", pa_name, "pages", "flags");
	for (size_t i = 0; r && i < n; i++) {
		pt_flags(f, &r[i]);
		fprintf(sh->out, "0x%08x-0x%08x -> 0x%08x-0x%08x %6u  %s\n", r[i].va,
			last_byte(&r[i], r[i].va), r[i].pa, last_byte(&r[i], r[i].pa), r[i].npages, f);
	}
	fprintf(sh->out, "%zu pages mapped in %zu runs\n", l->n, n);
	free(r);
}

/* Guest and shadow, side by side, for one guest mode. */
static void print_both(struct mon_shell *sh, bool kernel)
{
	struct pt_list g, s;
	const struct vmm_mapping *prev_s = NULL;
	size_t start = 0;

	pt_collect_guest(sh->t, &g);
	pt_collect_shadow(sh->t, kernel, &s);
	fprintf(sh->out, "guest page table | shadow page table (%s mode)\n", kernel ? "kernel" : "user");
	fprintf(sh->out, "%-21s    %-21s %-5s | %-21s %s\n", "va", "gpa", "flags", "mpa", "flags");
	for (size_t i = 0; i <= g.n; i++) {
		const struct vmm_mapping *gm = i < g.n ? &g.v[i] : NULL;
		const struct vmm_mapping *sm = gm ? pt_find(&s, gm->va) : NULL;
		const struct vmm_mapping *g0 = &g.v[start];
		size_t len = i - start;
		bool same = gm && i > start && gm->va == g0->va + len * ISA_PAGE_SIZE
			    && gm->pa == g0->pa + len * ISA_PAGE_SIZE
			    && (gm->pte & PT_PERM_MASK) == (g0->pte & PT_PERM_MASK)
			    && !sm == !prev_s
			    && (!sm || (sm->pa == prev_s->pa + ISA_PAGE_SIZE
					&& (sm->pte & PT_PERM_MASK) == (prev_s->pte & PT_PERM_MASK)));

		if (i > start && !same) {	/* print [start, i) */
			const struct vmm_mapping *s0 = pt_find(&s, g0->va);
			struct pt_run gr = { .npages = (uint32_t)len, .perm = g0->pte & PT_PERM_MASK };
			char gf[8], sf[8];

			pt_flags(gf, &gr);
			gf[5] = '\0';
			fprintf(sh->out, "0x%08x-0x%08x -> 0x%08x-0x%08x %-5s | ", g0->va,
				g0->va + (uint32_t)len * ISA_PAGE_SIZE - 1, g0->pa,
				g0->pa + (uint32_t)len * ISA_PAGE_SIZE - 1, gf);
			if (s0) {
				struct pt_run sr = { .npages = 1, .perm = s0->pte & PT_PERM_MASK };

				pt_flags(sf, &sr);
				sf[5] = '\0';
				fprintf(sh->out, "0x%08x-0x%08x %s\n", s0->pa,
					s0->pa + (uint32_t)len * ISA_PAGE_SIZE - 1, sf);
			} else {
				fputs("(not filled)\n", sh->out);
			}
			start = i;
		}
		prev_s = sm;
	}
	fprintf(sh->out, "%zu guest pages mapped, %zu filled in the shadow\n", g.n, s.n);
	pt_free(&g);
	pt_free(&s);
}

/* --mmu=nested: the nested table too, guest-physical to machine-physical. */
static void print_nested(struct mon_shell *sh)
{
	struct vm *vm = sh->t->ops->vm ? sh->t->ops->vm(sh->t) : NULL;
	struct pt_list l;

	if (!vm || !vmm_nested_root(vm))
		return;
	fprintf(sh->out, "nested page table: root=0x%08x (va = guest-physical, machine-physical)\n",
		vmm_nested_root(vm));
	pt_collect_nested(sh->t, &l);
	print_runs(sh, &l, "mpa");
	pt_free(&l);
}

int cmd_info_pagetable(struct mon_shell *sh, int argc, char **argv)
{
	struct target *t = sh->t;
	uint32_t ptb = t->ops->get_cr(t, ISA_CR_PTB);
	struct pt_list l;
	bool both = argc == 1 && !strcmp(argv[0], "--both");

	if (argc > 1 || (argc == 1 && !both))
		return mon_error(sh, "usage: info pagetable [--both]");
	if (both && !t->ops->vm)
		return mon_error(sh, "no shadow page table on the bare machine");
	if (!(ptb & ISA_PTB_PG)) {
		fprintf(sh->out, "guest paging is off (ptb=0x%08x): virtual = physical\n", ptb);
		print_nested(sh);
		return 0;
	}
	if (both) {
		print_both(sh, t->ops->kernel(t));
		return 0;
	}
	fprintf(sh->out, "guest page table: ptb=0x%08x root=0x%08x\n", ptb, ISA_PTB_ROOT(ptb));
	pt_collect_guest(t, &l);
	print_runs(sh, &l, "gpa");
	pt_free(&l);
	print_nested(sh);
	return 0;
}

int cmd_info_shadow(struct mon_shell *sh, int argc, char **argv)
{
	struct target *t = sh->t;
	struct pt_list l;
	bool k = t->ops->kernel(t);

	if (!t->ops->vm)
		return mon_error(sh, "no shadow page table on the bare machine");
	if (argc > 1 || (argc == 1 && strcmp(argv[0], "kernel") && strcmp(argv[0], "user")))
		return mon_error(sh, "usage: info shadow [kernel|user]");
	if (argc == 1)
		k = !strcmp(argv[0], "kernel");
	fprintf(sh->out, "shadow page table for guest %s mode (machine-physical)\n",
		k ? "kernel" : "user");
	pt_collect_shadow(t, k, &l);
	print_runs(sh, &l, "mpa");
	pt_free(&l);
	return 0;
}
