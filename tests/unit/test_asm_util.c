/*
 * test_asm_util.c - helpers for the assembler's unit tests (test_asm.h).
 */
#include "test_asm.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ta_run_opt(struct asmres *r, struct asm_options *o, const char *src)
{
	size_t dlen = 0, size = 0;
	uint8_t *img = NULL;
	FILE *d = open_memstream(&r->diag, &dlen);
	char err[256];

	cr_assert(d);
	o->diag = d;
	r->errors = asm_string(o, "t.s", src, &img, &size);
	fclose(d);
	memset(&r->elf, 0, sizeof r->elf);
	if (r->errors == 0) {
		cr_assert(img, "no image without errors");
		cr_assert_eq(pgelf_parse(img, size, &r->elf, err, sizeof err), 0,
			     "pgelf refused the output: %s", err);
	} else {
		cr_assert_null(img, "an image despite %d errors", r->errors);
	}
}

void ta_run(struct asmres *r, const char *src)
{
	struct asm_options o = { 0 };
	ta_run_opt(r, &o, src);
}

void ta_free(struct asmres *r)
{
	if (r->errors == 0)
		pgelf_free(&r->elf);
	free(r->diag);
}

uint8_t ta_byte(const struct asmres *r, uint32_t addr)
{
	for (unsigned i = 0; i < r->elf.nsegs; i++) {
		const struct pgelf_segment *s = &r->elf.segs[i];
		if (addr >= s->vaddr && addr - s->vaddr < s->memsz)
			return addr - s->vaddr < s->filesz ? s->data[addr - s->vaddr] : 0;
	}
	cr_assert_fail("address 0x%x is in no segment", addr);
	return 0;
}

uint32_t ta_word(const struct asmres *r, uint32_t addr)
{
	return ta_byte(r, addr) | ta_byte(r, addr + 1) << 8 | ta_byte(r, addr + 2) << 16 |
	       (uint32_t)ta_byte(r, addr + 3) << 24;
}

uint32_t ta_sym(const struct asmres *r, const char *name)
{
	const struct pgelf_symbol *s = pgelf_lookup(&r->elf, name);

	cr_assert(s, "no symbol %s", name);
	return s->value;
}

uint32_t ta_enc(enum isa_op op, int rd, int rs1, int rs2, int32_t imm)
{
	struct isa_insn in = { .op = (uint16_t)op, .rd = (uint8_t)rd, .rs1 = (uint8_t)rs1,
			       .rs2 = (uint8_t)rs2, .imm = imm };
	const char *why = NULL;
	uint32_t w = 0;

	cr_assert_eq(isa_encode(&in, &w, &why), 0, "cannot encode: %s", why);
	return w;
}
