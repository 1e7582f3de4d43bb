/*
 * test_asm_link.c - several files into one executable: pieces in
 * command-line order, file-local symbols, .globl export and import,
 * duplicate globals, .include and its cycles.
 */
#include "test_asm.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256];

static void mkdir_tmp(void)
{
	snprintf(dir, sizeof dir, "%s/asmlinkXXXXXX", P_tmpdir);
	cr_assert(mkdtemp(dir));
}

static void rm_tmp(void)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}

TestSuite(asm_link, .init = mkdir_tmp, .fini = rm_tmp);

static const char *file(const char *name, const char *text)
{
	static char paths[8][300];
	static int next;
	char *p = paths[next++ % 8];
	FILE *f;

	snprintf(p, 300, "%s/%s", dir, name);
	cr_assert((f = fopen(p, "w")));
	fputs(text, f);
	fclose(f);
	return p;
}

static int do_link(const char *const *paths, unsigned n, struct asmres *r)
{
	size_t dlen, size;
	uint8_t *img = NULL;
	FILE *d = open_memstream(&r->diag, &dlen);
	struct asm_options o = { .diag = d };
	char err[200];

	r->errors = asm_files(&o, paths, n, &img, &size);
	fclose(d);
	if (!r->errors)
		cr_assert_eq(pgelf_parse(img, size, &r->elf, err, sizeof err), 0, "%s", err);
	return r->errors;
}

Test(asm_link, pieces_in_order_with_globals_and_locals)
{
	const char *p[2] = {
		file("a.s", ".globl _start, f\n_start: call f\nloop: j loop\n.data\nx: .word 1\n"),
		file("b.s", ".globl f\n.byte 0\n.align 4\nf: j loop\nloop: ret\n.data\ny: .word f\n"),
	};
	struct asmres r;

	cr_assert_eq(do_link(p, 2, &r), 0, "%s", r.diag);
	/* a.s: 2 words at 0x1000; b.s's piece starts 4-aligned right after. */
	cr_expect_eq(ta_word(&r, 0x1000), ta_enc(ISA_OP_jal, 1, 0, 0, 0x0c), "call f in b.s");
	cr_expect_eq(ta_word(&r, 0x1004), ta_enc(ISA_OP_jal, 0, 0, 0, 0), "a's own loop");
	cr_expect_eq(ta_word(&r, 0x100c), ta_enc(ISA_OP_jal, 0, 0, 0, 4), "b's own loop");
	cr_expect_eq(ta_word(&r, 0x2004), 0x100c, "y = f");
	cr_expect_eq(r.elf.entry, 0x1000);
	ta_free(&r);
}

Test(asm_link, locals_are_not_visible_to_other_files)
{
	const char *p[2] = { file("a.s", "secret: nop\n"), file("b.s", "nop\nj secret\n") };
	struct asmres r;

	cr_expect_gt(do_link(p, 2, &r), 0);
	cr_expect(strstr(r.diag, "b.s:2:3: error: undefined symbol 'secret'"), "%s", r.diag);
	ta_free(&r);
}

Test(asm_link, duplicate_global_names_both_places)
{
	const char *p[2] = { file("a.s", ".globl f\nf: nop\n"), file("b.s", "nop\nf: nop\n.globl f\n") };
	struct asmres r;

	cr_expect_gt(do_link(p, 2, &r), 0);
	cr_expect(strstr(r.diag, "duplicate global symbol 'f'"), "%s", r.diag);
	cr_expect(strstr(r.diag, "a.s:2") && strstr(r.diag, "b.s:2"), "%s", r.diag);
	ta_free(&r);
}

Test(asm_link, global_start_wins_and_constants_cross_files)
{
	const char *p[2] = {
		file("a.s", ".globl N\nN = 12\nnop\n"),
		file("b.s", ".globl _start\n_start: li a0, N\n.space N\n"),
	};
	struct asmres r;

	cr_assert_eq(do_link(p, 2, &r), 0, "%s", r.diag);
	cr_expect_eq(r.elf.entry, 0x1004);
	cr_expect_eq(ta_word(&r, 0x1004), ta_enc(ISA_OP_addi, 4, 0, 0, 12), "known in pass 1");
	ta_free(&r);
}

Test(asm_link, include_relative_and_cycle)
{
	const char *p[1] = { file("main.s", ".include \"inc.s\"\nli a0, K\n") };
	struct asmres r;

	file("inc.s", "K = 7\n");
	cr_assert_eq(do_link(p, 1, &r), 0, "%s", r.diag);
	cr_expect_eq(ta_word(&r, 0x1000), ta_enc(ISA_OP_addi, 4, 0, 0, 7));
	ta_free(&r);

	p[0] = file("c1.s", "nop\n.include \"c2.s\"\n");
	file("c2.s", ".include \"c1.s\"\n");
	cr_expect_gt(do_link(p, 1, &r), 0);
	cr_expect(strstr(r.diag, "c2.s:1:10: error: include cycle: "), "%s", r.diag);
	cr_expect(strstr(r.diag, "c1.s -> ") && strstr(r.diag, "c2.s -> "), "%s", r.diag);
	ta_free(&r);
}

Test(asm_link, unreadable_input)
{
	const char *p[1] = { "no/such/file.s" };
	struct asmres r;

	cr_expect_gt(do_link(p, 1, &r), 0);
	cr_expect(strstr(r.diag, "cannot read 'no/such/file.s'"), "%s", r.diag);
	ta_free(&r);
}
