/*
 * expr.c - expressions: C operators and precedence over 64-bit signed
 * values, symbols, '.', numeric local labels (1b, 1f), %hi() and %lo().
 *
 * In pass 1 a label has no address yet: any expression that uses one (or
 * '.') is "not known", which only matters where pass 1 must decide a size
 * (.org, .space, .align, li).  In pass 2 everything is known or an error.
 */
#include "asm_int.h"

#include <string.h>

uint32_t asm_addr(const struct asm_ctx *a, unsigned unit, unsigned sect, uint32_t off)
{
	return a->base[sect] + a->units[unit].base[sect] + off;
}

static bool parse_binary(struct asm_ctx *a, struct cur *c, int minprec, struct val *out);

/* Evaluate an .equ's stored text where it was defined (pass 2 only). */
static bool equ_eval(struct asm_ctx *a, struct sym *s)
{
	unsigned scope = a->escope;
	bool fixed = a->edot_fixed;
	uint8_t dsect = a->edot_sect;
	uint32_t doff = a->edot_off;
	struct cur c = { s->expr, s->expr + s->exprlen, s->expr };
	struct val v;
	bool ok;

	s->state = EQU_BUSY;
	a->escope = s->unit;
	a->edot_fixed = true;
	a->edot_sect = s->sect;
	a->edot_off = s->off;
	a->quiet++;
	ok = parse_binary(a, &c, 1, &v) && v.known;
	a->quiet--;
	a->escope = scope;
	a->edot_fixed = fixed;
	a->edot_sect = dsect;
	a->edot_off = doff;
	/* s may have moved if the table grew: look it up again. */
	s = sym_find(a, s->unit, s->name, s->len);
	s->state = ok ? EQU_DONE : EQU_FAILED;
	s->value = ok ? v.v : 0;
	return ok;
}

bool expr_sym_value(struct asm_ctx *a, const char *at, struct sym *s, struct val *out)
{
	char q[64];

	out->v = 0;
	out->known = false;
	switch (s->kind) {
	case SYM_LABEL:
		if (a->pass == 2) {
			out->v = asm_addr(a, s->unit, s->sect, s->off);
			out->known = true;
		}
		return true;
	case SYM_EQU:
		if (s->state == EQU_PENDING && a->pass == 2) {
			unsigned unit = s->unit;
			const char *name = s->name;
			size_t len = s->len;
			equ_eval(a, s);
			s = sym_find(a, unit, name, len);
		}
		if (s->state == EQU_DONE) {
			out->v = s->value;
			out->known = true;
		} else if (a->pass == 2) {
			asm_quote(q, sizeof q, s->name, s->len);
			if (a->etoo_deep)
				asm_error(a, at, "value of '%s' cannot be computed (expressions or .equ "
					  "definitions nested more than %d deep)", q, MAX_EXPR_DEPTH);
			else
				asm_error(a, at, s->state == EQU_BUSY ? "circular definition of '%s'"
					  : "value of '%s' cannot be computed (undefined or circular)", q);
			return false;
		}
		return true;
	default:
		if (a->pass == 2) {
			asm_quote(q, sizeof q, s->name, s->len);
			asm_error(a, at, "undefined symbol '%s'", q);
			return false;
		}
		return true;
	}
}

/* "1b" / "1f": the nearest "1:" before / after this point of the unit. */
static bool numeric_ref(struct asm_ctx *a, struct cur *c, const char *at, size_t ndig,
			struct val *out)
{
	const char *d = at;
	char dir = (char)(c->p[-1] | 0x20);
	struct sym *s;

	while (ndig > 1 && *d == '0')
		d++, ndig--;
	out->known = false;
	out->v = 0;
	s = sym_find(a, a->escope, d, ndig);
	if (a->pass == 1)
		return true;
	if (s && s->kind == SYM_NUM) {
		unsigned i = dir == 'b' ? s->cursor - 1 : s->cursor;
		if (dir == 'b' ? s->cursor > 0 : s->cursor < s->ndefs) {
			out->v = asm_addr(a, s->unit, s->defs[i].sect, s->defs[i].off);
			out->known = true;
			return true;
		}
	}
	asm_error(a, at, "no local label '%.*s:' %s this point", (int)ndig, d,
		  dir == 'b' ? "before" : "after");
	return false;
}

static bool parse_unary(struct asm_ctx *a, struct cur *c, struct val *out);

static bool parse_primary(struct asm_ctx *a, struct cur *c, struct val *out)
{
	const char *at;
	size_t n;

	cur_ws(c);
	at = c->p;
	out->known = true;
	out->v = 0;
	if (c->p >= c->end) {
		asm_error(a, at, "expected an expression");
		return false;
	}
	if (*c->p == '(') {
		c->p++;
		if (!parse_binary(a, c, 1, out))
			return false;
		if (!cur_eat(c, ')')) {
			asm_error(a, c->p, "expected ')'");
			return false;
		}
		return true;
	}
	if (*c->p >= '0' && *c->p <= '9') {
		const char *q = c->p;
		while (q < c->end && *q >= '0' && *q <= '9')
			q++;
		if (q < c->end && (*q == 'b' || *q == 'f' || *q == 'B' || *q == 'F') &&
		    (q + 1 >= c->end || !is_ident_char((unsigned char)q[1]))) {
			c->p = q + 1;
			return numeric_ref(a, c, at, (size_t)(q - at), out);
		}
		return lex_number(a, c, &out->v);
	}
	if (*c->p == '\'')
		return lex_char(a, c, &out->v);
	if (*c->p == '%') {
		struct cur k = *c;
		k.p++;
		n = cur_ident(&k);
		if (n == 2 && (!strncmp(k.p, "hi", 2) || !strncmp(k.p, "lo", 2))) {
			bool hi = k.p[0] == 'h';
			k.p += 2;
			if (!cur_eat(&k, '(')) {
				asm_error(a, k.p, "expected '(' after %%%s", hi ? "hi" : "lo");
				return false;
			}
			*c = k;
			if (!parse_binary(a, c, 1, out))
				return false;
			if (!cur_eat(c, ')')) {
				asm_error(a, c->p, "expected ')'");
				return false;
			}
			out->v = hi ? (int64_t)((((uint64_t)out->v + 0x8000) >> 16) & 0xffff)
				    : (int64_t)(int16_t)(uint16_t)((uint64_t)out->v & 0xffff);
			return true;
		}
		asm_error(a, at, "expected %%hi( or %%lo(");
		return false;
	}
	n = cur_ident(c);
	if (n == 1 && *c->p == '.') {
		c->p++;
		if (a->pass == 1) {
			out->known = false;
		} else if (a->edot_fixed) {
			out->v = asm_addr(a, a->escope, a->edot_sect, a->edot_off);
		} else {
			out->v = asm_addr(a, a->unit, a->sect, a->off[a->sect]);
		}
		return true;
	}
	if (n > 0) {
		struct sym *s = sym_resolve(a, a->escope, c->p, n);
		c->p += n;
		if (!s) {
			if (a->pass == 1) {
				out->known = false;
				return true;
			}
			char q[64];
			asm_quote(q, sizeof q, at, n);
			asm_error(a, at, "undefined symbol '%s'", q);
			return false;
		}
		return expr_sym_value(a, at, s, out);
	}
	if (*c->p == '"')
		asm_error(a, at, "a string is not allowed here");
	else
		asm_error(a, at, "expected an expression");
	return false;
}

static bool parse_unary_nested(struct asm_ctx *a, struct cur *c, struct val *out);

/* Every nesting (a parenthesis, a unary operator, an .equ's value) passes
 * here, so the depth bounds the host stack whatever the source holds. */
static bool parse_unary(struct asm_ctx *a, struct cur *c, struct val *out)
{
	bool ok;

	if (a->edepth >= MAX_EXPR_DEPTH) {
		a->etoo_deep = true;
		asm_error(a, c->p, "expression nested more than %d deep", MAX_EXPR_DEPTH);
		return false;
	}
	a->edepth++;
	ok = parse_unary_nested(a, c, out);
	a->edepth--;
	return ok;
}

static bool parse_unary_nested(struct asm_ctx *a, struct cur *c, struct val *out)
{
	char op;

	cur_ws(c);
	if (c->p < c->end && (*c->p == '-' || *c->p == '+' || *c->p == '~' ||
			      (*c->p == '!' && (c->p + 1 >= c->end || c->p[1] != '=')))) {
		op = *c->p++;
		if (!parse_unary(a, c, out))
			return false;
		switch (op) {
		case '-': out->v = (int64_t)(0 - (uint64_t)out->v); break;
		case '~': out->v = ~out->v; break;
		case '!': out->v = !out->v; break;
		}
		return true;
	}
	return parse_primary(a, c, out);
}

enum { OP_NONE, OP_OROR, OP_ANDAND, OP_OR, OP_XOR, OP_AND, OP_EQ, OP_NE, OP_LT, OP_LE,
       OP_GT, OP_GE, OP_SHL, OP_SHR, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD };

/* Precedence and length of each operator; peek_op reads the text. */
static const struct { int prec, len; } ops[] = {
	[OP_OROR] = { 1, 2 },	/* || */	[OP_ANDAND] = { 2, 2 },	/* && */
	[OP_OR] = { 3, 1 },	/* | */		[OP_XOR] = { 4, 1 },	/* ^ */
	[OP_AND] = { 5, 1 },	/* & */		[OP_EQ] = { 6, 2 },	/* == */
	[OP_NE] = { 6, 2 },	/* != */	[OP_LT] = { 7, 1 },	/* < */
	[OP_LE] = { 7, 2 },	/* <= */	[OP_GT] = { 7, 1 },	/* > */
	[OP_GE] = { 7, 2 },	/* >= */	[OP_SHL] = { 8, 2 },	/* << */
	[OP_SHR] = { 8, 2 },	/* >> */	[OP_ADD] = { 9, 1 },	/* + */
	[OP_SUB] = { 9, 1 },	/* - */		[OP_MUL] = { 10, 1 },	/* * */
	[OP_DIV] = { 10, 1 },	/* / */		[OP_MOD] = { 10, 1 },	/* % */
};

/* The binary operator at c->p, OP_NONE if none: the longest match, which
 * the first two characters decide. */
static int peek_op(struct cur *c)
{
	char next;

	cur_ws(c);
	if (c->p >= c->end)
		return OP_NONE;
	next = c->p + 1 < c->end ? c->p[1] : '\0';
	switch (*c->p) {
	case '|': return next == '|' ? OP_OROR : OP_OR;
	case '&': return next == '&' ? OP_ANDAND : OP_AND;
	case '^': return OP_XOR;
	case '=': return next == '=' ? OP_EQ : OP_NONE;
	case '!': return next == '=' ? OP_NE : OP_NONE;
	case '<': return next == '<' ? OP_SHL : next == '=' ? OP_LE : OP_LT;
	case '>': return next == '>' ? OP_SHR : next == '=' ? OP_GE : OP_GT;
	case '+': return OP_ADD;
	case '-': return OP_SUB;
	case '*': return OP_MUL;
	case '/': return OP_DIV;
	case '%': return OP_MOD;
	default: return OP_NONE;
	}
}

static bool apply(struct asm_ctx *a, const char *at, int op, int64_t x, int64_t y, int64_t *r)
{
	uint64_t ux = (uint64_t)x, uy = (uint64_t)y;

	switch (op) {
	case OP_OROR: *r = x || y; break;
	case OP_ANDAND: *r = x && y; break;
	case OP_OR: *r = x | y; break;
	case OP_XOR: *r = x ^ y; break;
	case OP_AND: *r = x & y; break;
	case OP_EQ: *r = x == y; break;
	case OP_NE: *r = x != y; break;
	case OP_LT: *r = x < y; break;
	case OP_LE: *r = x <= y; break;
	case OP_GT: *r = x > y; break;
	case OP_GE: *r = x >= y; break;
	case OP_SHL:
	case OP_SHR:
		if (y < 0 || y > 63) {
			asm_error(a, at, "shift count %lld out of range 0..63", (long long)y);
			return false;
		}
		*r = op == OP_SHL ? (int64_t)(ux << y)
				  : (x < 0 ? ~(int64_t)(~ux >> y) : (int64_t)(ux >> y));
		break;
	case OP_ADD: *r = (int64_t)(ux + uy); break;
	case OP_SUB: *r = (int64_t)(ux - uy); break;
	case OP_MUL: *r = (int64_t)(ux * uy); break;
	case OP_DIV:
	case OP_MOD:
		if (y == 0) {
			asm_error(a, at, "division by zero");
			return false;
		}
		if (y == -1)	/* INT64_MIN / -1 wraps instead of trapping */
			*r = op == OP_DIV ? (int64_t)(0 - ux) : 0;
		else
			*r = op == OP_DIV ? x / y : x % y;
		break;
	}
	return true;
}

/* Precedence climbing over the table above; all operators are left
 * associative.  Both operands of && and || are always evaluated. */
static bool parse_binary(struct asm_ctx *a, struct cur *c, int minprec, struct val *out)
{
	if (!parse_unary(a, c, out))
		return false;
	for (;;) {
		int op = peek_op(c);
		const char *at = c->p;
		struct val rhs;

		if (op == OP_NONE || ops[op].prec < minprec)
			return true;
		c->p += ops[op].len;
		if (!parse_binary(a, c, ops[op].prec + 1, &rhs))
			return false;
		if (out->known && rhs.known) {
			if (!apply(a, at, op, out->v, rhs.v, &out->v))
				return false;
		} else {
			out->known = false;
			out->v = 0;
		}
	}
}

/* Parse an expression in the current scope.  Returns false after
 * reporting an error; out->known is false only in pass 1. */
bool expr_parse(struct asm_ctx *a, struct cur *c, struct val *out)
{
	a->escope = a->unit;
	a->edot_fixed = false;
	a->etoo_deep = false;
	return parse_binary(a, c, 1, out);
}

/* An expression whose value pass 1 must know (sizes, alignments). */
bool expr_const(struct asm_ctx *a, struct cur *c, int64_t *v)
{
	const char *at;
	struct val x;

	cur_ws(c);
	at = c->p;
	if (!expr_parse(a, c, &x))
		return false;
	if (!x.known) {
		asm_error(a, at, "expression must be a constant (numbers and constants "
			  "defined before this line)");
		return false;
	}
	*v = x.v;
	return true;
}
