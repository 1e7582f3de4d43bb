/*
 * loader.c - putting an executable into the machine (ISA.md "Machine"):
 * each PT_LOAD segment is copied to its p_paddr and zero-filled from
 * filesz to memsz, then the machine is reset with pc = the entry point.
 * Reading and checking the file is pgelf's job (isa/pgelf.h); this adds
 * what depends on the machine, every segment inside RAM, through the same
 * pgelf_check_load (which also serves images built in memory).
 */
#include <string.h>

#include "hw_priv.h"
#include "pgelf.h"

int hw_load_pgelf(struct machine *m, const struct pgelf *elf, const char *name,
		  char *err, size_t errsize)
{
	char why[256];

	if (pgelf_check_load(elf, m->memsize, why, sizeof why)) {
		snprintf(err, errsize, "%s: %s", name, why);
		return -1;
	}
	for (unsigned i = 0; i < elf->nsegs; i++) {
		const struct pgelf_segment *s = &elf->segs[i];

		memcpy(m->ram + s->paddr, s->data, s->filesz);
		memset(m->ram + s->paddr + s->filesz, 0, s->memsz - s->filesz);
		mmu_code_written(m, s->paddr, s->memsz);
	}
	hw_reset(m, elf->entry);
	return 0;
}

int hw_load_elf(struct machine *m, const char *path, char *err, size_t errsize)
{
	struct pgelf elf;
	int r;

	if (pgelf_read_file(path, &elf, err, errsize))
		return -1;
	r = hw_load_pgelf(m, &elf, path, err, errsize);
	pgelf_free(&elf);
	return r;
}
