/*
 * mkdisk - make the guest OS's disk image from user programs.
 *
 *   mkdisk -o disk.img prog.elf...
 *
 * Sector 0 is a table of the programs, in command-line order (which is the
 * order the kernel starts them in, pid 1 first); each program's image
 * follows, from a sector of its own.  All numbers little-endian:
 *
 *   sector 0:  0  "PGDK"   magic
 *              4  count    number of entries (at most MKDISK_MAXPROG)
 *              8  0        reserved (8 bytes)
 *             16  entries, 48 bytes each:
 *                  0 name[16]  file name without ".elf", NUL-padded
 *                 16 sector    first sector of the image
 *                 20 size      bytes of the image
 *                 24 load      virtual address of the image's first byte
 *                 28 entry     where the program starts
 *                 32 text      bytes from load that are read-only text
 *                 36 bss       zero bytes to map after the image
 *                 40 0         reserved (8 bytes)
 *
 * An image is the program's memory from load to the end of its last
 * initialized byte, gaps zero-filled: its read-only segments (text), then
 * its writable ones, which must begin on a later page.  load must be page
 * aligned.  guestos/kernel.inc and disk.s read this layout.
 */
#include "pgelf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECTOR		512u
#define PAGE		4096u
#define MKDISK_MAXPROG	10u
#define ENTRY_SIZE	48u
#define ENTRIES_AT	16u
#define NAME_MAX_LEN	15u

struct prog {
	char name[16];
	uint32_t sector, size, load, entry, text, bss;
	uint8_t *image;
};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t round_up(uint32_t v, uint32_t to)
{
	return (v + to - 1) / to * to;
}

/* Name of the program at path: its base name without ".elf", which must
 * fit the table.  Returns 0, or -1 with a message. */
static int prog_name(const char *path, char *name)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len > 4 && strcmp(base + len - 4, ".elf") == 0)
		len -= 4;
	if (len == 0 || len > NAME_MAX_LEN) {
		fprintf(stderr, "mkdisk: %s: the name must have 1 to %u characters\n",
			path, NAME_MAX_LEN);
		return -1;
	}
	memcpy(name, base, len);
	name[len] = '\0';
	return 0;
}

/* Read the executable at path into *p (all but sector).  Returns 0, or -1
 * with a message naming the file. */
static int prog_read(const char *path, struct prog *p)
{
	struct pgelf elf;
	char err[256];
	uint32_t text_end = 0, file_end = 0, mem_end = 0;
	unsigned i;

	memset(p, 0, sizeof *p);
	if (prog_name(path, p->name) != 0)
		return -1;
	if (pgelf_read_file(path, &elf, err, sizeof err) != 0) {
		fprintf(stderr, "mkdisk: %s\n", err);
		return -1;
	}
	if (elf.nsegs == 0) {
		fprintf(stderr, "mkdisk: %s: no loadable segment\n", path);
		goto fail;
	}
	p->load = UINT32_MAX;
	for (i = 0; i < elf.nsegs; i++)
		if (elf.segs[i].vaddr < p->load)
			p->load = elf.segs[i].vaddr;
	if (p->load % PAGE != 0) {
		fprintf(stderr, "mkdisk: %s: lowest segment at 0x%08x is not page aligned\n",
			path, p->load);
		goto fail;
	}
	for (i = 0; i < elf.nsegs; i++) {
		const struct pgelf_segment *s = &elf.segs[i];

		if (!(s->flags & PGELF_SEG_W) && s->vaddr + s->memsz > text_end)
			text_end = s->vaddr + s->memsz;
		if (s->vaddr + s->filesz > file_end)
			file_end = s->vaddr + s->filesz;
		if (s->vaddr + s->memsz > mem_end)
			mem_end = s->vaddr + s->memsz;
	}
	text_end = text_end ? round_up(text_end, PAGE) : p->load;
	for (i = 0; i < elf.nsegs; i++) {
		const struct pgelf_segment *s = &elf.segs[i];

		if ((s->flags & PGELF_SEG_W) && s->vaddr < text_end) {
			fprintf(stderr, "mkdisk: %s: writable segment at 0x%08x shares "
				"a page with text or lies below it\n", path, s->vaddr);
			goto fail;
		}
	}
	p->text = text_end - p->load;
	p->size = file_end - p->load;
	p->bss = mem_end - file_end;
	p->entry = elf.entry;
	p->image = calloc(1, round_up(p->size, SECTOR) + 1);
	if (!p->image) {
		fprintf(stderr, "mkdisk: %s: out of memory\n", path);
		goto fail;
	}
	for (i = 0; i < elf.nsegs; i++)
		memcpy(p->image + (elf.segs[i].vaddr - p->load), elf.segs[i].data,
		       elf.segs[i].filesz);
	pgelf_free(&elf);
	return 0;
fail:
	pgelf_free(&elf);
	return -1;
}

/* Write the table and the images to out.  Returns 0, or -1 with a message. */
static int disk_write(const char *out, struct prog *progs, unsigned n)
{
	uint8_t table[SECTOR] = { 'P', 'G', 'D', 'K' };
	FILE *f;
	unsigned i;
	int bad;

	put32(table + 4, n);
	for (i = 0; i < n; i++) {
		uint8_t *e = table + ENTRIES_AT + i * ENTRY_SIZE;

		memcpy(e, progs[i].name, strlen(progs[i].name));
		put32(e + 16, progs[i].sector);
		put32(e + 20, progs[i].size);
		put32(e + 24, progs[i].load);
		put32(e + 28, progs[i].entry);
		put32(e + 32, progs[i].text);
		put32(e + 36, progs[i].bss);
	}
	f = fopen(out, "wb");
	if (!f) {
		perror(out);
		return -1;
	}
	bad = fwrite(table, 1, SECTOR, f) != SECTOR;
	for (i = 0; i < n && !bad; i++) {
		size_t len = round_up(progs[i].size, SECTOR);

		bad = fwrite(progs[i].image, 1, len, f) != len;
	}
	if (fclose(f) != 0 || bad) {
		fprintf(stderr, "mkdisk: %s: write failed\n", out);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct prog progs[MKDISK_MAXPROG];
	unsigned n = 0, i;
	uint32_t sector = 1;
	int status = 1;

	if (argc < 4 || strcmp(argv[1], "-o") != 0) {
		fprintf(stderr, "usage: mkdisk -o disk.img prog.elf...\n");
		return 2;
	}
	if ((unsigned)argc - 3 > MKDISK_MAXPROG) {
		fprintf(stderr, "mkdisk: at most %u programs fit the table\n", MKDISK_MAXPROG);
		return 1;
	}
	for (i = 3; i < (unsigned)argc; i++, n++) {
		if (prog_read(argv[i], &progs[n]) != 0)
			goto out;
		progs[n].sector = sector;
		sector += round_up(progs[n].size, SECTOR) / SECTOR;
	}
	status = disk_write(argv[2], progs, n) != 0;
out:
	for (i = 0; i < n; i++)
		free(progs[i].image);
	return status;
}
