/*
 * isa.c - views of the instruction table: the table as data, the decoder,
 * the encoder, the disassembler and the register names.
 */
#include "pg32.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const struct isa_info isa_table[ISA_NOPS] = {
#define INSN(n, opc, fmt, ops, cls, sem)				\
	[ISA_OP_##n] = { #n, opc, fmt, cls, ops, sem,			\
			 ISA_MAKE_OPCODE(opc), ISA_FMT_MASK(fmt) },
#include "pg32.def"
#undef INSN
};

const uint32_t isa_cr_wmask[ISA_NCR] = ISA_CR_WMASK_INIT;

/* Opcode byte -> table index + 1 (0: no instruction has this opcode).  A
 * duplicate opcode in the table is a compile error (-Woverride-init). */
static const uint8_t by_opcode[256] = {
#define INSN(n, opc, fmt, ops, cls, sem) [opc] = ISA_OP_##n + 1,
#include "pg32.def"
#undef INSN
};

static const char *const reg_names[ISA_NREGS] = {
	"zero", "ra", "sp", "gp", "a0", "a1", "a2", "a3",
	"t0", "t1", "t2", "t3", "s0", "s1", "s2", "s3",
};

static const char *const cr_names[ISA_NCR] = {
	"status", "tvec", "epc", "cause", "badva", "scratch",
	"ptb", "ipend", "imask", "timecmp", "icount",
};

static const char *const cause_names[ISA_NCAUSE] = {
	[ISA_CAUSE_NONE] = "none",
	[ISA_CAUSE_ILLEGAL] = "illegal",
	[ISA_CAUSE_PRIVILEGED] = "privileged",
	[ISA_CAUSE_SYSCALL] = "syscall",
	[ISA_CAUSE_BREAK] = "break",
	[ISA_CAUSE_HCALL] = "hcall",
	[ISA_CAUSE_MISALIGNED] = "misaligned",
	[ISA_CAUSE_BUS] = "bus",
	[ISA_CAUSE_PF_FETCH] = "pf-fetch",
	[ISA_CAUSE_PF_FETCH_PROT] = "pf-fetch-prot",
	[ISA_CAUSE_PF_LOAD] = "pf-load",
	[ISA_CAUSE_PF_LOAD_PROT] = "pf-load-prot",
	[ISA_CAUSE_PF_STORE] = "pf-store",
	[ISA_CAUSE_PF_STORE_PROT] = "pf-store-prot",
	[ISA_CAUSE_NPF] = "npf",
	[ISA_CAUSE_TIMER] = "timer",
	[ISA_CAUSE_CONSOLE] = "console",
	[ISA_CAUSE_DISK] = "disk",
};

static const struct isa_info *info_of_word(uint32_t w)
{
	unsigned idx = by_opcode[ISA_GET_OPCODE(w)];
	return idx ? &isa_table[idx - 1] : NULL;
}

struct isa_insn isa_decode(uint32_t w)
{
	struct isa_insn in = { .op = ISA_OP_ILLEGAL };
	const struct isa_info *info = info_of_word(w);

	if (!info || (w & info->mask) != info->match)
		return in;
	switch (info->format) {
	case ISA_FMT_R:
		in.rd = ISA_GET_A(w); in.rs1 = ISA_GET_B(w); in.rs2 = ISA_GET_C(w);
		break;
	case ISA_FMT_I:
		in.rd = ISA_GET_A(w); in.rs1 = ISA_GET_B(w); in.imm = ISA_GET_SIMM16(w);
		break;
	case ISA_FMT_IU:
		in.rd = ISA_GET_A(w); in.rs1 = ISA_GET_B(w); in.imm = (int32_t)ISA_GET_IMM16(w);
		break;
	case ISA_FMT_SH:
		in.rd = ISA_GET_A(w); in.rs1 = ISA_GET_B(w); in.imm = (int32_t)ISA_GET_SHAMT(w);
		break;
	case ISA_FMT_U:
		in.rd = ISA_GET_A(w); in.imm = (int32_t)(ISA_GET_IMM16(w) << 16);
		break;
	case ISA_FMT_S:
		in.rs2 = ISA_GET_A(w); in.rs1 = ISA_GET_B(w); in.imm = ISA_GET_SIMM16(w);
		break;
	case ISA_FMT_B:
		in.rs1 = ISA_GET_A(w); in.rs2 = ISA_GET_B(w);
		in.imm = (int32_t)((uint32_t)ISA_GET_SIMM16(w) << 2);
		break;
	case ISA_FMT_J:
		in.rd = ISA_GET_A(w);
		in.imm = (int32_t)((uint32_t)ISA_GET_SIMM20(w) << 2);
		break;
	case ISA_FMT_CRR:
		in.rd = ISA_GET_A(w); in.imm = (int32_t)ISA_GET_B(w);
		if (in.imm >= ISA_NCR)
			return (struct isa_insn){ .op = ISA_OP_ILLEGAL };
		break;
	case ISA_FMT_CRW:
		in.imm = (int32_t)ISA_GET_A(w); in.rs1 = ISA_GET_B(w);
		if (in.imm >= ISA_NCR)
			return (struct isa_insn){ .op = ISA_OP_ILLEGAL };
		break;
	case ISA_FMT_R1:
		in.rs1 = ISA_GET_B(w);
		break;
	case ISA_FMT_D:
		in.rd = ISA_GET_A(w);
		break;
	case ISA_FMT_N:
		break;
	}
	in.op = (uint16_t)(info - isa_table);
	return in;
}

static bool fits_signed(int64_t v, unsigned bits)
{
	return v >= -(INT64_C(1) << (bits - 1)) && v < (INT64_C(1) << (bits - 1));
}

int isa_encode(const struct isa_insn *in, uint32_t *word, const char **why)
{
	const struct isa_info *info;
	uint32_t w;
	int32_t imm = in->imm;

	if (in->op >= ISA_NOPS) {
		*why = "no such instruction";
		return -1;
	}
	if (in->rd >= ISA_NREGS || in->rs1 >= ISA_NREGS || in->rs2 >= ISA_NREGS) {
		*why = "register number out of range";
		return -1;
	}
	info = &isa_table[in->op];
	w = ISA_MAKE_OPCODE(info->opcode);
	switch (info->format) {
	case ISA_FMT_R:
		w |= ISA_MAKE_A(in->rd) | ISA_MAKE_B(in->rs1) | ISA_MAKE_C(in->rs2);
		break;
	case ISA_FMT_I:
	case ISA_FMT_S:
		if (!fits_signed(imm, 16)) {
			*why = "immediate out of range -32768..32767";
			return -1;
		}
		w |= info->format == ISA_FMT_I
			? ISA_MAKE_A(in->rd) | ISA_MAKE_B(in->rs1)
			: ISA_MAKE_A(in->rs2) | ISA_MAKE_B(in->rs1);
		w |= ISA_MAKE_IMM16(imm);
		break;
	case ISA_FMT_IU:
		if (imm < 0 || imm > 0xffff) {
			*why = "immediate out of range 0..65535";
			return -1;
		}
		w |= ISA_MAKE_A(in->rd) | ISA_MAKE_B(in->rs1) | ISA_MAKE_IMM16(imm);
		break;
	case ISA_FMT_SH:
		if (imm < 0 || imm > 31) {
			*why = "shift amount out of range 0..31";
			return -1;
		}
		w |= ISA_MAKE_A(in->rd) | ISA_MAKE_B(in->rs1) | (uint32_t)imm;
		break;
	case ISA_FMT_U:
		if ((uint32_t)imm & 0xffffu) {
			*why = "lui immediate must be a multiple of 0x10000";
			return -1;
		}
		w |= ISA_MAKE_A(in->rd) | ((uint32_t)imm >> 16);
		break;
	case ISA_FMT_B:
	case ISA_FMT_J: {
		unsigned bits = info->format == ISA_FMT_B ? 16 : 20;
		if (imm & 3) {
			*why = "branch target not 4-byte aligned";
			return -1;
		}
		if (!fits_signed(imm / 4, bits)) {
			*why = info->format == ISA_FMT_B
				? "branch target out of range (+-128 KiB)"
				: "jump target out of range (+-2 MiB)";
			return -1;
		}
		if (info->format == ISA_FMT_B)
			w |= ISA_MAKE_A(in->rs1) | ISA_MAKE_B(in->rs2) | ISA_MAKE_IMM16(imm / 4);
		else
			w |= ISA_MAKE_A(in->rd) | ISA_MAKE_IMM20(imm / 4);
		break;
	}
	case ISA_FMT_CRR:
	case ISA_FMT_CRW:
		if (imm < 0 || imm >= ISA_NCR) {
			*why = "no such control register";
			return -1;
		}
		w |= info->format == ISA_FMT_CRR
			? ISA_MAKE_A(in->rd) | ISA_MAKE_B(imm)
			: ISA_MAKE_A(imm) | ISA_MAKE_B(in->rs1);
		break;
	case ISA_FMT_R1:
		w |= ISA_MAKE_B(in->rs1);
		break;
	case ISA_FMT_D:
		w |= ISA_MAKE_A(in->rd);
		break;
	case ISA_FMT_N:
		break;
	}
	*word = w;
	return 0;
}

bool isa_exists(unsigned op, enum isa_variant v)
{
	return op < ISA_NOPS && (v == ISA_PG32V || !(isa_table[op].cls & ISA_C_VIRT));
}

bool isa_privileged(unsigned op, enum isa_variant v)
{
	unsigned cls = isa_exists(op, v) ? isa_table[op].cls : 0;

	if (!(cls & ISA_C_PRIV))
		return false;
	return v != ISA_PG32L || !(cls & ISA_C_LEAK);
}

unsigned isa_offenders(enum isa_variant v, unsigned *out, unsigned max)
{
	unsigned n = 0;

	for (unsigned op = 0; op < ISA_NOPS; op++) {
		if (!isa_exists(op, v) || !(isa_table[op].cls & ISA_C_SENSITIVE)
		    || isa_privileged(op, v))
			continue;
		if (n < max)
			out[n] = op;
		n++;
	}
	return n;
}

static const char *const variant_names[ISA_NVARIANT] = {
	[ISA_PG32] = "pg32", [ISA_PG32L] = "leaky", [ISA_PG32V] = "virt",
};

const char *isa_variant_name(enum isa_variant v)
{
	return (unsigned)v < ISA_NVARIANT ? variant_names[v] : "?";
}

int isa_variant_parse(const char *s)
{
	for (int v = 0; v < ISA_NVARIANT; v++)
		if (!strcmp(s, variant_names[v]))
			return v;
	return -1;
}

enum isa_op isa_lookup(const char *name, size_t len)
{
	for (unsigned i = 0; i < ISA_NOPS; i++)
		if (strlen(isa_table[i].name) == len && !memcmp(isa_table[i].name, name, len))
			return (enum isa_op)i;
	return ISA_OP_ILLEGAL;
}

const char *isa_reg_name(unsigned r)
{
	return r < ISA_NREGS ? reg_names[r] : "?";
}

/* Index of the name s[0..len) in names[0..n), or -1. */
static int find_name(const char *s, size_t len, const char *const *names, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (strlen(names[i]) == len && !memcmp(names[i], s, len))
			return (int)i;
	return -1;
}

/* "<prefix>N" with N a decimal number below limit, no leading zero ("r5",
 * "cr10"; not "r05"); returns N or -1. */
static int parse_numbered(const char *s, size_t len, const char *prefix, unsigned limit)
{
	size_t p = strlen(prefix);
	unsigned v = 0;

	if (len <= p || len > p + 2 || memcmp(s, prefix, p) || (len == p + 2 && s[p] == '0'))
		return -1;
	for (size_t i = p; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	return v < limit ? (int)v : -1;
}

int isa_reg_parse(const char *s, size_t len)
{
	int r = find_name(s, len, reg_names, ISA_NREGS);

	if (r < 0 && len == 2 && !memcmp(s, "fp", 2))
		r = ISA_R_S0;
	return r >= 0 ? r : parse_numbered(s, len, "r", ISA_NREGS);
}

const char *isa_cr_name(unsigned cr)
{
	return cr < ISA_NCR ? cr_names[cr] : "?";
}

int isa_cr_parse(const char *s, size_t len)
{
	int cr = find_name(s, len, cr_names, ISA_NCR);

	return cr >= 0 ? cr : parse_numbered(s, len, "cr", ISA_NCR);
}

const char *isa_port_name(uint32_t port)
{
	switch (port) {
	case ISA_PORT_CONS_DATA: return "cons-data";
	case ISA_PORT_CONS_STATUS: return "cons-status";
	case ISA_PORT_CONS_CTRL: return "cons-ctrl";
	case ISA_PORT_DISK_SECTOR: return "disk-sector";
	case ISA_PORT_DISK_ADDR: return "disk-addr";
	case ISA_PORT_DISK_COUNT: return "disk-count";
	case ISA_PORT_DISK_CMD: return "disk-cmd";
	case ISA_PORT_DISK_STATUS: return "disk-status";
	case ISA_PORT_DISK_SIZE: return "disk-size";
	case ISA_PORT_POWER: return "power";
	case ISA_PORT_MEMSIZE: return "memsize";
	default: return "none";
	}
}

const char *isa_cause_name(unsigned cause)
{
	return cause < ISA_NCAUSE && cause_names[cause] ? cause_names[cause] : "reserved";
}

/* Append formatted text to buf at *pos, never overflowing. */
static void put(char *buf, size_t size, size_t *pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void put(char *buf, size_t size, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*pos >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *pos, size - *pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		*pos += (size_t)n < size - *pos ? (size_t)n : size - *pos - 1;
}

static void put_target(char *buf, size_t size, size_t *pos, uint32_t addr,
		       isa_symbolizer *sym, void *ctx)
{
	uint32_t off = 0;
	const char *name = sym ? sym(ctx, addr, &off) : NULL;

	if (!name)
		put(buf, size, pos, "0x%x", addr);
	else if (off)
		put(buf, size, pos, "%s+%u", name, off);
	else
		put(buf, size, pos, "%s", name);
}

int isa_disasm(uint32_t word, uint32_t pc, char *buf, size_t size,
	       isa_symbolizer *sym, void *ctx)
{
	struct isa_insn in = isa_decode(word);
	const struct isa_info *info;
	size_t pos = 0;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	if (in.op == ISA_OP_ILLEGAL) {
		put(buf, size, &pos, ".word 0x%08x", word);
		return (int)pos;
	}
	info = &isa_table[in.op];
	put(buf, size, &pos, "%-8s", info->name);
	for (const char *p = info->operands; *p; p++) {
		switch (*p) {
		case ',': put(buf, size, &pos, ", "); break;
		case 'd': put(buf, size, &pos, "%s", reg_names[in.rd]); break;
		case 's': put(buf, size, &pos, "%s", reg_names[in.rs1]); break;
		case 't': put(buf, size, &pos, "%s", reg_names[in.rs2]); break;
		case 'c': put(buf, size, &pos, "%s", cr_names[in.imm]); break;
		case 'i': case 'h': put(buf, size, &pos, "%d", in.imm); break;
		case 'u':
			put(buf, size, &pos, "0x%x",
			    info->format == ISA_FMT_U ? (uint32_t)in.imm >> 16 : (uint32_t)in.imm);
			break;
		case 'o': put(buf, size, &pos, "%d(%s)", in.imm, reg_names[in.rs1]); break;
		case 'b': case 'j':
			put_target(buf, size, &pos, pc + (uint32_t)in.imm, sym, ctx);
			break;
		}
	}
	/* Trim the padding of an operand-less mnemonic. */
	while (pos > 0 && buf[pos - 1] == ' ')
		buf[--pos] = '\0';
	return (int)pos;
}
