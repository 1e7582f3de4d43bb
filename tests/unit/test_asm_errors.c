/*
 * test_asm_errors.c - every error the README lists, each at the right
 * file:line:col with its message, a non-zero count and no image; and the
 * rules around them (one error per line, all lines reported, the cap).
 */
#include "test_asm.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

struct errcase {
	const char *src;
	const char *want;	/* "t.s:LINE:COL: error: " + the start of the message */
};

static const struct errcase cases[] = {
	{ "addx a0, a1", "t.s:1:1: error: unknown instruction 'addx'" },
	{ "nop\n  add a0, a1", "t.s:2:3: error: 'add' takes 3 operands" },
	{ "add a0, a1, q7", "t.s:1:13: error: expected a register, found 'q7'" },
	{ "mfcr a0, bogus", "t.s:1:10: error: unknown control register 'bogus'" },
	{ "addi a0, a0, 32768", "t.s:1:14: error: immediate 32768 out of range -32768..32767" },
	{ "addi a0, a0, -32769", "t.s:1:14: error: immediate -32769 out of range" },
	{ "ori a0, a0, -1", "t.s:1:13: error: immediate -1 out of range 0..65535" },
	{ "lui a0, 0x10000", "t.s:1:9: error: immediate 65536 out of range 0..65535" },
	{ "slli a0, a0, 32", "t.s:1:14: error: shift amount 32 out of range 0..31" },
	{ "lw a0, 40000(sp)", "t.s:1:8: error: offset 40000 out of range" },
	{ "beq a0, a1, 0x1002", "t.s:1:13: error: target is not 4-byte aligned" },
	{ "beq a0, a1, 0x40000", "t.s:1:13: error: target out of range" },
	{ "jal ra, 0x400000", "t.s:1:9: error: target out of range" },
	{ "beq a0, a1, 0x100001000", "t.s:1:13: error: target 0x100001000 is not a 32-bit address" },
	{ "j -0x80000004", "t.s:1:3: error: target -0x80000004 is not a 32-bit address" },
	{ "beq a0, a1, 0xfffe0000", "t.s:1:13: error: target out of range (offset -135168" },
	{ "j nowhere", "t.s:1:3: error: undefined symbol 'nowhere'" },
	{ ".word 1 / (2 - 2)", "t.s:1:9: error: division by zero" },
	{ ".word 5 % 0", "t.s:1:9: error: division by zero" },
	{ ".word 0x100000000", "t.s:1:7: error: value 4294967296 out of range" },
	{ ".word -2147483649", "t.s:1:7: error: value -2147483649 out of range" },
	{ ".half 65536", "t.s:1:7: error: value 65536 out of range -32768..65535" },
	{ ".byte -129", "t.s:1:7: error: value -129 out of range -128..255" },
	{ "li a0, 0x100000000", "t.s:1:8: error: value 4294967296 does not fit in 32 bits" },
	{ "x: nop\nx: nop", "t.s:2:1: error: symbol 'x' is already defined at t.s:1" },
	{ "K = 1\n.equ K, 2", "t.s:2:6: error: symbol 'K' is already defined" },
	{ ".ascii \"abc", "t.s:1:8: error: unterminated string" },
	{ ".byte 'a", "t.s:1:7: error: unterminated character literal" },
	{ ".byte ''", "t.s:1:7: error: empty character literal" },
	{ ".byte '\\q'", "t.s:1:8: error: unknown escape sequence" },
	{ ".space 8\n.org 4", "t.s:2:6: error: .org 4 is before the current offset 8" },
	{ ".align 3", "t.s:1:8: error: alignment 3 is not a power of two" },
	{ ".p2align 17", "t.s:1:10: error: .p2align 17 out of range 0..16" },
	{ ".space x\nx:", "t.s:1:8: error: expression must be a constant" },
	{ ".space -1", "t.s:1:8: error: size -1 out of range" },
	{ ".bogus 1", "t.s:1:1: error: unknown directive '.bogus'" },
	{ ".section .rodata", "t.s:1:10: error: unknown section '.rodata'" },
	{ ".bss\n.word 1", "t.s:2:1: error: .word is not allowed in .bss" },
	{ ".bss\nnop", "t.s:2:1: error: instructions are not allowed in .bss" },
	{ ".bss\n.space 4, 1", "t.s:2:11: error: .bss can only be filled with 0" },
	{ ".byte 1\nnop", "t.s:2:1: error: instruction at an address that is not 4-byte aligned" },
	{ ".include \"no-such-file.s\"", "t.s:1:10: error: cannot find include file" },
	{ ".include \"\"", "t.s:1:10: error: empty file name" },
	{ "nop extra", "t.s:1:1: error: 'nop' takes 0 operands (none), found 1" },
	{ "ret a0", "t.s:1:1: error: 'ret' takes 0 operands" },
	{ ".word 1 2", "t.s:1:9: error: unexpected '2' after the statement" },
	{ "nop\n\x01", "t.s:2:1: error: unexpected character '?'" },
	{ "j 1b", "t.s:1:3: error: no local label '1:' before this point" },
	{ "j 1f\n1:\nj 1f", "t.s:3:3: error: no local label '1:' after this point" },
	{ "A = B\nB = A\n.word A", "t.s:1:5: error: value of 'B' cannot be computed" },
	{ ".word 1 << 64", "t.s:1:9: error: shift count 64 out of range 0..63" },
	{ ".word 99999999999999999999", "t.s:1:7: error: number too large" },
	{ ".word 0x", "t.s:1:7: error: number has no digits" },
	{ ".word 09", "t.s:1:7: error: invalid digit '9' in number" },
	{ ".word (1", "t.s:1:9: error: expected ')'" },
	{ ".word %hi 1", "t.s:1:11: error: expected '(' after %hi" },
	{ ".globl 5", "t.s:1:8: error: expected a symbol name" },
	{ "_start: nop\n.data\n.globl _start\n_start:", "t.s:4:1: error: symbol '_start' is already" },
	{ ".data\n.globl _start\n_start: .word 0\n.text\nnop",
	  "t.s:3:1: error: entry point _start (0x2000) is not inside .text" },
};

Test(asm_errors, each_error_at_its_place)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct asmres r;
		ta_run(&r, cases[i].src);
		cr_expect_gt(r.errors, 0, "no error for:\n%s", cases[i].src);
		cr_expect(r.diag && strstr(r.diag, cases[i].want),
			  "for:\n%s\nwant: %s\ngot:  %s", cases[i].src, cases[i].want, r.diag);
		ta_free(&r);
	}
}

Test(asm_errors, source_line_and_caret)
{
	struct asmres r;

	ta_run(&r, "nop\n\taddi a0, a0, 99999 # big\n");
	cr_assert_eq(r.errors, 1);
	cr_expect_str_eq(r.diag, "t.s:2:15: error: immediate 99999 out of range -32768..32767\n"
			 "\taddi a0, a0, 99999 # big\n"
			 "\t             ^\n");
	ta_free(&r);
}

Test(asm_errors, one_per_line_every_line_in_order)
{
	struct asmres r;

	/* Line 3's error is found in pass 1, line 1's in pass 2: printed in line order. */
	ta_run(&r, "j nowhere\nnop\nbogus a0, q9\nadd a0, a1, 1 + (\n");
	cr_expect_eq(r.errors, 3, "%s", r.diag);
	char *l1 = strstr(r.diag, "t.s:1:"), *l3 = strstr(r.diag, "t.s:3:"), *l4 = strstr(r.diag, "t.s:4:");
	cr_expect(l1 && l3 && l4 && l1 < l3 && l3 < l4, "%s", r.diag);
	ta_free(&r);
}

/* A line cut short by an error in pass 2 does not shift the lines after it
 * (which would misalign the instructions there and report false errors). */
Test(asm_errors, no_follow_on_errors_after_a_short_line)
{
	struct asmres r;

	ta_run(&r, ".half undefined_sym\n.half 1\nnop\nx: beq a0, a1, x\n");
	cr_expect_eq(r.errors, 1, "%s", r.diag);
	cr_expect(strstr(r.diag, "t.s:1:7: error: undefined symbol 'undefined_sym'"), "%s", r.diag);
	ta_free(&r);
}

Test(asm_errors, stops_after_100_errors)
{
	size_t n = 300;
	char *src = malloc(n * 8 + 1), *p = src;
	struct asmres r;

	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "bogus%zu\n", i % 10);
	ta_run(&r, src);
	cr_expect_eq(r.errors, ASM_MAX_ERRORS);
	cr_expect(strstr(r.diag, "too many errors"));
	cr_expect_null(strstr(r.diag, "t.s:101:"), "nothing after the 100th error");
	ta_free(&r);
	free(src);
}

Test(asm_errors, long_line_is_cut_around_the_column)
{
	size_t n = 1 << 20;
	char *src = malloc(n + 32);
	struct asmres r;

	memcpy(src, ".word ", 6);
	memset(src + 6, '1', n);
	strcpy(src + 6 + n, " + ?");
	ta_run(&r, src);
	cr_expect_eq(r.errors, 1);
	cr_expect(strlen(r.diag) < 400, "the excerpt is short: %zu bytes", strlen(r.diag));
	ta_free(&r);
	free(src);
}

Test(asm_errors, garbage_bytes_never_crash)
{
	unsigned seed = 12345;
	uint8_t buf[4096];
	uint8_t *img;
	size_t size;
	FILE *devnull = fopen("/dev/null", "w");
	struct asm_options o = { .diag = devnull };

	for (int round = 0; round < 50; round++) {
		for (size_t i = 0; i < sizeof buf; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (uint8_t)(seed >> 16);
		}
		img = NULL;
		int e = asm_buffer(&o, "g.s", (const char *)buf, sizeof buf, &img, &size);
		cr_expect(e > 0 && !img, "round %d (seed 12345): %d errors", round, e);
		free(img);
	}
	fclose(devnull);
}

/* The expression parser recurses; its nesting is bounded so that no source
 * can overflow the host stack (README "Expressions": 256 levels). */
static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
	char *s = malloc(hl + ul * n + tl + 1);
	char *p = s;

	memcpy(p, head, hl);
	p += hl;
	for (size_t i = 0; i < n; i++, p += ul)
		memcpy(p, unit, ul);
	memcpy(p, tail, tl + 1);
	return s;
}

Test(asm_errors, deep_nesting_is_an_error_not_a_crash)
{
	static const char *const units[] = { "(", "-", "~", "!", "+" };
	struct asmres r;

	for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
		char *src = repeat(".word ", units[k], 200000, "1");

		ta_run(&r, src);
		cr_expect_eq(r.errors, 1, "'%s' x 200000", units[k]);
		cr_expect(r.diag && strstr(r.diag, "t.s:1:263: error: expression nested more than 256 deep"),
			  "'%s' x 200000: %.200s", units[k], r.diag);
		ta_free(&r);
		free(src);
	}
	/* 256 levels are fine */
	char *open = repeat(".word ", "(", 255, "7");
	char *src = repeat(open, ")", 255, "");
	ta_run(&r, src);
	cr_expect_eq(r.errors, 0, "%s", r.diag);
	ta_free(&r);
	free(src);
	free(open);
}

Test(asm_errors, deep_equ_chain_is_an_error_not_a_crash)
{
	/* each constant is the next one plus 1, defined later: pass 2 computes
	 * them through each other */
	size_t n = 100000, cap = 32 * n + 64, len = 0;
	char *src = malloc(cap);
	struct asmres r;

	len += (size_t)snprintf(src + len, cap - len, ".word a0\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(src + len, cap - len, ".equ a%zu, a%zu+1\n", i, i + 1);
	snprintf(src + len, cap - len, ".equ a%zu, 1\n", n);
	ta_run(&r, src);
	cr_expect_gt(r.errors, 0);
	cr_expect(r.diag && strstr(r.diag, "t.s:1:7: error: value of 'a0' cannot be computed "
				   "(expressions or .equ definitions nested more than 256 deep)"),
		  "%.300s", r.diag);
	ta_free(&r);

	/* a short chain still works */
	len = (size_t)snprintf(src, cap, ".word a0\n");
	for (size_t i = 0; i < 50; i++)
		len += (size_t)snprintf(src + len, cap - len, ".equ a%zu, a%zu+1\n", i, i + 1);
	snprintf(src + len, cap - len, ".equ a50, 1\n");
	ta_run(&r, src);
	cr_expect_eq(r.errors, 0, "%s", r.diag);
	cr_expect_eq(ta_word(&r, 0x1000), 51);
	ta_free(&r);
	free(src);
}

/* asm_buffer's source is len bytes, not NUL-terminated: an error at the very
 * end of it must not read the byte after (the sanitizer run checks; each
 * source sits in a heap block of exactly its length). */
Test(asm_errors, error_at_the_end_of_an_unterminated_buffer)
{
	static const struct errcase ends[] = {
		{ "lw a0, 0(", "e.s:1:10: error: expected a register" },
		{ "add a0, a1,", "e.s:1:12: error: expected a register" },
		{ "mfcr a0,", "e.s:1:9: error: expected a control register" },
		{ ".section", "e.s:1:9: error: expected a section name" },
		{ ".section ", "e.s:1:10: error: expected a section name" },
	};
	FILE *diag = tmpfile();
	char out[512];

	cr_assert(diag);
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		size_t len = strlen(ends[i].src), got;
		char *src = malloc(len);
		struct asm_options o = { .diag = diag };
		uint8_t *img = NULL;
		size_t size;

		memcpy(src, ends[i].src, len);
		rewind(diag);
		cr_expect_eq(asm_buffer(&o, "e.s", src, len, &img, &size), 1, "%s", ends[i].src);
		cr_expect_null(img);
		fflush(diag);
		got = (size_t)ftell(diag);
		rewind(diag);
		got = fread(out, 1, got < sizeof out - 1 ? got : sizeof out - 1, diag);
		out[got] = '\0';
		cr_expect(strstr(out, ends[i].want), "for '%s' want: %s\ngot: %s", ends[i].src,
			  ends[i].want, out);
		free(img);
		free(src);
	}
	fclose(diag);
}

/* A rejected redefinition of a constant is not evaluated in pass 2 either:
 * pass 2 saw N = 4096, gave .space 4096 bytes where pass 1 had laid out 16,
 * and the listing then read far past the section (and printed a negative
 * size as "(4294963696 bytes in all)"). */
Test(asm_errors, a_rejected_redefinition_changes_no_size)
{
	struct asm_options o = { 0 };
	struct asmres r;
	char *lst = NULL;
	size_t lstsize = 0;

	o.listing = open_memstream(&lst, &lstsize);
	cr_assert_not_null(o.listing);
	ta_run_opt(&r, &o, "N = 16\nN = 4096\n.space N\nbogus\nafter: nop\n.word after\n");
	fclose(o.listing);
	cr_expect_eq(r.errors, 2, "%s", r.diag);
	cr_expect(strstr(r.diag, "t.s:2:1: error: symbol 'N' is already defined"), "%s", r.diag);
	cr_expect(strstr(lst, "00001010  00 00 00 21 ") && strstr(lst, "t.s:5 "),
		  "nop at 0x1010, as pass 1 laid it out:\n%s", lst);
	cr_expect_null(strstr(lst, "bytes in all"), "%s", lst);
	ta_free(&r);
	free(lst);
}
