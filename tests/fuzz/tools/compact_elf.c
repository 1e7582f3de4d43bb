/*
 * compact_elf - rewrite a PG32 executable without its padding, as a seed
 * for fuzz_elf.  pg32-as places each segment at a file offset congruent to
 * its address modulo 4 KiB, so its files are mostly zeros; a fuzzer that
 * mutates such a file rarely touches a header.  The rewrite keeps every
 * segment, section and symbol, packed right after the headers:
 *
 *   ELF header | program headers | segment data | section data |
 *   section names | section headers
 *
 *   compact_elf in.elf out.elf
 */
#include "pgelf.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OUT	(1u << 20)

static void die(const char *msg)
{
	fprintf(stderr, "compact_elf: %s\n", msg);
	exit(1);
}

static unsigned section_index(const struct pgelf *e, const char *name)
{
	for (unsigned i = 0; i < e->nsects; i++)
		if (!strcmp(e->sects[i].name, name))
			return i + 1;	/* after the null section */
	return 0;
}

int main(int argc, char **argv)
{
	static uint8_t out[MAX_OUT];
	static char names[4096];
	struct pgelf e;
	char err[300];
	size_t off, nlen = 1;
	Elf32_Ehdr h;
	Elf32_Shdr sh[64];
	FILE *f;

	if (argc != 3)
		die("usage: compact_elf in.elf out.elf");
	if (pgelf_read_file(argv[1], &e, err, sizeof err))
		die(err);
	if (e.nsects + 1 > sizeof sh / sizeof sh[0])
		die("too many sections");
	memcpy(&h, e.image, sizeof h);
	h.e_phoff = sizeof h;
	h.e_phnum = (Elf32_Half)e.nsegs;
	off = sizeof h + e.nsegs * sizeof(Elf32_Phdr);
	for (unsigned i = 0; i < e.nsegs; i++) {
		const struct pgelf_segment *s = &e.segs[i];
		Elf32_Phdr p = { PT_LOAD, (Elf32_Off)off, s->vaddr, s->paddr, s->filesz, s->memsz,
				 s->flags, 4 };
		if (off + s->filesz > MAX_OUT)
			die("too large");
		memcpy(out + sizeof h + i * sizeof p, &p, sizeof p);
		memcpy(out + off, s->data, s->filesz);
		off += s->filesz;
	}
	memset(sh, 0, sizeof sh);
	for (unsigned i = 0; i < e.nsects; i++) {
		const struct pgelf_section *s = &e.sects[i];
		size_t n = strlen(s->name) + 1;
		Elf32_Shdr *d = &sh[i + 1];

		if (nlen + n > sizeof names || off + s->size > MAX_OUT)
			die("too large");
		memcpy(names + nlen, s->name, n);
		*d = (Elf32_Shdr){ (Elf32_Word)nlen, s->type, s->flags, s->addr, (Elf32_Off)off,
				   s->size, 0, 0, 4, 0 };
		nlen += n;
		if (s->type == SHT_SYMTAB) {
			d->sh_link = section_index(&e, ".strtab");
			d->sh_entsize = sizeof(Elf32_Sym);
		}
		if (s->data && s->type != SHT_NOBITS && strcmp(s->name, ".shstrtab")) {
			memcpy(out + off, s->data, s->size);
			off += s->size;
		}
	}
	h.e_shstrndx = (Elf32_Half)section_index(&e, ".shstrtab");
	if (!h.e_shstrndx || off + nlen + sizeof sh > MAX_OUT)
		die("no .shstrtab, or too large");
	sh[h.e_shstrndx].sh_offset = (Elf32_Off)off;
	sh[h.e_shstrndx].sh_size = (Elf32_Word)nlen;
	memcpy(out + off, names, nlen);
	off += nlen;
	h.e_shoff = (Elf32_Off)off;
	h.e_shnum = (Elf32_Half)(e.nsects + 1);
	memcpy(out + off, sh, h.e_shnum * sizeof sh[0]);
	off += h.e_shnum * sizeof sh[0];
	memcpy(out, &h, sizeof h);
	if (!(f = fopen(argv[2], "wb")) || fwrite(out, 1, off, f) != off || fclose(f))
		die("cannot write the output");
	pgelf_free(&e);
	return 0;
}
