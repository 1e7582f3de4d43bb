/*
 * loader.c - putting an executable into the machine (ISA.md "Machine"):
 * each PT_LOAD segment is copied to its p_paddr and zero-filled from
 * filesz to memsz, then the machine is reset with pc = the entry point.
 * Reading and checking the file itself is pgelf's job (isa/pgelf.h); this
 * checks what depends on the machine: every segment inside RAM and the
 * entry inside a segment.
 */
#include <string.h>

#include "hw_priv.h"
#include "pgelf.h"

int hw_load_pgelf(struct machine *m, const struct pgelf *elf, const char *name,
		  char *err, size_t errsize)
{
	bool entry_ok = false;

	for (unsigned i = 0; i < elf->nsegs; i++) {
		const struct pgelf_segment *s = &elf->segs[i];
		uint64_t end = (uint64_t)s->paddr + s->memsz;

		if (s->filesz > s->memsz) {
			snprintf(err, errsize, "%s: segment %u: file size 0x%x exceeds memory size 0x%x",
				 name, i, s->filesz, s->memsz);
			return -1;
		}
		if (end > m->memsize) {
			snprintf(err, errsize,
				 "%s: segment %u at physical 0x%08x..0x%08llx is outside RAM (%u KiB)",
				 name, i, s->paddr, (unsigned long long)end, m->memsize >> 10);
			return -1;
		}
		if (elf->entry - s->vaddr < s->memsz)
			entry_ok = true;
	}
	if (!entry_ok) {
		snprintf(err, errsize, "%s: entry point 0x%08x is outside every segment",
			 name, elf->entry);
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
