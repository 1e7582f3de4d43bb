/*
 * test_asm.h - helpers shared by the assembler's unit tests: assemble a
 * string in memory, read the result back with pgelf, encode the expected
 * words with isa_encode.
 */
#ifndef TEST_ASM_H
#define TEST_ASM_H

#include "asm.h"
#include "pg32.h"
#include "pgelf.h"

#include <stdbool.h>

struct asmres {
	int errors;
	char *diag;		/* everything written to the diagnostics stream */
	struct pgelf elf;	/* valid when errors == 0 */
};

/* Assemble src (named "t.s") at the default addresses. */
void ta_run(struct asmres *r, const char *src);
/* The same with options (diag is set by the helper). */
void ta_run_opt(struct asmres *r, struct asm_options *o, const char *src);
void ta_free(struct asmres *r);

/* The 32-bit little-endian word at addr of a loaded segment (asserts). */
uint32_t ta_word(const struct asmres *r, uint32_t addr);
uint8_t ta_byte(const struct asmres *r, uint32_t addr);
/* The value of symbol name (asserts it exists). */
uint32_t ta_sym(const struct asmres *r, const char *name);

/* isa_encode of one instruction (asserts it encodes). */
uint32_t ta_enc(enum isa_op op, int rd, int rs1, int rs2, int32_t imm);

#endif /* TEST_ASM_H */
