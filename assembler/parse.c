/*
 * parse.c - one source line: labels ("name:", "N:"), "name = expr", then
 * one directive or instruction; and the emission of bytes into the current
 * section.
 */
#include "asm_int.h"

#include <stdlib.h>
#include <string.h>

static const uint32_t piece_limit[NSEC] = { MAX_PIECE, MAX_PIECE, 0xffffffffu };
static const char *const sect_name[NSEC] = { ".text", ".data", ".bss" };

/* Check that n more bytes fit the current piece. */
static bool room(struct asm_ctx *a, uint64_t n, const char *at)
{
	if (a->off[a->sect] + n > piece_limit[a->sect]) {
		asm_error(a, at, "%s is too large (limit %u MiB per file)",
			  sect_name[a->sect], (unsigned)(piece_limit[a->sect] >> 20));
		return false;
	}
	return true;
}

/* Where pass 2 writes offset off of the current piece, NULL if outside
 * what pass 1 measured (only after an error) or in .bss. */
static uint8_t *out_ptr(struct asm_ctx *a, uint32_t n)
{
	const struct unit *u = &a->units[a->unit];
	uint32_t off = a->off[a->sect];

	if (a->pass != 2 || a->sect == SEC_BSS || !a->data[a->sect] ||
	    off + (uint64_t)n > u->size[a->sect])
		return NULL;
	return a->data[a->sect] + u->base[a->sect] + off;
}

void asm_emit(struct asm_ctx *a, const uint8_t *bytes, uint32_t n)
{
	uint8_t *p;

	if (!room(a, n, a->line))
		return;
	if ((p = out_ptr(a, n)))
		memcpy(p, bytes, n);
	a->off[a->sect] += n;
}

void asm_emit_byte(struct asm_ctx *a, uint8_t b)
{
	asm_emit(a, &b, 1);
}

/* Skip n bytes (filled with zeros; .bss has no contents). */
bool asm_advance(struct asm_ctx *a, uint64_t n, const char *at)
{
	if (!room(a, n, at))
		return false;
	/* The section buffers start zeroed: nothing to write. */
	a->off[a->sect] += (uint32_t)n;
	return true;
}

/* Labels, then at most one statement. */
static void statement(struct asm_ctx *a, struct cur *c)
{
	char q[64];

	for (;;) {
		const char *at;
		struct cur k;
		size_t n;

		if (cur_end(c))
			return;
		at = c->p;
		if (*at >= '0' && *at <= '9') {
			k = *c;
			while (k.p < k.end && *k.p >= '0' && *k.p <= '9')
				k.p++;
			n = (size_t)(k.p - at);
			if (cur_eat(&k, ':')) {
				sym_define_num(a, at, n, at);
				*c = k;
				continue;
			}
			asm_error(a, at, "expected a label, a directive or an instruction");
			return;
		}
		n = cur_ident(c);
		if (!n) {
			asm_quote(q, sizeof q, at, 1);
			asm_error(a, at, "unexpected character '%s'", q);
			return;
		}
		k = *c;
		k.p += n;
		if (cur_eat(&k, ':')) {
			sym_define_label(a, at, n, at);
			*c = k;
			continue;
		}
		cur_ws(&k);
		if (k.p < k.end && *k.p == '=' && (k.p + 1 >= k.end || k.p[1] != '=')) {
			k.p++;
			sym_define_equ(a, at, n, at, &k);
			*c = k;
			return;
		}
		c->p += n;
		if (*at == '.')
			asm_directive(a, c, at, n);
		else
			asm_insn(a, c, at, n);
		return;
	}
}

void asm_line(struct asm_ctx *a)
{
	struct cur c = { a->line, a->line + a->linelen, a->line };
	unsigned long seq = ++a->seq;
	uint8_t sect = a->sect;
	uint32_t from = a->off[sect];
	bool quiet = false;
	char q[64];

	a->line_err = false;
	if (a->pass == 1) {
		if (seq >= a->linfo_cap) {
			a->linfo_cap = a->linfo_cap ? a->linfo_cap * 2 : 4096;
			a->linfo = asm_xrealloc(a->linfo, a->linfo_cap);
			a->lend = asm_xrealloc(a->lend, a->linfo_cap * sizeof *a->lend);
		}
		a->linfo[seq] = 0;
	} else if (seq < a->linfo_cap && (a->linfo[seq] & LI_ERR)) {
		a->quiet++;	/* reported in pass 1 already */
		quiet = true;
	}
	statement(a, &c);
	if (a->seq == seq) {	/* not an .include, which checked its own line */
		if (!cur_end(&c)) {
			asm_quote(q, sizeof q, c.p, 1);
			asm_error(a, c.p, "unexpected '%s' after the statement", q);
		}
		if (a->pass == 1)
			a->lend[seq] = a->off[a->sect];
		else if (seq < a->linfo_cap && a->off[a->sect] != a->lend[seq]) {
			/* An error cut the line short: keep later addresses
			 * right.  Without one, the passes disagree, which the
			 * layout (and the listing) cannot survive. */
			if (!a->line_err && !quiet) {
				asm_error(a, a->line, "internal error: this line's size differs "
					  "between the passes (%u, then %u bytes)",
					  a->lend[seq] - from, a->off[a->sect] - from);
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
				abort();	/* for the fuzzer: an assembler bug */
#endif
			}
			a->off[a->sect] = a->lend[seq];
		}
		if (a->pass == 2 && a->opt.listing)
			listing_line(a, sect, from, a->sect == sect ? a->off[sect] : from);
	}
	if (quiet)
		a->quiet--;
}
