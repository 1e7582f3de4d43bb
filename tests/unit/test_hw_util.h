/*
 * test_hw_util.h - helpers for the machine's unit tests (test_hw_*.c):
 * build a machine, place instruction words built with isa_encode (so the
 * tests depend on the ISA table, not on the assembler), run, and look.
 */
#ifndef TEST_HW_UTIL_H
#define TEST_HW_UTIL_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "asm.h"
#include "hw.h"
#include "hw_priv.h"
#include "pg32.h"
#include "pgelf.h"

/* One instruction word; aborts the test if it does not encode. */
static inline uint32_t enc(enum isa_op op, unsigned rd, unsigned rs1, unsigned rs2, int32_t imm)
{
	struct isa_insn in = { .op = (uint16_t)op, .rd = (uint8_t)rd, .rs1 = (uint8_t)rs1,
			       .rs2 = (uint8_t)rs2, .imm = imm };
	uint32_t w = 0;
	const char *why = "";

	cr_assert_eq(isa_encode(&in, &w, &why), 0, "encode %s: %s", isa_table[op].name, why);
	return w;
}

/* Shorthands by format (register operands in assembly order). */
#define R3(op, d, s, t)	enc(ISA_OP_##op, d, s, t, 0)
#define RI(op, d, s, i)	enc(ISA_OP_##op, d, s, 0, i)	/* I, IU, SH: d, s, i */
#define LD(op, d, i, s)	enc(ISA_OP_##op, d, s, 0, i)	/* loads: d, i(s) */
#define LUI(d, u)	enc(ISA_OP_lui, d, 0, 0, (int32_t)((uint32_t)(u) << 16))
#define ST(op, t, i, s)	enc(ISA_OP_##op, 0, s, t, i)	/* store t -> i(s) */
#define BR(op, s, t, off) enc(ISA_OP_##op, 0, s, t, off)	/* byte offset */
#define JAL(d, off)	enc(ISA_OP_jal, d, 0, 0, off)
#define JALR(d, i, s)	enc(ISA_OP_jalr, d, s, 0, i)
#define MFCR(d, c)	enc(ISA_OP_mfcr, d, 0, 0, c)
#define MTCR(c, s)	enc(ISA_OP_mtcr, 0, s, 0, c)
#define OUT(t, i, s)	enc(ISA_OP_out, 0, s, t, i)
#define IN(d, i, s)	enc(ISA_OP_in, d, s, 0, i)
#define N(op)		enc(ISA_OP_##op, 0, 0, 0, 0)
#define TLBINV(s)	enc(ISA_OP_tlbinv, 0, s, 0, 0)

/* Register numbers by ABI name. */
enum { ZERO, RA, SP, GP, A0, A1, A2, A3, T0, T1, T2, T3, S0, S1, S2, S3 };

struct hwt {
	struct machine *m;
	struct hw_exit ex;
	char err[256];
	FILE *out;		/* console output, read back with hwt_output */
	char *outbuf;
	size_t outlen;
	struct pgelf elf;	/* the last program hwt_asm loaded */
	bool have_elf;
};

static inline void hwt_init_isa(struct hwt *t, uint32_t mib, int in_fd, const char *disk,
				enum isa_variant isa)
{
	memset(t, 0, sizeof *t);
	t->out = open_memstream(&t->outbuf, &t->outlen);
	cr_assert(t->out);
	struct hw_config cfg = { .mem_mib = mib, .cons_out = t->out, .cons_in_fd = in_fd,
				 .disk_path = disk, .isa = isa };
	cr_assert_eq(hw_new(&cfg, &t->m, t->err, sizeof t->err), 0, "hw_new: %s", t->err);
}

static inline void hwt_init_cfg(struct hwt *t, uint32_t mib, int in_fd, const char *disk)
{
	hwt_init_isa(t, mib, in_fd, disk, ISA_PG32);
}

static inline void hwt_init(struct hwt *t)
{
	hwt_init_cfg(t, 1, -1, NULL);
}

static inline void hwt_fini(struct hwt *t)
{
	if (t->have_elf)
		pgelf_free(&t->elf);
	hw_free(t->m);
	fclose(t->out);
	free(t->outbuf);
}

/* Console output so far, NUL-terminated. */
static inline const char *hwt_output(struct hwt *t)
{
	fflush(t->out);
	return t->outbuf ? t->outbuf : "";
}

/* Write words at physical address pa. */
static inline void hwt_put(struct hwt *t, uint32_t pa, const uint32_t *w, size_t n)
{
	cr_assert_eq(hw_phys_write(t->m, pa, w, n * 4), 0);
}
#define PUT(t, pa, ...) do {						\
		const uint32_t w_[] = { __VA_ARGS__ };			\
		hwt_put(t, pa, w_, sizeof w_ / sizeof w_[0]);		\
	} while (0)

static inline uint32_t hwt_word(struct hwt *t, uint32_t pa)
{
	uint32_t v = 0;
	cr_assert_eq(hw_phys_read(t->m, pa, &v, 4), 0);
	return v;
}

static inline enum hw_exit_reason hwt_run(struct hwt *t)
{
	return hw_run(t->m, &t->ex);
}

/* Run expecting a power-off; returns the code. */
static inline uint32_t hwt_run_off(struct hwt *t)
{
	enum hw_exit_reason r = hw_run(t->m, &t->ex);
	cr_assert_eq(r, HW_EXIT_POWEROFF, "exit %d at pc 0x%x (cause %u)", r, t->ex.pc,
		     t->ex.u.trap.cause);
	return t->ex.u.power.code;
}

/* Assemble src (text at 0x1000, data on the next page) and load it:
 * the machine is reset with pc at the entry. */
static inline void hwt_asm(struct hwt *t, const char *src)
{
	uint8_t *img = NULL;
	size_t size = 0;
	char err[256];
	FILE *diag = tmpfile();
	struct asm_options o = { .diag = diag };

	if (asm_string(&o, "test.s", src, &img, &size)) {
		char line[512];
		rewind(diag);
		while (fgets(line, sizeof line, diag))
			cr_log_error("%s", line);
		cr_assert_fail("assembly failed");
	}
	fclose(diag);
	if (t->have_elf)
		pgelf_free(&t->elf);
	cr_assert_eq(pgelf_parse(img, size, &t->elf, err, sizeof err), 0, "%s", err);
	t->have_elf = true;
	cr_assert_eq(hw_load_pgelf(t->m, &t->elf, "test.s", err, sizeof err), 0, "%s", err);
}

/* The value of a label of the last program hwt_asm loaded. */
static inline uint32_t hwt_sym(struct hwt *t, const char *name)
{
	const struct pgelf_symbol *s = pgelf_lookup(&t->elf, name);

	cr_assert(s, "no symbol %s", name);
	return s->value;
}

#define REG(t, r)	hw_get_reg((t)->m, r)
#define CR(t, c)	hw_get_cr((t)->m, ISA_CR_##c)

/* Words that power off with the code in register r: out r, 0x20(zero). */
#define POWEROFF(r)	OUT(r, ISA_PORT_POWER, ZERO)

#endif /* TEST_HW_UTIL_H */
