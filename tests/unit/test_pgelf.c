/*
 * test_pgelf.c - the ELF reader refuses every malformed image with the
 * message pgelf.h promises and never reads outside it (the SANITIZE=1 run
 * checks the latter: each image is an exact-size heap block).
 */
#include "asm.h"
#include "pg32.h"
#include "pgelf.h"

#include <criterion/criterion.h>
#include <elf.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static uint8_t *image;
static size_t image_size;

static void build(void)
{
	cr_assert_eq(asm_string(NULL, "p.s", ".globl _start\nnop\n_start: nop\nloop: j loop\n"
				".data\nd: .word 1\n.bss\nb: .space 8\nK = 3\n",
				&image, &image_size), 0);
}

static void teardown(void)
{
	free(image);
}

TestSuite(pgelf, .init = build, .fini = teardown);

/* Parse a copy of the first n bytes (patched by the caller through p). */
static int parse_copy(size_t n, void (*patch)(uint8_t *), char *err, size_t errsize)
{
	uint8_t *buf = malloc(n ? n : 1);
	struct pgelf e;
	int rc;

	memcpy(buf, image, n);
	if (patch)
		patch(buf);
	rc = pgelf_parse(buf, n, &e, err, errsize);
	if (rc == 0)
		pgelf_free(&e);
	return rc;
}

static void expect_refused(void (*patch)(uint8_t *), const char *want)
{
	char err[256] = "";

	cr_expect_eq(parse_copy(image_size, patch, err, sizeof err), -1, "accepted, want: %s", want);
	cr_expect(strstr(err, want), "message '%s', want '%s'", err, want);
}

static Elf32_Ehdr *eh(uint8_t *b) { return (Elf32_Ehdr *)b; }
static Elf32_Phdr *ph(uint8_t *b, unsigned i) { return (Elf32_Phdr *)(b + eh(b)->e_phoff) + i; }
static Elf32_Shdr *sh(uint8_t *b, unsigned i) { return (Elf32_Shdr *)(b + eh(b)->e_shoff) + i; }

Test(pgelf, accepts_the_assemblers_output)
{
	struct pgelf e;
	char err[200];
	uint8_t *buf = malloc(image_size);
	uint32_t off;

	memcpy(buf, image, image_size);
	cr_assert_eq(pgelf_parse(buf, image_size, &e, err, sizeof err), 0, "%s", err);
	cr_expect_eq(e.entry, 0x1004);
	cr_expect_eq(e.nsegs, 2);
	cr_expect_eq(e.segs[0].flags, PGELF_SEG_R | PGELF_SEG_X);
	cr_expect_eq(e.segs[1].filesz, 4);
	cr_expect_eq(e.segs[1].memsz, 12, "data + bss");
	for (unsigned i = 1; i < e.nsyms; i++)
		cr_expect_leq(e.syms[i - 1].value, e.syms[i].value, "sorted by value");
	cr_expect_str_eq(pgelf_symbolize(&e, 0x100a, &off)->name, "loop");
	cr_expect_eq(off, 2);
	cr_expect_str_eq(pgelf_symbolize(&e, 0x1004, &off)->name, "_start");
	/* Below 0x1004 only the file name (0) and K (3) are near: never names. */
	cr_expect_null(pgelf_symbolize(&e, 0x1000, &off));
	cr_expect_eq(pgelf_lookup(&e, "K")->value, 3);
	cr_expect_null(pgelf_lookup(&e, "nope"));
	pgelf_free(&e);
}

Test(pgelf, every_truncation_is_refused)
{
	char err[256];

	for (size_t n = 0; n < image_size; n++) {
		err[0] = '\0';
		cr_expect_eq(parse_copy(n, NULL, err, sizeof err), -1, "accepted %zu of %zu bytes",
			     n, image_size);
		cr_expect(err[0], "no message at %zu bytes", n);
		if (n < 4)
			cr_expect(strstr(err, "not an ELF file"), "%zu: %s", n, err);
		else if (n < sizeof(Elf32_Ehdr))
			cr_expect(strstr(err, "truncated: ELF header ends at byte 52 of"), "%zu: %s", n, err);
		else
			cr_expect(strstr(err, "truncated") || strstr(err, "outside"), "%zu: %s", n, err);
	}
}

static void bad_magic(uint8_t *b) { b[1] = 'X'; }
static void bad_class(uint8_t *b) { b[EI_CLASS] = ELFCLASS64; }
static void bad_data(uint8_t *b) { b[EI_DATA] = ELFDATA2MSB; }
static void bad_machine(uint8_t *b) { eh(b)->e_machine = 0x3e; }
static void bad_type(uint8_t *b) { eh(b)->e_type = ET_DYN; }
static void bad_entry(uint8_t *b) { eh(b)->e_entry = 0x9000; }
static void entry_in_data(uint8_t *b) { eh(b)->e_entry = 0x2000; }
static void misaligned_entry(uint8_t *b) { eh(b)->e_entry = 0x1002; }
static void entry_at_text_end(uint8_t *b) { eh(b)->e_entry = 0x100c; }
static void overlapping(uint8_t *b) { ph(b, 1)->p_paddr = ph(b, 0)->p_paddr + 8; }
static void virtual_entry(uint8_t *b)	/* linked at 0x80000000 + its physical address */
{
	ph(b, 0)->p_vaddr += 0x80000000u;
	eh(b)->e_entry += 0x80000000u;
}
static void bad_phoff(uint8_t *b) { eh(b)->e_phoff = 0xfffffff0u; }
static void bad_phentsize(uint8_t *b) { eh(b)->e_phentsize = 16; }
static void bad_seg_offset(uint8_t *b) { ph(b, 1)->p_offset = 0x7fffffff; }
static void bad_seg_size(uint8_t *b) { ph(b, 0)->p_filesz = ph(b, 0)->p_memsz = 0xfffffff0u; }
static void filesz_over_memsz(uint8_t *b) { ph(b, 1)->p_filesz = ph(b, 1)->p_memsz + 4; }
static void wraps_4g(uint8_t *b) { ph(b, 1)->p_vaddr = 0xfffffffcu; }
static void bad_shoff(uint8_t *b) { eh(b)->e_shoff = (Elf32_Off)-200; }
static void bad_shstrndx(uint8_t *b) { eh(b)->e_shstrndx = 99; }
static void bad_section_data(uint8_t *b) { sh(b, 1)->sh_offset = 0xffffff00u; }
static void bad_section_name(uint8_t *b) { sh(b, 2)->sh_name = 0x10000; }
static void unterminated_names(uint8_t *b)
{
	Elf32_Shdr *s = sh(b, eh(b)->e_shstrndx);
	b[s->sh_offset + s->sh_size - 1] = 'x';
	sh(b, s - sh(b, 0) - 1)->sh_name = s->sh_size - 2;	/* name runs to the end */
}
static void bad_symbol_name(uint8_t *b)
{
	for (unsigned i = 0; i < eh(b)->e_shnum; i++)
		if (sh(b, i)->sh_type == SHT_SYMTAB)
			((Elf32_Sym *)(b + sh(b, i)->sh_offset))[1].st_name = 0x7fffffff;
}
static void bad_symtab_link(uint8_t *b)
{
	for (unsigned i = 0; i < eh(b)->e_shnum; i++)
		if (sh(b, i)->sh_type == SHT_SYMTAB)
			sh(b, i)->sh_link = 1;
}

Test(pgelf, malformed_headers_are_refused_with_their_reason)
{
	expect_refused(bad_magic, "not an ELF file");
	expect_refused(bad_class, "not a 32-bit ELF file (class 2)");
	expect_refused(bad_data, "not a little-endian ELF file");
	expect_refused(bad_machine, "not a PG32 executable (machine 0x3e)");
	expect_refused(bad_type, "not an executable");
	expect_refused(bad_entry, "entry point 0x9000 is outside every executable segment");
	expect_refused(entry_in_data, "entry point 0x2000 is outside every executable segment");
	expect_refused(misaligned_entry, "entry point 0x1002 is not a multiple of 4");
	expect_refused(entry_at_text_end, "entry point 0x100c is outside every executable segment");
	expect_refused(overlapping, "segments 0 (physical 0x00001000..0x0000100c) and 1 "
		       "(0x00001008..0x00001014) overlap");
	expect_refused(virtual_entry, "entry point 0x80001004 is outside every executable segment");
	expect_refused(bad_phoff, "truncated: program header 0 ends at byte");
	expect_refused(bad_phentsize, "bad program header size 16");
	expect_refused(bad_seg_offset, "segment 1 (program header 1) data bytes 2147483647..");
	expect_refused(bad_seg_size, "are outside the file");
	expect_refused(filesz_over_memsz, "program header 1: file size");
	expect_refused(wraps_4g, "goes past 4 GiB");
	expect_refused(bad_shoff, "truncated: section header 0 ends at byte");
	expect_refused(bad_shstrndx, "section name table index 99 out of range");
	expect_refused(bad_section_data, "section 1 data bytes 4294967040..");
	expect_refused(bad_section_name, "section 2: name offset 65536 is outside the name table");
	expect_refused(unterminated_names, "is outside the name table");
	expect_refused(bad_symbol_name, "symbol 1: name offset 2147483647 is outside");
	expect_refused(bad_symtab_link, "is not a string table");
}

/* e_entry is physical (ISA.md 12.4): a segment linked at a virtual
 * address other than its p_paddr is fine as long as the entry is the
 * physical one. */
static void physical_entry(uint8_t *b)
{
	ph(b, 0)->p_vaddr += 0x80000000u;
}

Test(pgelf, the_entry_is_a_physical_address)
{
	char err[256] = "";

	cr_expect_eq(parse_copy(image_size, physical_entry, err, sizeof err), 0, "%s", err);
}

/* An SHT_NULL header is inactive (its other fields mean nothing): the
 * reader must not hand out its "data", which may lie anywhere. */
static void null_section_far_away(uint8_t *b)
{
	sh(b, 1)->sh_type = SHT_NULL;
	sh(b, 1)->sh_offset = 0x7ffffff0u;
	sh(b, 1)->sh_size = 0x100000u;
}

Test(pgelf, never_hands_out_bytes_outside_the_file)
{
	uint8_t *buf = malloc(image_size);
	struct pgelf e;
	char err[256];

	memcpy(buf, image, image_size);
	null_section_far_away(buf);
	cr_assert_eq(pgelf_parse(buf, image_size, &e, err, sizeof err), 0, "%s", err);
	for (unsigned i = 0; i < e.nsects; i++) {
		const struct pgelf_section *s = &e.sects[i];
		cr_expect(s->type != SHT_NULL, "inactive section '%s' listed", s->name);
		if (s->data)
			cr_expect(s->data >= e.image && s->size <= e.size &&
				  (size_t)(s->data - e.image) <= e.size - s->size,
				  "section '%s' data outside the file", s->name);
	}
	pgelf_free(&e);
}

Test(pgelf, read_file_names_the_file)
{
	struct pgelf e;
	char err[256];

	cr_expect_eq(pgelf_read_file("no/such/file.elf", &e, err, sizeof err), -1);
	cr_expect(strstr(err, "no/such/file.elf: "), "%s", err);
}
