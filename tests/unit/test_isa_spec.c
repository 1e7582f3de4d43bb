/*
 * test_isa_spec.c - isa/ISA.md against the table: the specification's
 * tables (instruction summary, opcode map, format masks, control registers,
 * causes, classification) and its encoding examples are written from
 * pg32.def and pg32.h; these tests keep them in step.
 */
#include <criterion/criterion.h>

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg32.h"

/* --- ISA.md against the table ------------------------------------------
 * The specification's tables are written from pg32.def and pg32.h; these
 * tests keep them in step.  They read isa/ISA.md relative to the source
 * tree's root, where `make unit` runs. */

#define ISA_MD "isa/ISA.md"

static const char *const fmt_names[ISA_NFMT] = {
	[ISA_FMT_R] = "R", [ISA_FMT_I] = "I", [ISA_FMT_IU] = "IU", [ISA_FMT_SH] = "SH",
	[ISA_FMT_U] = "U", [ISA_FMT_S] = "S", [ISA_FMT_B] = "B", [ISA_FMT_J] = "J",
	[ISA_FMT_CRR] = "CRR", [ISA_FMT_CRW] = "CRW", [ISA_FMT_R1] = "R1", [ISA_FMT_N] = "N",
	[ISA_FMT_D] = "D",
};

/* The whole of ISA.md, NUL-terminated; the caller frees it. */
static char *read_spec(void)
{
	FILE *f = fopen(ISA_MD, "rb");
	char *buf;
	long n;

	cr_assert(f != NULL, "cannot open %s: run the tests from the source tree's root", ISA_MD);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	cr_assert(n > 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert(buf != NULL);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void class_text(unsigned cls, char *buf, size_t size)
{
	static const char *const names[] = { "PRIV", "CTRL", "BEHV", "TRAP", "LOAD", "STORE",
						     "LEAK", "VIRT" };
	size_t pos = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < sizeof names / sizeof *names; i++)
		if (cls & (1u << i))
			pos += (size_t)snprintf(buf + pos, size - pos, "%s%s", pos ? " " : "", names[i]);
	if (!pos)
		snprintf(buf, size, "—");
}

Test(isa, spec_lists_every_instruction_with_its_opcode_format_and_class)
{
	char *doc = read_spec();
	char row[160], cls[64], *line, *eol;
	size_t k;

	for (unsigned op = 0; op < ISA_NOPS; op++) {
		const struct isa_info *e = &isa_table[op];

		class_text(e->cls, cls, sizeof cls);
		snprintf(row, sizeof row, "\n| 0x%02x | `%s` | %s | ", e->opcode, e->name,
			 fmt_names[e->format]);
		line = strstr(doc, row);
		cr_assert(line, "ISA.md 4.10 lacks the row \"%s\"", row + 1);
		/* ...ending with the class and the semantics column of pg32.def
		 * (with '|' escaped for Markdown). */
		k = (size_t)snprintf(row, sizeof row, " | %s | ", cls);
		for (const char *q = e->semantics; *q && k + 3 < sizeof row; q++) {
			if (*q == '|')
				row[k++] = '\\';
			row[k++] = *q;
		}
		snprintf(row + k, sizeof row - k, " |\n");
		eol = strchr(line + 1, '\n');
		cr_assert(eol && (size_t)(eol + 1 - line) > strlen(row) &&
			  !strncmp(eol + 1 - strlen(row), row, strlen(row)),
			  "ISA.md 4.10, %s: the row does not end with \"%s\"", e->name, row);
		/* 14.2: class, then privileged / control- / behaviour-sensitive. */
		snprintf(row, sizeof row, "\n| `%s` | %s | %s | %s | %s |", e->name, cls,
			 e->cls & ISA_C_PRIV ? "yes" : "no", e->cls & ISA_C_CTRL ? "yes" : "no",
			 e->cls & ISA_C_BEHV ? "yes" : "no");
		cr_assert(strstr(doc, row), "ISA.md 14.2 lacks the row \"%s\"", row + 1);
	}
	free(doc);
}

/* Section 15's table lists exactly the PG32-L offenders the table yields. */
Test(isa, spec_lists_the_pg32l_offenders)
{
	char *doc = read_spec();
	char row[160];
	unsigned off[ISA_NOPS], n = isa_offenders(ISA_PG32L, off, ISA_NOPS), k = 0;

	cr_assert_gt(n, 0, "PG32-L must have offenders");
	for (unsigned op = 0; op < ISA_NOPS; op++) {
		const struct isa_info *e = &isa_table[op];
		bool listed;

		snprintf(row, sizeof row, "\n| `%s` | %s-sensitive | no |", e->name,
			 e->cls & ISA_C_CTRL ? "control" : "behaviour");
		listed = strstr(doc, row) != NULL;
		bool offends = k < n && off[k] == op;
		cr_assert_eq(listed, offends, "ISA.md 15: %s is %san offender but %slisted",
			     e->name, offends ? "" : "not ", listed ? "" : "not ");
		k += offends;
	}
	free(doc);
}

Test(isa, spec_opcode_map_matches_the_table)
{
	char *doc = read_spec();
	char row[400];

	for (unsigned hi = 0; hi < 16; hi++) {
		size_t pos = (size_t)snprintf(row, sizeof row, "\n| %Xx |", hi);

		for (unsigned lo = 0; lo < 16; lo++) {
			const char *name = "·";

			for (unsigned op = 0; op < ISA_NOPS; op++)
				if (isa_table[op].opcode == hi * 16 + lo)
					name = isa_table[op].name;
			pos += (size_t)snprintf(row + pos, sizeof row - pos, " %s |", name);
		}
		cr_assert(strstr(doc, row), "ISA.md 4.11 lacks the row \"%s\"", row + 1);
	}
	free(doc);
}

Test(isa, spec_format_masks_and_control_registers_match_the_header)
{
	char *doc = read_spec();
	char row[160];

	for (unsigned f = 0; f < ISA_NFMT; f++) {
		snprintf(row, sizeof row, "\n| %s | `0x%08x` |", fmt_names[f], ISA_FMT_MASK(f));
		cr_assert(strstr(doc, row), "ISA.md 3.2 lacks the row \"%s\"", row + 1);
	}
	for (unsigned i = 0; i < ISA_NCR; i++) {
		snprintf(row, sizeof row, "\n| %u | `%s` | 0x%08x | 0x%08x |", i, isa_cr_name(i),
			 i == ISA_CR_STATUS ? ISA_ST_RESET : 0u, isa_cr_wmask[i]);
		cr_assert(strstr(doc, row), "ISA.md 6.1 lacks the row \"%s\"", row + 1);
	}
	for (unsigned c = 0; c < ISA_NCAUSE; c++) {
		char upper[32];
		const char *name = isa_cause_name(c);
		size_t k;

		if (!strcmp(name, "reserved"))
			continue;
		for (k = 0; name[k] && k + 1 < sizeof upper; k++)
			upper[k] = name[k] == '-' ? '_' : (char)toupper((unsigned char)name[k]);
		upper[k] = '\0';
		snprintf(row, sizeof row, "\n| %u | %s | `%s` |", c, upper, name);
		cr_assert(strstr(doc, row), "ISA.md 7.1 lacks the row \"%s\"", row + 1);
	}
	free(doc);
}

/* Every "`text` | `0x........` |" pair in ISA.md is an example: the word must
 * disassemble (at pc 0x1000, mnemonic padding collapsed) to the text.  Every
 * instruction must have one. */
Test(isa, spec_examples_disassemble_to_their_text)
{
	char *doc = read_spec();
	bool seen[ISA_NOPS] = { false };
	unsigned nexamples = 0;

	for (char *p = doc; (p = strstr(p, "` | `0x")) != NULL; p++) {
		char *start = p, text[80], got[80], *end;
		uint32_t w;
		size_t len, k = 0;

		while (start > doc && start[-1] != '`')
			start--;
		len = (size_t)(p - start);
		cr_assert(start > doc && len < sizeof text, "ISA.md: malformed example near \"%.40s\"", p);
		memcpy(text, start, len);
		text[len] = '\0';
		w = (uint32_t)strtoul(p + 5, &end, 16);
		cr_assert(end == p + 15 && *end == '`', "ISA.md: bad word after \"%s\"", text);
		isa_disasm(w, 0x1000, got, sizeof got, NULL, NULL);
		for (size_t i = 0; got[i]; i++)		/* collapse the padding */
			if (got[i] != ' ' || k == 0 || got[k - 1] != ' ')
				got[k++] = got[i];
		got[k] = '\0';
		cr_assert_str_eq(got, text, "ISA.md: `%s` is %#010x, which disassembles as `%s`",
				 text, w, got);
		if (isa_decode(w).op != ISA_OP_ILLEGAL)
			seen[isa_decode(w).op] = true;
		nexamples++;
	}
	for (unsigned op = 0; op < ISA_NOPS; op++)
		cr_assert(seen[op], "ISA.md has no encoding example for %s", isa_table[op].name);
	cr_assert_geq(nexamples, ISA_NOPS);
	free(doc);
}
