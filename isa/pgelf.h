/*
 * pgelf.h - reading PG32 executables (ELF32, little-endian, machine
 * ISA_ELF_MACHINE, type ET_EXEC).  The one ELF reader of vmlab: the machine's
 * loader, pg32-objdump and the monitor's symbol lookup all use it.  It checks
 * everything it reads: a file that is not a well-formed PG32 executable is
 * refused with a message, never read out of bounds.
 */
#ifndef PGELF_H
#define PGELF_H

#include <stddef.h>
#include <stdint.h>

#define PGELF_SEG_X	1u	/* same values as ELF's PF_X, PF_W, PF_R */
#define PGELF_SEG_W	2u
#define PGELF_SEG_R	4u

struct pgelf_segment {		/* one PT_LOAD program header */
	uint32_t vaddr, paddr;
	uint32_t filesz, memsz;	/* filesz <= memsz; the rest is zero-filled */
	uint32_t flags;		/* PGELF_SEG_* */
	const uint8_t *data;	/* filesz bytes, inside the image */
};

struct pgelf_section {		/* one active (not SHT_NULL) section header with a name */
	const char *name;
	uint32_t addr, size;
	uint32_t type, flags;	/* ELF's SHT_* and SHF_* */
	const uint8_t *data;	/* NULL for SHT_NOBITS */
	unsigned index;		/* in the file's section headers (a symbol's shndx) */
};

struct pgelf_symbol {		/* one named symbol of .symtab */
	const char *name;
	uint32_t value, size;
	uint8_t bind, type;	/* ELF's STB_* and STT_* */
	uint16_t shndx;
};

struct pgelf {
	uint8_t *image;		/* the whole file, owned */
	size_t size;
	uint32_t entry;
	unsigned nsegs, nsects, nsyms;
	struct pgelf_segment *segs;
	struct pgelf_section *sects;
	struct pgelf_symbol *syms;	/* sorted by value, then name */
};

/* The checks of ISA.md section 12 on a parsed (or hand-built) executable,
 * which pgelf_parse makes with memsize 0 and a loader with its RAM size:
 * every segment's filesz <= memsz; no two segments overlap in physical
 * memory; each lies in [0, memsize) when memsize != 0; e_entry is a
 * multiple of 4 and its word lies in an executable segment's physical
 * range, p_paddr <= e_entry and e_entry + 4 <= p_paddr + p_memsz (the
 * entry is the reset pc, used with paging off).  Returns 0, or -1 with a
 * one-line message in err. */
int pgelf_check_load(const struct pgelf *elf, uint64_t memsize, char *err, size_t errsize);

/* Read and check the executable at path.  Returns 0, or -1 with a one-line
 * message (naming the file and what is wrong: "not an ELF file", "not a PG32
 * executable (machine 0x3e)", "truncated: program header 2 ends at byte N of
 * M", "entry point 0x... is outside every executable segment") in err. */
int pgelf_read_file(const char *path, struct pgelf *elf, char *err, size_t errsize);

/* The same on a buffer, which the struct takes ownership of (free()d by
 * pgelf_free, also on failure). */
int pgelf_parse(uint8_t *buf, size_t size, struct pgelf *elf, char *err, size_t errsize);

void pgelf_free(struct pgelf *elf);

/* The symbol at or before addr that best names it (functions and labels
 * before section names), with *off = addr - value; NULL if none is within
 * 64 KiB below addr. */
const struct pgelf_symbol *pgelf_symbolize(const struct pgelf *elf, uint32_t addr, uint32_t *off);

/* The symbol with this name, NULL if none. */
const struct pgelf_symbol *pgelf_lookup(const struct pgelf *elf, const char *name);

#endif /* PGELF_H */
