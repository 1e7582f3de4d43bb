/*
 * insn.c - instructions: the ISA's own (a view of pg32.def through
 * isa_lookup and the operand letters of isa_table) and the pseudo
 * instructions, each a short expansion into table instructions.
 */
#include "asm_int.h"

#include <string.h>

/* Field sources in a pseudo's expansion: a register is ZR (r0), RA, or
 * operand n (1-based); an immediate is operand n, or the constant k. */
#define ZR 0
#define RA (-1)

struct pexp {
	uint8_t op;			/* enum isa_op */
	int8_t rd, rs1, rs2;
	int8_t imm;			/* operand number, 0 = the constant k */
	int8_t k;
};

enum { PS_PLAIN, PS_LI, PS_LA };

struct pseudo {
	const char *name;		/* NULL: a short form of e[0].op itself */
	const char *ops;		/* operand letters as in pg32.def; x = any value */
	uint8_t kind, n;		/* PS_*, number of expansion instructions */
	struct pexp e[2];
};

static const struct pseudo pseudos[] = {
	{ "nop",  "",      PS_PLAIN, 1, { { ISA_OP_addi, ZR, ZR, ZR, 0, 0 } } },
	{ "mv",   "d,s",   PS_PLAIN, 1, { { ISA_OP_addi, 1, 2, ZR, 0, 0 } } },
	{ "not",  "d,s",   PS_PLAIN, 2, { { ISA_OP_sub, 1, ZR, 2, 0, 0 },
					  { ISA_OP_addi, 1, 1, ZR, 0, -1 } } },
	{ "neg",  "d,s",   PS_PLAIN, 1, { { ISA_OP_sub, 1, ZR, 2, 0, 0 } } },
	{ "li",   "d,x",   PS_LI, 0, { { 0 } } },
	{ "la",   "d,x",   PS_LA, 2, { { 0 } } },
	{ "j",    "j",     PS_PLAIN, 1, { { ISA_OP_jal, ZR, ZR, ZR, 1, 0 } } },
	{ NULL,   "j",     PS_PLAIN, 1, { { ISA_OP_jal, RA, ZR, ZR, 1, 0 } } },	/* jal l */
	{ "call", "j",     PS_PLAIN, 1, { { ISA_OP_jal, RA, ZR, ZR, 1, 0 } } },
	{ "ret",  "",      PS_PLAIN, 1, { { ISA_OP_jalr, ZR, RA, ZR, 0, 0 } } },
	{ "jr",   "s",     PS_PLAIN, 1, { { ISA_OP_jalr, ZR, 1, ZR, 0, 0 } } },
	{ NULL,   "s",     PS_PLAIN, 1, { { ISA_OP_jalr, RA, 1, ZR, 0, 0 } } },	/* jalr rs */
	{ "beqz", "s,b",   PS_PLAIN, 1, { { ISA_OP_beq, ZR, 1, ZR, 2, 0 } } },
	{ "bnez", "s,b",   PS_PLAIN, 1, { { ISA_OP_bne, ZR, 1, ZR, 2, 0 } } },
	{ "bltz", "s,b",   PS_PLAIN, 1, { { ISA_OP_blt, ZR, 1, ZR, 2, 0 } } },
	{ "bgez", "s,b",   PS_PLAIN, 1, { { ISA_OP_bge, ZR, 1, ZR, 2, 0 } } },
	{ "blez", "s,b",   PS_PLAIN, 1, { { ISA_OP_bge, ZR, ZR, 1, 2, 0 } } },	/* 0 >= rs */
	{ "bgtz", "s,b",   PS_PLAIN, 1, { { ISA_OP_blt, ZR, ZR, 1, 2, 0 } } },	/* 0 < rs */
	{ "bgt",  "s,t,b", PS_PLAIN, 1, { { ISA_OP_blt, ZR, 2, 1, 3, 0 } } },
	{ "ble",  "s,t,b", PS_PLAIN, 1, { { ISA_OP_bge, ZR, 2, 1, 3, 0 } } },
	{ "bgtu", "s,t,b", PS_PLAIN, 1, { { ISA_OP_bltu, ZR, 2, 1, 3, 0 } } },
	{ "bleu", "s,t,b", PS_PLAIN, 1, { { ISA_OP_bgeu, ZR, 2, 1, 3, 0 } } },
	{ "seqz", "d,s",   PS_PLAIN, 1, { { ISA_OP_sltiu, 1, 2, ZR, 0, 1 } } },
	{ "snez", "d,s",   PS_PLAIN, 1, { { ISA_OP_sltu, 1, ZR, 2, 0, 0 } } },
};

#define MAXOPS 4

struct opnd {
	int reg;		/* d s t o */
	struct val v;		/* c (the cr number), i u h o b j x */
	const char *at;
	char letter;
};

static unsigned count_letters(const char *ops)
{
	unsigned n = 0;

	for (; *ops; ops++)
		n += *ops != ',';
	return n;
}

/* Operands present on the line: top-level commas + 1 (0 if none). */
static unsigned count_operands(const struct cur *c)
{
	const char *p = c->p;
	unsigned n = 0, depth = 0;
	bool any = false;

	for (; p < c->end && *p != '#'; p++) {
		if (*p == '\'' || *p == '"') {	/* skip a literal */
			char qc = *p;
			for (p++; p < c->end && *p != qc; p++)
				if (*p == '\\')
					p++;
			any = true;
			if (p >= c->end)
				break;
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth)
			depth--;
		else if (*p == ',' && !depth)
			n++;
		if (*p != ' ' && *p != '\t' && *p != '\r')
			any = true;
	}
	return any ? n + 1 : 0;
}

static bool parse_name(struct asm_ctx *a, struct cur *c, bool cr, int *out)
{
	char low[16], q[64];
	const char *at;
	size_t n;

	cur_ws(c);
	at = c->p;
	n = cur_ident(c);
	*out = -1;
	if (n && lex_lower(low, sizeof low, at, n))
		*out = cr ? isa_cr_parse(low, n) : isa_reg_parse(low, n);
	if (*out < 0) {
		if (!n) {	/* at may be the end of the source: nothing to quote */
			asm_error(a, at, cr ? "expected a control register" : "expected a register");
			return false;
		}
		asm_quote(q, sizeof q, at, n);
		asm_error(a, at, cr ? "unknown control register '%s'"
			  : "expected a register, found '%s'", q);
		return false;
	}
	c->p += n;
	return true;
}

/* expr(reg), (reg) or expr (meaning expr(zero)). */
static bool parse_mem(struct asm_ctx *a, struct cur *c, struct opnd *o)
{
	struct cur k;
	char low[16];
	size_t n;

	cur_ws(c);
	k = *c;
	o->reg = ISA_R_ZERO;
	if (cur_eat(&k, '(')) {
		cur_ws(&k);
		n = cur_ident(&k);
		if (n && lex_lower(low, sizeof low, k.p, n) && isa_reg_parse(low, n) >= 0) {
			o->v = (struct val){ 0, true };
			*c = k;
			if (!parse_name(a, c, false, &o->reg))
				return false;
			if (!cur_eat(c, ')')) {
				asm_error(a, c->p, "expected ')'");
				return false;
			}
			return true;
		}
	}
	if (!expr_parse(a, c, &o->v))
		return false;
	if (!cur_eat(c, '('))
		return true;
	if (!parse_name(a, c, false, &o->reg))
		return false;
	if (!cur_eat(c, ')')) {
		asm_error(a, c->p, "expected ')'");
		return false;
	}
	return true;
}

static bool parse_operands(struct asm_ctx *a, struct cur *c, const char *ops, struct opnd *o)
{
	unsigned i = 0;

	for (const char *l = ops; *l; l++) {
		if (*l == ',') {
			if (!cur_eat(c, ',')) {
				asm_error(a, c->p, "expected ','");
				return false;
			}
			continue;
		}
		cur_ws(c);
		o[i].at = c->p;
		o[i].letter = *l;
		o[i].v = (struct val){ 0, true };
		switch (*l) {
		case 'd': case 's': case 't':
			if (!parse_name(a, c, false, &o[i].reg))
				return false;
			break;
		case 'c':
			if (!parse_name(a, c, true, &o[i].reg))
				return false;
			o[i].v.v = o[i].reg;
			break;
		case 'o':
			if (!parse_mem(a, c, &o[i]))
				return false;
			break;
		default:
			if (!expr_parse(a, c, &o[i].v))
				return false;
		}
		i++;
	}
	return true;
}

/* Range-check v for operand letter l at pc and set in->imm. */
static bool set_imm(struct asm_ctx *a, const char *at, char l, int64_t v, uint32_t pc,
		    const struct isa_info *info, struct isa_insn *in)
{
	switch (l) {
	case 'i': case 'o':
		if (v < -32768 || v > 32767) {
			asm_error(a, at, "%s %lld out of range -32768..32767",
				  l == 'o' ? "offset" : "immediate", (long long)v);
			return false;
		}
		break;
	case 'u':
		if (v < 0 || v > 65535) {
			asm_error(a, at, "immediate %lld out of range 0..65535", (long long)v);
			return false;
		}
		if (info->format == ISA_FMT_U)
			v <<= 16;
		break;
	case 'h':
		if (v < 0 || v > 31) {
			asm_error(a, at, "shift amount %lld out of range 0..31", (long long)v);
			return false;
		}
		break;
	case 'b': case 'j': {
		int64_t lim = l == 'b' ? INT64_C(1) << 17 : INT64_C(1) << 21;
		if (v < -(INT64_C(1) << 31) || v > (int64_t)UINT32_MAX) {
			asm_error(a, at, "target %s0x%llx is not a 32-bit address", v < 0 ? "-" : "",
				  (unsigned long long)(v < 0 ? -(uint64_t)v : (uint64_t)v));
			return false;
		}
		/* The machine adds the offset to pc modulo 2^32 (ISA.md 4.6). */
		v = (int32_t)((uint32_t)v - pc);
		if (v & 3) {
			asm_error(a, at, "target is not 4-byte aligned");
			return false;
		}
		if (v < -lim || v >= lim) {
			asm_error(a, at, "target out of range (offset %lld, limit +-%lld KiB)",
				  (long long)v, (long long)(lim >> 10));
			return false;
		}
		break;
	}
	}
	in->imm = (int32_t)v;
	return true;
}

/* Encode and emit one instruction (pass 2), or only count it (pass 1). */
static void put_insn(struct asm_ctx *a, const char *at, const struct isa_insn *in)
{
	const char *why;
	uint32_t w;
	uint8_t b[4];

	if (a->pass == 2 && isa_encode(in, &w, &why)) {
		asm_error(a, at, "%s", why);
		return;
	}
	if (a->pass == 1)
		w = 0;
	b[0] = (uint8_t)w, b[1] = (uint8_t)(w >> 8), b[2] = (uint8_t)(w >> 16), b[3] = (uint8_t)(w >> 24);
	asm_emit(a, b, 4);
}

static uint32_t pc_now(const struct asm_ctx *a)
{
	return asm_addr(a, a->unit, a->sect, a->off[a->sect]);
}

static void isa_insn_emit(struct asm_ctx *a, enum isa_op op, const struct opnd *o,
			  const char *at)
{
	const struct isa_info *info = &isa_table[op];
	struct isa_insn in = { .op = (uint16_t)op };
	unsigned i = 0;

	if (a->pass == 1) {	/* values may be unknown yet: count only */
		put_insn(a, at, &in);
		return;
	}
	for (const char *l = info->operands; *l; l++) {
		if (*l == ',')
			continue;
		switch (*l) {
		case 'd': in.rd = (uint8_t)o[i].reg; break;
		case 's': in.rs1 = (uint8_t)o[i].reg; break;
		case 't': in.rs2 = (uint8_t)o[i].reg; break;
		case 'o': in.rs1 = (uint8_t)o[i].reg; /* fall through */
		default:
			if (!set_imm(a, o[i].at, *l, o[i].v.v, pc_now(a), info, &in))
				return;
		}
		i++;
	}
	put_insn(a, at, &in);
}

static int preg(const struct opnd *o, int src)
{
	return src == ZR ? ISA_R_ZERO : src == RA ? ISA_R_RA : o[src - 1].reg;
}

static void emit_simple(struct asm_ctx *a, const char *at, enum isa_op op, int rd, int rs1,
			int64_t imm)
{
	struct isa_insn in = { .op = (uint16_t)op, .rd = (uint8_t)rd, .rs1 = (uint8_t)rs1,
			       .imm = (int32_t)imm };
	put_insn(a, at, &in);
}

/* li: one instruction when pass 1 knows a value that fits, else lui+ori. */
static void do_li(struct asm_ctx *a, const struct pseudo *p, const struct opnd *o,
		  const char *at)
{
	int64_t v = o[1].v.v;
	int32_t s = (int32_t)(uint32_t)v;
	bool two = p->kind == PS_LA;

	if (o[1].v.known && (v < INT32_MIN || v > (int64_t)UINT32_MAX)) {
		asm_error(a, o[1].at, "value %lld does not fit in 32 bits", (long long)v);
		return;
	}
	if (p->kind == PS_LI) {
		if (a->pass == 1) {
			two = !o[1].v.known || !(s == (int16_t)s || (s & 0xffff) == 0 ||
						 (s >= 0 && s <= 0xffff));
			if (two)
				a->linfo[a->seq] |= LI_LONG;
		} else {
			two = a->linfo[a->seq] & LI_LONG;
		}
	}
	if (a->pass == 1) {
		emit_simple(a, at, ISA_OP_lui, 0, 0, 0);
		if (two)
			emit_simple(a, at, ISA_OP_lui, 0, 0, 0);
	} else if (two) {
		emit_simple(a, at, ISA_OP_lui, o[0].reg, 0, (int64_t)((uint32_t)s & 0xffff0000u));
		emit_simple(a, at, ISA_OP_ori, o[0].reg, o[0].reg, (uint32_t)s & 0xffffu);
	} else if (s == (int16_t)s) {
		emit_simple(a, at, ISA_OP_addi, o[0].reg, ISA_R_ZERO, s);
	} else if (s >= 0 && s <= 0xffff) {
		emit_simple(a, at, ISA_OP_ori, o[0].reg, ISA_R_ZERO, s);
	} else if ((s & 0xffff) == 0) {
		emit_simple(a, at, ISA_OP_lui, o[0].reg, 0, s);
	} else {
		asm_error(a, o[1].at, "li value changed after pass 1: define its symbols "
			  "before use");
	}
}

static void pseudo_emit(struct asm_ctx *a, const struct pseudo *p, const struct opnd *o,
			const char *at)
{
	uint32_t pc = pc_now(a);

	if (p->kind != PS_PLAIN) {
		do_li(a, p, o, at);
		return;
	}
	for (unsigned i = 0; i < p->n; i++) {
		const struct pexp *e = &p->e[i];
		const struct isa_info *info = &isa_table[e->op];
		struct isa_insn in = { .op = e->op, .rd = (uint8_t)preg(o, e->rd),
				       .rs1 = (uint8_t)preg(o, e->rs1),
				       .rs2 = (uint8_t)preg(o, e->rs2), .imm = e->k };
		if (a->pass == 2 && e->imm) {
			const struct opnd *x = &o[e->imm - 1];
			if (!set_imm(a, x->at, x->letter, x->v.v, pc + 4 * i, info, &in))
				return;
		}
		put_insn(a, at, &in);
	}
}

/* The pseudo named mn (or the short form of op) with n operands; with
 * !exact, the first of that name if none has n.  NULL if there is none. */
static const struct pseudo *find_pseudo(const char *mn, enum isa_op op, unsigned n, bool exact)
{
	const struct pseudo *any = NULL;

	for (size_t i = 0; i < sizeof pseudos / sizeof pseudos[0]; i++) {
		const struct pseudo *p = &pseudos[i];
		if (p->name ? strcmp(p->name, mn) != 0 : op == ISA_OP_ILLEGAL || p->e[0].op != op)
			continue;
		if (count_letters(p->ops) == n)
			return p;
		if (!any)
			any = p;
	}
	return exact ? NULL : any;
}

void asm_insn(struct asm_ctx *a, struct cur *c, const char *mn, size_t len)
{
	char low[16], q[64];
	struct opnd o[MAXOPS];
	const struct pseudo *p = NULL;
	const char *ops;
	enum isa_op op = ISA_OP_ILLEGAL;
	unsigned n = count_operands(c);

	if (lex_lower(low, sizeof low, mn, len))
		op = isa_lookup(low, len);
	else
		low[0] = '\0';
	if (op != ISA_OP_ILLEGAL && count_letters(isa_table[op].operands) == n)
		ops = isa_table[op].operands;
	else if ((p = find_pseudo(low, op, n, op != ISA_OP_ILLEGAL)))
		ops = p->ops;
	else if (op != ISA_OP_ILLEGAL)
		ops = isa_table[op].operands;
	else {
		asm_quote(q, sizeof q, mn, len);
		asm_error(a, mn, "unknown instruction '%s'", q);
		return;
	}
	if (count_letters(ops) != n) {
		asm_error(a, mn, "'%s' takes %u operand%s (%s), found %u", low,
			  count_letters(ops), count_letters(ops) == 1 ? "" : "s",
			  *ops ? ops : "none", n);
		return;
	}
	if (a->sect == SEC_BSS) {
		asm_error(a, mn, "instructions are not allowed in .bss");
		return;
	}
	if (a->off[a->sect] & 3) {
		asm_error(a, mn, "instruction at an address that is not 4-byte aligned");
		return;
	}
	if (!parse_operands(a, c, ops, o))
		return;
	if (!cur_end(c))
		return;		/* the caller reports what follows */
	if (p)
		pseudo_emit(a, p, o, mn);
	else
		isa_insn_emit(a, op, o, mn);
}
