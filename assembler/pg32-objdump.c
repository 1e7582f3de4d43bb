/*
 * pg32-objdump - show a PG32 executable.
 *
 *   pg32-objdump [-d] [-t] [-h] [-s] file.elf...
 *
 * -d prints the program as pg32-as input that reassembles, with the
 * -Ttext and -Tdata its header names, to the same sections at the same
 * addresses: code disassembled (branch targets as label, label+off or an
 * absolute address, words that are no instruction as .word), data as
 * .ascii/.space/.word/.byte, .bss as .balign and .space, and labels for
 * the symbols that can be written back (unique names, in code on
 * instruction boundaries).
 */
#include "pg32.h"
#include "pgelf.h"
#include "version.h"

#include <elf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYM_RANGE 0x10000u	/* as far as a label+off reaches */

struct labels {			/* the symbols -d writes as "name:" */
	const struct pgelf_symbol **v;	/* sorted by value, then name */
	unsigned n;
};

static bool ident_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.' ||
	       c == '$' || (!first && c >= '0' && c <= '9');
}

/* Can pg32-as read s back as a label name? */
static bool is_ident(const char *s)
{
	if (!*s || !strcmp(s, "."))
		return false;
	for (const char *p = s; *p; p++)
		if (!ident_char(*p, p == s))
			return false;
	return true;
}

static int by_name(const void *x, const void *y)
{
	return strcmp((*(const struct pgelf_symbol *const *)x)->name,
		      (*(const struct pgelf_symbol *const *)y)->name);
}

/* Labels of section sec that can be written back: named like an
 * identifier, the name used once, defined in sec, at a multiple of align
 * bytes from its start (4 in code: a label inside an instruction word
 * cannot be written). */
static void find_labels(const struct pgelf *e, const struct pgelf_section *sec, uint32_t align,
			struct labels *l)
{
	const struct pgelf_symbol **all = calloc(e->nsyms + 1, sizeof *all);
	unsigned n = 0;

	l->v = calloc(e->nsyms + 1, sizeof *l->v);
	l->n = 0;
	if (!all || !l->v) {
		fputs("pg32-objdump: out of memory\n", stderr);
		exit(1);
	}
	for (unsigned i = 0; i < e->nsyms; i++)
		if (e->syms[i].type != STT_FILE && e->syms[i].type != STT_SECTION)
			all[n++] = &e->syms[i];
	qsort(all, n, sizeof *all, by_name);
	for (unsigned i = 0; i < e->nsyms; i++) {
		const struct pgelf_symbol *s = &e->syms[i], **hit;
		if (s->type == STT_FILE || s->type == STT_SECTION || s->shndx != sec->index ||
		    !is_ident(s->name) || s->value < sec->addr ||
		    s->value - sec->addr > sec->size || (s->value - sec->addr) % align)
			continue;
		hit = bsearch(&s, all, n, sizeof *all, by_name);
		if ((hit > all && !strcmp(hit[-1]->name, s->name)) ||
		    (hit + 1 < all + n && !strcmp(hit[1]->name, s->name)))
			continue;	/* the name is ambiguous */
		l->v[l->n++] = s;	/* e->syms is sorted: so is l->v */
	}
	free(all);
}

/* Print the labels at addr; returns the address of the next one (or end). */
static uint32_t put_labels(const struct labels *l, unsigned *next, uint32_t addr, uint32_t end)
{
	while (*next < l->n && l->v[*next]->value == addr)
		printf("%s:\n", l->v[(*next)++]->name);
	return *next < l->n ? l->v[*next]->value : end;
}

static const char *symbolize(void *ctx, uint32_t addr, uint32_t *off)
{
	const struct labels *l = ctx;
	unsigned lo = 0, hi = l->n;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (l->v[mid]->value <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || addr - l->v[lo - 1]->value >= SYM_RANGE)
		return NULL;
	while (lo > 1 && l->v[lo - 2]->value == l->v[lo - 1]->value)
		lo--;		/* the first-named at that address */
	*off = addr - l->v[lo - 1]->value;
	return l->v[lo - 1]->name;
}

static void disassemble(const struct pgelf *e, const struct pgelf_section *s)
{
	struct labels l;
	unsigned next = 0;
	uint32_t i;
	char text[160];

	find_labels(e, s, 4, &l);
	printf("# %s 0x%08x..0x%08x\n\t.text\n", s->name, s->addr, s->addr + s->size);
	for (i = 0; i <= s->size; i += 4) {
		uint32_t addr = s->addr + i;
		put_labels(&l, &next, addr, 0);
		if (i + 4 > s->size)
			break;
		const uint8_t *p = s->data + i;
		uint32_t w = p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
		isa_disasm(w, addr, text, sizeof text, symbolize, &l);
		printf("\t%s\t# %08x: %08x%s\n", text, addr, w,
		       isa_decode(w).op == ISA_OP_ILLEGAL ? " illegal" : "");
	}
	for (; i < s->size; i++)
		printf("\t.byte 0x%02x\t# %08x\n", s->data[i], s->addr + i);
	free(l.v);
}

#define ZERO_RUN	16	/* zero bytes worth one .space line */
#define TEXT_RUN	4	/* printable bytes worth one .ascii line */
#define TEXT_LINE	64
#define WORDS_PER_LINE	4

static bool printable(uint8_t c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t';
}

/* How many of d[0..n) are text worth an .ascii line: TEXT_RUN printable
 * bytes, or at least two and a NUL; 0 if fewer. */
static uint32_t text_run(const uint8_t *d, uint32_t n)
{
	uint32_t k = 0;

	while (k < n && k < TEXT_RUN && printable(d[k]))
		k++;
	return k == TEXT_RUN || (k >= 2 && k < n && !d[k]) ? k : 0;
}

/* .ascii (or .asciz, taking the NUL) for the text at d[0..n); returns the
 * bytes used. */
static uint32_t put_text(const uint8_t *d, uint32_t n, uint32_t addr)
{
	uint32_t k = 0;
	bool nul;

	while (k < n && k < TEXT_LINE && printable(d[k]))
		k++;
	nul = k < n && !d[k];
	printf("\t%s \"", nul ? ".asciz" : ".ascii");
	for (uint32_t i = 0; i < k; i++) {
		if (d[i] == '\n')
			fputs("\\n", stdout);
		else if (d[i] == '\t')
			fputs("\\t", stdout);
		else
			printf(d[i] == '"' || d[i] == '\\' ? "\\%c" : "%c", d[i]);
	}
	printf("\"\t# %08x\n", addr);
	return k + nul;
}

/* Data as .ascii/.asciz (text), .space (runs of zeros, and all of .bss),
 * .word (aligned, up to 4 a line) and .byte (the rest); a label ends each
 * run.  .bss starts at a multiple of its largest .align after .data:
 * ".balign" with the largest power of two (up to 65536) dividing its
 * address puts it back there. */
static void dump_data(const struct pgelf *e, const struct pgelf_section *s)
{
	bool bss = !s->data;
	struct labels l;
	unsigned next = 0;
	uint32_t i = 0;

	find_labels(e, s, 1, &l);
	printf("# %s 0x%08x..0x%08x\n\t%s\n", s->name, s->addr, s->addr + s->size,
	       bss ? ".bss" : ".data");
	if (bss) {
		uint32_t a = 4;
		while (a < 0x10000 && !(s->addr & (2 * a - 1)))
			a <<= 1;
		printf("\t.balign %u\n", a);
	}
	for (;;) {
		uint32_t addr = s->addr + i;
		uint32_t stop = put_labels(&l, &next, addr, s->addr + s->size) - s->addr, k;
		if (i >= s->size)
			break;
		for (k = 0; i + k < stop && (bss || !s->data[i + k]); k++)
			;
		if (bss || k >= ZERO_RUN) {
			printf("\t.space %u\t# %08x\n", k, addr);
			i += k;
			continue;
		}
		if (text_run(s->data + i, stop - i)) {
			i += put_text(s->data + i, stop - i, addr);
		} else if (addr % 4 == 0 && stop - i >= 4) {
			printf("\t.word ");
			for (k = 0; k < WORDS_PER_LINE && stop - i >= 4; k++, i += 4) {
				const uint8_t *p = s->data + i;
				printf("%s0x%08x", k ? ", " : "",
				       p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24);
			}
			printf("\t# %08x\n", addr);
		} else {
			printf("\t.byte 0x%02x", s->data[i++]);
			while (i < stop && (s->addr + i) % 4 && !text_run(s->data + i, stop - i))
				printf(", 0x%02x", s->data[i++]);
			printf("\t# %08x\n", addr);
		}
	}
	free(l.v);
}

/* -d: the whole program as pg32-as input.  Executable sections become
 * .text, other allocated ones .data (with contents) or .bss (without);
 * for pg32-as's own output that gives the same sections at the same
 * addresses back. */
static void disassemble_file(const char *path, const struct pgelf *e)
{
	uint32_t text = 0, data = 0;
	bool have_text = false, have_data = false;

	for (unsigned i = 0; i < e->nsects; i++) {
		const struct pgelf_section *s = &e->sects[i];
		if (!(s->flags & SHF_ALLOC))
			continue;
		if ((s->flags & SHF_EXECINSTR) && !have_text)
			text = s->addr, have_text = true;
		else if (s->data && !(s->flags & SHF_EXECINSTR) && !have_data)
			data = s->addr, have_data = true;
	}
	printf("# %s: entry 0x%08x\n# reassemble with: pg32-as -Ttext 0x%x", path, e->entry, text);
	if (have_data)
		printf(" -Tdata 0x%x", data);
	putchar('\n');
	for (unsigned i = 0; i < e->nsects; i++) {
		const struct pgelf_section *s = &e->sects[i];
		if (!(s->flags & SHF_ALLOC))
			continue;
		if (s->flags & SHF_EXECINSTR) {
			if (s->data)
				disassemble(e, s);
		} else if (s->size) {
			dump_data(e, s);
		}
	}
}

static const char *bind_name(unsigned b)
{
	return b == STB_LOCAL ? "local" : b == STB_GLOBAL ? "global" : b == STB_WEAK ? "weak" : "?";
}

static const char *type_name(unsigned t)
{
	static const char *const n[] = { "notype", "object", "func", "section", "file" };
	return t < 5 ? n[t] : "?";
}

static void symbols(const struct pgelf *e)
{
	printf("%-8s %-6s %-7s %-5s %s\n", "value", "bind", "type", "shndx", "name");
	for (unsigned i = 0; i < e->nsyms; i++) {
		const struct pgelf_symbol *s = &e->syms[i];
		char ndx[8];
		if (s->shndx == SHN_ABS)
			strcpy(ndx, "abs");
		else if (s->shndx == SHN_UNDEF)
			strcpy(ndx, "und");
		else
			snprintf(ndx, sizeof ndx, "%u", s->shndx);
		printf("%08x %-6s %-7s %-5s %s\n", s->value, bind_name(s->bind), type_name(s->type),
		       ndx, s->name);
	}
}

static void headers(const struct pgelf *e)
{
	printf("entry 0x%08x\nsegments:\n", e->entry);
	for (unsigned i = 0; i < e->nsegs; i++) {
		const struct pgelf_segment *s = &e->segs[i];
		printf("  %u: vaddr 0x%08x paddr 0x%08x filesz 0x%08x memsz 0x%08x %c%c%c\n", i,
		       s->vaddr, s->paddr, s->filesz, s->memsz, s->flags & PGELF_SEG_R ? 'r' : '-',
		       s->flags & PGELF_SEG_W ? 'w' : '-', s->flags & PGELF_SEG_X ? 'x' : '-');
	}
	printf("sections:\n");
	for (unsigned i = 0; i < e->nsects; i++) {
		const struct pgelf_section *s = &e->sects[i];
		printf("  %-10s addr 0x%08x size 0x%08x %s%s%s%s\n", s->name, s->addr, s->size,
		       s->type == SHT_NOBITS ? "nobits" : s->type == SHT_PROGBITS ? "progbits"
		       : s->type == SHT_SYMTAB ? "symtab" : s->type == SHT_STRTAB ? "strtab" : "other",
		       s->flags & SHF_ALLOC ? " alloc" : "", s->flags & SHF_WRITE ? " write" : "",
		       s->flags & SHF_EXECINSTR ? " exec" : "");
	}
}

static void hexdump(const struct pgelf_section *s)
{
	printf("contents of %s:\n", s->name);
	for (uint32_t i = 0; i < s->size; i += 16) {
		printf(" %08x ", s->addr + i);
		for (uint32_t j = i; j < i + 16; j++)
			printf(j < s->size ? "%s%02x" : "%s  ", j % 4 ? "" : " ",
			       j < s->size ? s->data[j] : 0);
		printf("  ");
		for (uint32_t j = i; j < i + 16 && j < s->size; j++)
			putchar(s->data[j] >= 0x20 && s->data[j] < 0x7f ? s->data[j] : '.');
		putchar('\n');
	}
}

static int usage(FILE *f, int rc)
{
	fputs("usage: pg32-objdump [-d] [-t] [-h] [-s] file.elf...\n"
	      "       pg32-objdump --virt=pg32|leaky\n"
	      "  -d  the program as pg32-as input: code disassembled, data as directives\n"
	      "  -t  the symbol table\n"
	      "  -h  the segments and sections\n"
	      "  -s  a hex dump of every section with contents\n"
	      "  --virt=V  Popek and Goldberg's theorem 1 checked on the instruction\n"
	      "            table for variant V (pg32, leaky: PG32-L, or virt: PG32-V):\n"
	      "            lists the\n"
	      "            sensitive instructions that are not privileged; exit\n"
	      "            status 0 if there are none (virtualizable), 1 otherwise\n"
	      "  --help, --version\n", f);
	return rc;
}

/* The theorem on the table (isa_offenders), for one variant. */
static int check_virt(const char *name)
{
	int v = isa_variant_parse(name);
	unsigned off[ISA_NOPS], n, nsens = 0;

	if (v < 0) {
		fprintf(stderr, "pg32-objdump: --virt: '%s' is not a variant (pg32, leaky or "
			"virt)\n", name);
		return 2;
	}
	for (unsigned op = 0; op < ISA_NOPS; op++)
		nsens += isa_exists(op, (enum isa_variant)v)
			 && (isa_table[op].cls & ISA_C_SENSITIVE) != 0;
	n = isa_offenders((enum isa_variant)v, off, ISA_NOPS);
	if (!n) {
		printf("%s: all %u sensitive instructions are privileged: "
		       "virtualizable by trap-and-emulate (theorem 1)\n", name, nsens);
		return 0;
	}
	printf("%s: %u of %u sensitive instructions are not privileged: "
	       "theorem 1 does not apply\n", name, n, nsens);
	for (unsigned i = 0; i < n; i++) {
		const struct isa_info *in = &isa_table[off[i]];
		printf("  %-8s %-19s %s\n", in->name,
		       in->cls & ISA_C_CTRL ? "control-sensitive" : "behaviour-sensitive",
		       in->semantics);
	}
	return 1;
}

int main(int argc, char **argv)
{
	bool dis = false, syms = false, hdrs = false, hex = false;
	int nfiles = 0, rc = 0;
	char err[300];

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help"))
			return usage(stdout, 0);
		if (!strncmp(a, "--virt=", 7))
			return check_virt(a + 7);
		if (!strcmp(a, "--version")) {
			puts("pg32-objdump (vmlab) " VMLAB_VERSION);
			return 0;
		}
		if (a[0] == '-' && a[1] == '-') {
			fprintf(stderr, "pg32-objdump: unknown option '%s'\n", a);
			return usage(stderr, 2);
		}
		if (a[0] != '-' || !a[1]) {
			argv[nfiles++] = argv[i];
			continue;
		}
		for (const char *p = a + 1; *p; p++) {
			switch (*p) {
			case 'd': dis = true; break;
			case 't': syms = true; break;
			case 'h': hdrs = true; break;
			case 's': hex = true; break;
			default:
				fprintf(stderr, "pg32-objdump: unknown option '-%c'\n", *p);
				return usage(stderr, 2);
			}
		}
	}
	if (!nfiles || !(dis || syms || hdrs || hex)) {
		fprintf(stderr, "pg32-objdump: %s\n", nfiles ? "nothing to show: give -d, -t, -h or -s"
						       : "no input files");
		return usage(stderr, 2);
	}
	for (int f = 0; f < nfiles; f++) {
		struct pgelf e;
		if (pgelf_read_file(argv[f], &e, err, sizeof err)) {
			fprintf(stderr, "pg32-objdump: %s\n", err);
			rc = 1;
			continue;
		}
		if (hdrs)
			headers(&e);
		if (syms)
			symbols(&e);
		for (unsigned i = 0; hex && i < e.nsects; i++)
			if (e.sects[i].data && e.sects[i].size)
				hexdump(&e.sects[i]);
		if (dis)
			disassemble_file(argv[f], &e);
		pgelf_free(&e);
	}
	return rc;
}
