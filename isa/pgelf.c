/*
 * pgelf.c - the PG32 executable reader (see pgelf.h).  Every offset and
 * size is checked against the file before it is used; the messages name
 * the header and the byte range at fault.
 */
#include "pgelf.h"
#include "pg32.h"

#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "pgelf.c reads ELF structures as host memory: little-endian hosts only"
#endif

#define PGELF_MAX_FILE	(256u << 20)	/* refuse larger files */
#define SYMBOLIZE_RANGE	0x10000u	/* 64 KiB, see pgelf_symbolize */

static int fail(char *err, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (size) {
		va_start(ap, fmt);
		vsnprintf(err, size, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Does [off, off + len) lie inside the file?  Computed in 64 bits. */
static bool inside(const struct pgelf *e, uint64_t off, uint64_t len)
{
	return off <= e->size && len <= e->size - off;
}

/* The NUL-terminated string at offset off of string table [base, base+size). */
static const char *str_at(const struct pgelf *e, uint32_t base, uint32_t size, uint32_t off)
{
	const char *s = (const char *)e->image + base;

	if (off >= size || !memchr(s + off, '\0', size - off))
		return NULL;
	return s + off;
}

static int check_header(struct pgelf *e, const Elf32_Ehdr *h, char *err, size_t n)
{
	if (e->size < SELFMAG || memcmp(e->image, ELFMAG, SELFMAG))
		return fail(err, n, "not an ELF file");
	if (e->size < sizeof *h)
		return fail(err, n, "truncated: ELF header ends at byte %zu of %zu",
			    sizeof *h, e->size);
	if (h->e_ident[EI_CLASS] != ELFCLASS32)
		return fail(err, n, "not a 32-bit ELF file (class %u)", h->e_ident[EI_CLASS]);
	if (h->e_ident[EI_DATA] != ELFDATA2LSB)
		return fail(err, n, "not a little-endian ELF file (data encoding %u)",
			    h->e_ident[EI_DATA]);
	if (h->e_ident[EI_VERSION] != EV_CURRENT)
		return fail(err, n, "unknown ELF version %u", h->e_ident[EI_VERSION]);
	if (h->e_machine != ISA_ELF_MACHINE)
		return fail(err, n, "not a PG32 executable (machine 0x%x)", h->e_machine);
	if (h->e_version != EV_CURRENT)
		return fail(err, n, "unknown ELF version %u", h->e_version);
	if (h->e_type != ET_EXEC)
		return fail(err, n, "not an executable (ELF type %u)", h->e_type);
	if (h->e_ehsize != sizeof *h)
		return fail(err, n, "bad ELF header size %u", h->e_ehsize);
	if (h->e_phnum && h->e_phentsize != sizeof(Elf32_Phdr))
		return fail(err, n, "bad program header size %u", h->e_phentsize);
	if (h->e_shnum && h->e_shentsize != sizeof(Elf32_Shdr))
		return fail(err, n, "bad section header size %u", h->e_shentsize);
	return 0;
}

static int read_segments(struct pgelf *e, const Elf32_Ehdr *h, char *err, size_t n)
{
	e->segs = calloc(h->e_phnum ? h->e_phnum : 1, sizeof *e->segs);
	if (!e->segs)
		return fail(err, n, "out of memory");
	for (unsigned i = 0; i < h->e_phnum; i++) {
		uint64_t at = (uint64_t)h->e_phoff + (uint64_t)i * sizeof(Elf32_Phdr);
		Elf32_Phdr p;

		if (!inside(e, at, sizeof p))
			return fail(err, n, "truncated: program header %u ends at byte %llu of %zu",
				    i, (unsigned long long)(at + sizeof p), e->size);
		memcpy(&p, e->image + at, sizeof p);
		if (p.p_type != PT_LOAD)
			continue;
		if (!inside(e, p.p_offset, p.p_filesz))
			return fail(err, n, "truncated: segment %u (program header %u) data "
				    "bytes %u..%llu are outside the file of %zu bytes", e->nsegs, i,
				    p.p_offset, (unsigned long long)p.p_offset + p.p_filesz, e->size);
		if (p.p_filesz > p.p_memsz)
			return fail(err, n, "program header %u: file size %u exceeds memory size %u",
				    i, p.p_filesz, p.p_memsz);
		if ((uint64_t)p.p_vaddr + p.p_memsz > 0x100000000u ||
		    (uint64_t)p.p_paddr + p.p_memsz > 0x100000000u)
			return fail(err, n, "program header %u: segment 0x%x + 0x%x goes past 4 GiB",
				    i, p.p_vaddr, p.p_memsz);
		e->segs[e->nsegs++] = (struct pgelf_segment){ p.p_vaddr, p.p_paddr, p.p_filesz,
			p.p_memsz, p.p_flags & (PGELF_SEG_R | PGELF_SEG_W | PGELF_SEG_X),
			e->image + p.p_offset };
	}
	return 0;
}

static int by_paddr(const void *x, const void *y)
{
	const struct pgelf_segment *a = *(const struct pgelf_segment *const *)x;
	const struct pgelf_segment *b = *(const struct pgelf_segment *const *)y;

	return a->paddr != b->paddr ? (a->paddr < b->paddr ? -1 : 1) : (a < b ? -1 : a > b);
}

/* Two non-empty segments that share a physical byte: sorted by p_paddr,
 * each must start at or after the furthest end before it. */
static int check_overlap(const struct pgelf *e, char *err, size_t n)
{
	const struct pgelf_segment **v = malloc((e->nsegs ? e->nsegs : 1) * sizeof *v);
	const struct pgelf_segment *far = NULL;
	unsigned k = 0;
	int rc = 0;

	if (!v)
		return fail(err, n, "out of memory");
	for (unsigned i = 0; i < e->nsegs; i++)
		if (e->segs[i].memsz)
			v[k++] = &e->segs[i];
	qsort(v, k, sizeof *v, by_paddr);
	for (unsigned i = 0; i < k && !rc; i++) {
		const struct pgelf_segment *s = v[i];
		if (far && s->paddr < (uint64_t)far->paddr + far->memsz) {
			const struct pgelf_segment *a = far < s ? far : s, *b = far < s ? s : far;
			rc = fail(err, n, "segments %u (physical 0x%08x..0x%08llx) and %u "
				  "(0x%08x..0x%08llx) overlap", (unsigned)(a - e->segs), a->paddr,
				  (unsigned long long)a->paddr + a->memsz, (unsigned)(b - e->segs),
				  b->paddr, (unsigned long long)b->paddr + b->memsz);
		}
		if (!far || (uint64_t)s->paddr + s->memsz > (uint64_t)far->paddr + far->memsz)
			far = s;
	}
	free(v);
	return rc;
}

int pgelf_check_load(const struct pgelf *e, uint64_t memsize, char *err, size_t n)
{
	bool entry_ok = false;

	if (e->entry % 4)
		return fail(err, n, "entry point 0x%x is not a multiple of 4", e->entry);
	for (unsigned i = 0; i < e->nsegs; i++) {
		const struct pgelf_segment *s = &e->segs[i];
		uint64_t end = (uint64_t)s->paddr + s->memsz;

		if (s->filesz > s->memsz)
			return fail(err, n, "segment %u: file size 0x%x exceeds memory size 0x%x",
				    i, s->filesz, s->memsz);
		if (memsize && end > memsize)
			return fail(err, n, "segment %u at physical 0x%08x..0x%08llx is outside RAM "
				    "(%llu KiB)", i, s->paddr, (unsigned long long)end,
				    (unsigned long long)memsize >> 10);
		if ((s->flags & PGELF_SEG_X) && e->entry >= s->paddr &&
		    (uint64_t)e->entry + 4 <= end)
			entry_ok = true;
	}
	if (check_overlap(e, err, n))
		return -1;
	if (!entry_ok)
		return fail(err, n, "entry point 0x%x is outside every executable segment "
			    "(their physical addresses, p_paddr..p_paddr+p_memsz)", e->entry);
	return 0;
}

static int read_symbols(struct pgelf *e, const Elf32_Shdr *sym, const Elf32_Shdr *sh,
			unsigned shnum, unsigned idx, char *err, size_t n);

static int read_sections(struct pgelf *e, const Elf32_Ehdr *h, char *err, size_t n)
{
	Elf32_Shdr *sh;
	const Elf32_Shdr *names;
	int rc = 0;

	if (!h->e_shnum)
		return 0;
	if (!inside(e, h->e_shoff, (uint64_t)h->e_shnum * sizeof *sh)) {
		for (unsigned i = 0; i < h->e_shnum; i++) {
			uint64_t end = (uint64_t)h->e_shoff + (uint64_t)(i + 1) * sizeof *sh;
			if (end > e->size)
				return fail(err, n, "truncated: section header %u ends at byte %llu "
					    "of %zu", i, (unsigned long long)end, e->size);
		}
	}
	if (h->e_shstrndx >= h->e_shnum)
		return fail(err, n, "section name table index %u out of range (%u sections)",
			    h->e_shstrndx, h->e_shnum);
	sh = malloc(h->e_shnum * sizeof *sh);
	e->sects = calloc(h->e_shnum, sizeof *e->sects);
	if (!sh || !e->sects) {
		free(sh);
		return fail(err, n, "out of memory");
	}
	memcpy(sh, e->image + h->e_shoff, h->e_shnum * sizeof *sh);
	for (unsigned i = 0; i < h->e_shnum && !rc; i++) {
		if (sh[i].sh_type != SHT_NOBITS && sh[i].sh_type != SHT_NULL &&
		    !inside(e, sh[i].sh_offset, sh[i].sh_size))
			rc = fail(err, n, "truncated: section %u data bytes %u..%llu are outside "
				  "the file of %zu bytes", i, sh[i].sh_offset,
				  (unsigned long long)sh[i].sh_offset + sh[i].sh_size, e->size);
	}
	names = &sh[h->e_shstrndx];
	if (!rc && names->sh_type != SHT_STRTAB)
		rc = fail(err, n, "section name table (section %u) is not a string table",
			  h->e_shstrndx);
	for (unsigned i = 1; i < h->e_shnum && !rc; i++) {
		const char *name;

		if (sh[i].sh_type == SHT_NULL)
			continue;	/* inactive: its other fields mean nothing */
		name = str_at(e, names->sh_offset, names->sh_size, sh[i].sh_name);
		if (!name) {
			rc = fail(err, n, "section %u: name offset %u is outside the name table",
				  i, sh[i].sh_name);
			break;
		}
		if (!*name)
			continue;
		e->sects[e->nsects++] = (struct pgelf_section){ name, sh[i].sh_addr,
			sh[i].sh_size, sh[i].sh_type, sh[i].sh_flags,
			sh[i].sh_type == SHT_NOBITS ? NULL : e->image + sh[i].sh_offset, i };
	}
	for (unsigned i = 1; i < h->e_shnum && !rc; i++)
		if (sh[i].sh_type == SHT_SYMTAB)
			rc = read_symbols(e, &sh[i], sh, h->e_shnum, i, err, n);
	free(sh);
	return rc;
}

static int sym_cmp(const void *x, const void *y)
{
	const struct pgelf_symbol *a = x, *b = y;

	if (a->value != b->value)
		return a->value < b->value ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int read_symbols(struct pgelf *e, const Elf32_Shdr *sym, const Elf32_Shdr *sh,
			unsigned shnum, unsigned idx, char *err, size_t n)
{
	const Elf32_Shdr *str;
	unsigned count;

	if (e->syms)
		return fail(err, n, "more than one symbol table");
	if (sym->sh_entsize != sizeof(Elf32_Sym) || sym->sh_size % sizeof(Elf32_Sym))
		return fail(err, n, "section %u: bad symbol table entry size %u (size %u)",
			    idx, sym->sh_entsize, sym->sh_size);
	if (sym->sh_link >= shnum || sh[sym->sh_link].sh_type != SHT_STRTAB)
		return fail(err, n, "section %u: symbol string table %u is not a string table",
			    idx, sym->sh_link);
	str = &sh[sym->sh_link];
	count = sym->sh_size / sizeof(Elf32_Sym);
	e->syms = calloc(count ? count : 1, sizeof *e->syms);
	if (!e->syms)
		return fail(err, n, "out of memory");
	for (unsigned i = 1; i < count; i++) {
		Elf32_Sym s;
		const char *name;

		memcpy(&s, e->image + sym->sh_offset + i * sizeof s, sizeof s);
		if (!(name = str_at(e, str->sh_offset, str->sh_size, s.st_name)))
			return fail(err, n, "symbol %u: name offset %u is outside the string table",
				    i, s.st_name);
		if (!*name)
			continue;
		e->syms[e->nsyms++] = (struct pgelf_symbol){ name, s.st_value, s.st_size,
			(uint8_t)ELF32_ST_BIND(s.st_info), (uint8_t)ELF32_ST_TYPE(s.st_info),
			s.st_shndx };
	}
	qsort(e->syms, e->nsyms, sizeof *e->syms, sym_cmp);
	return 0;
}

int pgelf_parse(uint8_t *buf, size_t size, struct pgelf *elf, char *err, size_t errsize)
{
	Elf32_Ehdr h;

	memset(elf, 0, sizeof *elf);
	elf->image = buf;
	elf->size = size;
	memset(&h, 0, sizeof h);
	if (size)
		memcpy(&h, buf, size < sizeof h ? size : sizeof h);
	if (check_header(elf, &h, err, errsize))
		goto bad;
	elf->entry = h.e_entry;
	if (read_segments(elf, &h, err, errsize) || pgelf_check_load(elf, 0, err, errsize) ||
	    read_sections(elf, &h, err, errsize))
		goto bad;
	return 0;
bad:
	pgelf_free(elf);
	return -1;
}

int pgelf_read_file(const char *path, struct pgelf *elf, char *err, size_t errsize)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t n = 0, cap = 0, got;
	char why[200];

	memset(elf, 0, sizeof *elf);
	if (!f)
		return fail(err, errsize, "%s: %s", path, strerror(errno));
	do {
		if (n == cap) {
			uint8_t *nb;
			cap = cap ? cap * 2 : 65536;
			if (cap > PGELF_MAX_FILE + 1 || !(nb = realloc(buf, cap))) {
				free(buf);
				fclose(f);
				return fail(err, errsize, "%s: file too large", path);
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		int e = errno;
		free(buf);
		fclose(f);
		return fail(err, errsize, "%s: %s", path, strerror(e ? e : EIO));
	}
	fclose(f);
	if (pgelf_parse(buf, n, elf, why, sizeof why))
		return fail(err, errsize, "%s: %s", path, why);
	return 0;
}

void pgelf_free(struct pgelf *elf)
{
	free(elf->image);
	free(elf->segs);
	free(elf->sects);
	free(elf->syms);
	memset(elf, 0, sizeof *elf);
}

/* Labels (NOTYPE, FUNC, OBJECT) name addresses best, section symbols next;
 * file names and absolute constants never. */
static int rank(const struct pgelf_symbol *s)
{
	if (s->type == STT_FILE || s->shndx == SHN_UNDEF || s->shndx == SHN_ABS)
		return 0;
	return s->type == STT_SECTION ? 1 : 2;
}

const struct pgelf_symbol *pgelf_symbolize(const struct pgelf *elf, uint32_t addr, uint32_t *off)
{
	const struct pgelf_symbol *best = NULL;
	unsigned lo = 0, hi = elf->nsyms;

	while (lo < hi) {	/* first symbol with value > addr */
		unsigned mid = lo + (hi - lo) / 2;
		if (elf->syms[mid].value <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (unsigned i = lo; i-- > 0;) {
		const struct pgelf_symbol *s = &elf->syms[i];
		if (addr - s->value >= SYMBOLIZE_RANGE)
			break;
		if (best && rank(best) == 2 && s->value != best->value)
			break;
		if (rank(s) == 2)
			best = s;	/* ends on the first-named of the nearest */
		else if (rank(s) == 1 && !best)
			best = s;
	}
	if (best && off)
		*off = addr - best->value;
	return best;
}

const struct pgelf_symbol *pgelf_lookup(const struct pgelf *elf, const char *name)
{
	for (unsigned i = 0; i < elf->nsyms; i++)
		if (!strcmp(elf->syms[i].name, name))
			return &elf->syms[i];
	return NULL;
}
