/*
 * directive.c - the assembler directives, one table row each.
 */
#include "asm_int.h"

#include <stdlib.h>
#include <string.h>

#define MAX_ALIGN	0x10000u

struct directive {
	const char *name;
	void (*fn)(struct asm_ctx *a, struct cur *c, const char *at, int arg);
	int arg;
	bool data;		/* puts bytes: not allowed in .bss */
};

static void d_section(struct asm_ctx *a, struct cur *c, const char *at, int sect)
{
	(void)c, (void)at;
	a->sect = (uint8_t)sect;
}

static void d_named_section(struct asm_ctx *a, struct cur *c, const char *at, int arg)
{
	static const char *const names[NSEC] = { ".text", ".data", ".bss" };
	char low[16], q[64];
	size_t n;

	(void)arg;
	cur_ws(c);
	at = c->p;
	n = cur_ident(c);
	if (n && lex_lower(low, sizeof low, c->p, n)) {
		for (int s = 0; s < NSEC; s++) {
			if (!strcmp(low, names[s])) {
				c->p += n;
				a->sect = (uint8_t)s;
				/* Accept GNU's flags and type: .section .data, "aw", @progbits */
				if (cur_eat(c, ','))
					c->p = c->end;
				return;
			}
		}
	}
	if (!n) {	/* at may be the end of the source: nothing to quote */
		asm_error(a, at, "expected a section name (.text, .data or .bss)");
		return;
	}
	asm_quote(q, sizeof q, at, n);
	asm_error(a, at, "unknown section '%s' (.text, .data or .bss)", q);
}

static void d_org(struct asm_ctx *a, struct cur *c, const char *at, int arg)
{
	int64_t v;

	(void)arg, (void)at;
	cur_ws(c);
	at = c->p;
	if (!expr_const(a, c, &v))
		return;
	if (v < a->off[a->sect]) {
		asm_error(a, at, ".org %lld is before the current offset %u: .org cannot "
			  "go backwards", (long long)v, a->off[a->sect]);
		return;
	}
	asm_advance(a, (uint64_t)v - a->off[a->sect], at);
}

/* Pad with zeros to a multiple of n bytes (n a power of two). */
static void align_to(struct asm_ctx *a, uint64_t n, const char *at)
{
	struct unit *u = &a->units[a->unit];
	uint32_t off = a->off[a->sect];

	if (n > u->align[a->sect])
		u->align[a->sect] = (uint32_t)n;
	asm_advance(a, ((uint64_t)off + n - 1) / n * n - off, at);
}

static void d_align(struct asm_ctx *a, struct cur *c, const char *at, int p2)
{
	int64_t v;

	cur_ws(c);
	at = c->p;
	if (!expr_const(a, c, &v))
		return;
	if (p2) {
		if (v < 0 || v > 16) {
			asm_error(a, at, ".p2align %lld out of range 0..16", (long long)v);
			return;
		}
		v = INT64_C(1) << v;
	} else if (v < 1 || v > MAX_ALIGN || (v & (v - 1))) {
		asm_error(a, at, "alignment %lld is not a power of two in 1..%u", (long long)v,
			  MAX_ALIGN);
		return;
	}
	align_to(a, (uint64_t)v, at);
}

static void d_data(struct asm_ctx *a, struct cur *c, const char *at, int size)
{
	static const int64_t lo[5] = { 0, -128, -32768, 0, INT32_MIN };
	static const int64_t hi[5] = { 0, 255, 65535, 0, UINT32_MAX };
	struct val v;
	uint8_t b[4];

	(void)at;
	do {
		cur_ws(c);
		at = c->p;
		if (!expr_parse(a, c, &v))
			return;
		if (v.known && (v.v < lo[size] || v.v > hi[size])) {
			asm_error(a, at, "value %lld out of range %lld..%lld", (long long)v.v,
				  (long long)lo[size], (long long)hi[size]);
			return;
		}
		for (int i = 0; i < size; i++)
			b[i] = (uint8_t)((uint64_t)v.v >> (8 * i));
		asm_emit(a, b, (uint32_t)size);
	} while (cur_eat(c, ','));
}

static void d_ascii(struct asm_ctx *a, struct cur *c, const char *at, int nul)
{
	(void)at;
	do {
		cur_ws(c);
		if (!lex_string(a, c, asm_emit_byte))
			return;
		if (nul)
			asm_emit_byte(a, 0);
	} while (cur_eat(c, ','));
}

static void d_space(struct asm_ctx *a, struct cur *c, const char *at, int arg)
{
	int64_t n, fill = 0;
	const char *fat;

	(void)arg;
	cur_ws(c);
	at = c->p;
	if (!expr_const(a, c, &n))
		return;
	if (n < 0 || n > UINT32_MAX) {
		asm_error(a, at, "size %lld out of range", (long long)n);
		return;
	}
	if (cur_eat(c, ',')) {
		cur_ws(c);
		fat = c->p;
		if (!expr_const(a, c, &fill))
			return;
		if (fill < -128 || fill > 255 || (fill && a->sect == SEC_BSS)) {
			asm_error(a, fat, a->sect == SEC_BSS ? ".bss can only be filled with 0"
				  : "fill value %lld out of range -128..255", (long long)fill);
			return;
		}
	}
	if (!fill || a->pass == 1) {
		asm_advance(a, (uint64_t)n, at);
		return;
	}
	/* A non-zero fill: write it where the zeros would be. */
	uint32_t off = a->off[a->sect];
	const struct unit *u = &a->units[a->unit];
	if (!asm_advance(a, (uint64_t)n, at))
		return;
	if (a->data[a->sect] && off + (uint64_t)n <= u->size[a->sect])
		memset(a->data[a->sect] + u->base[a->sect] + off, (int)(fill & 0xff), (size_t)n);
}

/* A symbol name operand; returns its length, 0 after an error. */
static size_t name_operand(struct asm_ctx *a, struct cur *c)
{
	size_t n;

	cur_ws(c);
	n = cur_ident(c);
	if (!n || (n == 1 && *c->p == '.'))
		asm_error(a, c->p, "expected a symbol name");
	return n == 1 && *c->p == '.' ? 0 : n;
}

static void d_equ(struct asm_ctx *a, struct cur *c, const char *at, int arg)
{
	const char *name;
	size_t n;

	(void)arg, (void)at;
	if (!(n = name_operand(a, c)))
		return;
	name = c->p;
	c->p += n;
	if (!cur_eat(c, ',')) {
		asm_error(a, c->p, "expected ',' after the name");
		return;
	}
	sym_define_equ(a, name, n, name, c);
}

static void d_globl(struct asm_ctx *a, struct cur *c, const char *at, int arg)
{
	size_t n;

	(void)arg, (void)at;
	do {
		if (!(n = name_operand(a, c)))
			return;
		if (a->pass == 1) {
			struct sym *s = sym_get(a, a->unit, c->p, n);
			if (!s->global) {
				s->global = true;
				if (s->defined)
					sym_export(a, s);
			}
		}
		c->p += n;
	} while (cur_eat(c, ','));
}

static void collect(struct asm_ctx *a, uint8_t b)
{
	if (a->slen + 1 >= a->scap) {
		a->scap = a->scap ? a->scap * 2 : 256;
		a->sbuf = asm_xrealloc(a->sbuf, a->scap);
	}
	a->sbuf[a->slen++] = b ? (char)b : '?';
}

static void d_include(struct asm_ctx *a, struct cur *c, const char *at, int arg)
{
	char q[64];

	(void)arg, (void)at;
	cur_ws(c);
	at = c->p;
	a->slen = 0;
	if (!lex_string(a, c, collect))
		return;
	if (!a->slen) {
		asm_error(a, at, "empty file name");
		return;
	}
	a->sbuf[a->slen] = '\0';
	if (!cur_end(c)) {
		asm_quote(q, sizeof q, c->p, 1);
		asm_error(a, c->p, "unexpected '%s' after the file name", q);
		return;
	}
	if (a->pass == 2 && a->opt.listing)
		listing_line(a, a->sect, a->off[a->sect], a->off[a->sect]);
	char *name = a->sbuf;	/* nested .includes reuse sbuf */
	a->sbuf = NULL;
	a->slen = a->scap = 0;
	asm_include(a, name, at);
	free(name);
}

static void d_ignore(struct asm_ctx *a, struct cur *c, const char *at, int arg)
{
	(void)a, (void)at, (void)arg;
	c->p = c->end;
}

static const struct directive directives[] = {
	{ ".text", d_section, SEC_TEXT, false },
	{ ".data", d_section, SEC_DATA, false },
	{ ".bss", d_section, SEC_BSS, false },
	{ ".section", d_named_section, 0, false },
	{ ".org", d_org, 0, false },
	{ ".align", d_align, 0, false },
	{ ".balign", d_align, 0, false },
	{ ".p2align", d_align, 1, false },
	{ ".word", d_data, 4, true },
	{ ".half", d_data, 2, true },
	{ ".byte", d_data, 1, true },
	{ ".ascii", d_ascii, 0, true },
	{ ".asciz", d_ascii, 1, true },
	{ ".string", d_ascii, 1, true },
	{ ".space", d_space, 0, false },
	{ ".zero", d_space, 0, false },
	{ ".equ", d_equ, 0, false },
	{ ".set", d_equ, 0, false },
	{ ".globl", d_globl, 0, false },
	{ ".global", d_globl, 0, false },
	{ ".include", d_include, 0, false },
	{ ".type", d_ignore, 0, false },
	{ ".size", d_ignore, 0, false },
};

void asm_directive(struct asm_ctx *a, struct cur *c, const char *name, size_t len)
{
	char low[16], q[64];

	if (lex_lower(low, sizeof low, name, len)) {
		for (size_t i = 0; i < sizeof directives / sizeof directives[0]; i++) {
			const struct directive *d = &directives[i];
			if (strcmp(d->name, low))
				continue;
			if (d->data && a->sect == SEC_BSS) {
				asm_error(a, name, "%s is not allowed in .bss (only labels, "
					  ".space/.zero and alignment)", low);
				return;
			}
			d->fn(a, c, name, d->arg);
			return;
		}
	}
	asm_quote(q, sizeof q, name, len);
	asm_error(a, name, "unknown directive '%s'", q);
}
