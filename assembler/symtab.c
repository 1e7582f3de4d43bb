/*
 * symtab.c - symbols: one hash table keyed by (scope, name).  A scope is a
 * unit (one command-line file with its includes) or SCOPE_GLOBAL, whose
 * entries point at the defining unit's symbol.  A name resolves to the
 * unit's own definition first, then to a global one.
 */
#include "asm_int.h"

#include <stdlib.h>
#include <string.h>

static uint32_t hash(uint32_t scope, const char *name, size_t len)
{
	uint32_t h = 2166136261u ^ scope;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return h ^ (h >> 15);
}

void symtab_free(struct symtab *t)
{
	for (unsigned i = 0; i < t->n; i++)
		free(t->v[i].defs);
	free(t->v);
	free(t->slot_scope);
	free(t->slot_idx);
	memset(t, 0, sizeof *t);
}

/* The slot holding (scope, name), or the free slot where it would go. */
static unsigned slot_of(const struct symtab *t, uint32_t scope, const char *name, size_t len)
{
	unsigned mask = t->nslots - 1, i = hash(scope, name, len) & mask;

	for (;; i = (i + 1) & mask) {
		uint32_t idx = t->slot_idx[i];
		if (!idx)
			return i;
		const struct sym *s = &t->v[idx - 1];
		if (t->slot_scope[i] == scope && s->len == len && !memcmp(s->name, name, len))
			return i;
	}
}

static void insert_slot(struct symtab *t, uint32_t scope, unsigned idx)
{
	if ((t->used + 1) * 2 > t->nslots) {
		unsigned old = t->nslots;
		uint32_t *os = t->slot_scope, *oi = t->slot_idx;
		t->nslots = old ? old * 2 : 1024;
		t->slot_scope = calloc(t->nslots, sizeof *t->slot_scope);
		t->slot_idx = calloc(t->nslots, sizeof *t->slot_idx);
		if (!t->slot_scope || !t->slot_idx)
			asm_oom();
		for (unsigned i = 0; i < old; i++) {
			if (oi[i]) {
				const struct sym *s = &t->v[oi[i] - 1];
				unsigned j = slot_of(t, os[i], s->name, s->len);
				t->slot_scope[j] = os[i];
				t->slot_idx[j] = oi[i];
			}
		}
		free(os);
		free(oi);
	}
	const struct sym *s = &t->v[idx];
	unsigned j = slot_of(t, scope, s->name, s->len);
	t->slot_scope[j] = scope;
	t->slot_idx[j] = idx + 1;
	t->used++;
}

struct sym *sym_find(struct asm_ctx *a, uint32_t scope, const char *name, size_t len)
{
	struct symtab *t = &a->st;

	if (!t->nslots)
		return NULL;
	unsigned i = slot_of(t, scope, name, len);
	return t->slot_idx[i] ? &t->v[t->slot_idx[i] - 1] : NULL;
}

/* Find or create the unit's entry for name.  May move every struct sym. */
struct sym *sym_get(struct asm_ctx *a, uint32_t scope, const char *name, size_t len)
{
	struct symtab *t = &a->st;
	struct sym *s = sym_find(a, scope, name, len);

	if (s)
		return s;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->v = asm_xrealloc(t->v, t->cap * sizeof *t->v);
	}
	s = &t->v[t->n];
	memset(s, 0, sizeof *s);
	s->name = name;
	s->len = (uint32_t)len;
	s->unit = scope;
	insert_slot(t, scope, t->n++);
	return s;
}

struct sym *sym_resolve(struct asm_ctx *a, unsigned unit, const char *name, size_t len)
{
	struct sym *s = sym_find(a, unit, name, len), *g;

	if (s && s->defined)
		return s;
	g = sym_find(a, SCOPE_GLOBAL, name, len);
	return g ? g : s;
}

/* s is defined and .globl in its unit: publish it, once per name. */
void sym_export(struct asm_ctx *a, struct sym *s)
{
	struct sym *g = sym_find(a, SCOPE_GLOBAL, s->name, s->len);
	char q[64];

	if (g == s)
		return;
	if (g) {
		asm_quote(q, sizeof q, s->name, s->len);
		asm_error(a, a->line, "duplicate global symbol '%s': defined at %s:%u and %s:%u",
			  q, a->srcs[g->def.src].path, g->def.line,
			  a->srcs[s->def.src].path, s->def.line);
		return;
	}
	insert_slot(&a->st, SCOPE_GLOBAL, (unsigned)(s - a->st.v));
}

static bool redefined(struct asm_ctx *a, struct sym *s, const char *at)
{
	char q[64];

	if (!s->defined)
		return false;
	asm_quote(q, sizeof q, s->name, s->len);
	asm_error(a, at, "symbol '%s' is already defined at %s:%u", q,
		  a->srcs[s->def.src].path, s->def.line);
	return true;
}

void sym_define_label(struct asm_ctx *a, const char *name, size_t len, const char *at)
{
	struct sym *s;

	if (a->pass != 1)
		return;
	s = sym_get(a, a->unit, name, len);
	if (redefined(a, s, at))
		return;
	s->kind = SYM_LABEL;
	s->defined = true;
	s->sect = a->sect;
	s->off = a->off[a->sect];
	s->def = asm_here(a, at);
	if (s->global)
		sym_export(a, s);
}

/* "N:" - numeric local labels keep every definition in order; a pass
 * moves a cursor over them so that Nb/Nf find the neighbours. */
void sym_define_num(struct asm_ctx *a, const char *name, size_t len, const char *at)
{
	struct sym *s;

	(void)at;
	while (len > 1 && *name == '0')
		name++, len--;
	s = sym_get(a, a->unit, name, len);
	s->kind = SYM_NUM;
	if (a->pass == 1) {
		if (s->ndefs == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 4;
			s->defs = asm_xrealloc(s->defs, s->cap * sizeof *s->defs);
		}
		s->defs[s->ndefs++] = (struct numdef){ a->sect, a->off[a->sect] };
	}
	s->cursor++;
}

void sym_define_equ(struct asm_ctx *a, const char *name, size_t len, const char *at,
		    struct cur *c)
{
	const char *expr;
	struct sym *s;
	struct val v;

	cur_ws(c);
	expr = c->p;
	if (a->pass == 1) {
		s = sym_get(a, a->unit, name, len);
		if (redefined(a, s, at))
			return;
		if (!expr_parse(a, c, &v))
			return;
		s = sym_find(a, a->unit, name, len);
		s->kind = SYM_EQU;
		s->defined = true;
		s->sect = a->sect;
		s->off = a->off[a->sect];
		s->expr = expr;
		s->exprlen = (size_t)(c->p - expr);
		s->def = asm_here(a, at);
		s->state = v.known ? EQU_DONE : EQU_PENDING;
		s->value = v.v;
		if (s->global)
			sym_export(a, s);
		return;
	}
	s = sym_find(a, a->unit, name, len);
	if (!s || s->kind != SYM_EQU || s->def.seq != a->seq)
		return;		/* not the line that defined it (pass 1 refused this one) */
	s->state = EQU_BUSY;
	if (!expr_parse(a, c, &v)) {
		s = sym_find(a, a->unit, name, len);
		s->state = EQU_FAILED;
		return;
	}
	s = sym_find(a, a->unit, name, len);
	s->state = EQU_DONE;
	s->value = v.v;
}
