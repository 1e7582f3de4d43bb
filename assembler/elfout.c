/*
 * elfout.c - the executable: ELF32, little-endian, ET_EXEC, machine
 * ISA_ELF_MACHINE.
 *
 *   offset 0   ELF header
 *              program headers: PT_LOAD R+X (.text), PT_LOAD R+W (.data and
 *              .bss, memsz > filesz); an empty segment is left out
 *              .text bytes   } each placed at an offset congruent to its
 *              .data bytes   } address modulo the 4 KiB page (p_align)
 *              .symtab, .strtab, .shstrtab
 *              section headers: null .text .data .bss .symtab .strtab .shstrtab
 *
 * Symbols: one STT_FILE per input file followed by that file's local
 * labels and constants, then the globals (sh_info = index of the first).
 * Labels are STT_NOTYPE in their section; .equ constants are SHN_ABS.
 */
#include "asm_int.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "elfout.c writes ELF structures as host memory: little-endian hosts only"
#endif

enum { SH_NULL, SH_TEXT, SH_DATA, SH_BSS, SH_SYMTAB, SH_STRTAB, SH_SHSTRTAB, SH_NUM };

struct buf { uint8_t *p; size_t n, cap; };

static size_t put(struct buf *b, const void *data, size_t n)
{
	size_t at = b->n;

	if (!n)
		return at;
	if (b->n + n > b->cap) {
		while (b->n + n > b->cap)
			b->cap = b->cap ? b->cap * 2 : 4096;
		b->p = asm_xrealloc(b->p, b->cap);
	}
	if (data)
		memcpy(b->p + b->n, data, n);
	else
		memset(b->p + b->n, 0, n);
	b->n += n;
	return at;
}

static uint32_t put_str(struct buf *b, const char *s, size_t n)
{
	uint32_t at = (uint32_t)put(b, s, n);
	put(b, "", 1);
	return at;
}

/* Pad b so that its length is congruent to addr modulo the page size. */
static void pad_to_page_offset(struct buf *b, uint32_t addr)
{
	put(b, NULL, (addr - b->n) & (ISA_PAGE_SIZE - 1));
}

static void pad4(struct buf *b)
{
	put(b, NULL, (0u - b->n) & 3);
}

static void add_sym(struct asm_ctx *a, struct buf *symtab, struct buf *strtab,
		    const struct sym *s)
{
	Elf32_Sym e = { 0 };

	e.st_name = put_str(strtab, s->name, s->len);
	e.st_info = ELF32_ST_INFO(s->global ? STB_GLOBAL : STB_LOCAL, STT_NOTYPE);
	if (s->kind == SYM_LABEL) {
		e.st_value = asm_addr(a, s->unit, s->sect, s->off);
		e.st_shndx = (Elf32_Half)(SH_TEXT + s->sect);
	} else {
		e.st_value = (Elf32_Addr)s->value;
		e.st_shndx = SHN_ABS;
	}
	put(symtab, &e, sizeof e);
}

static bool emitted(const struct sym *s)
{
	return s->defined && (s->kind == SYM_LABEL || s->kind == SYM_EQU);
}

/* Returns the index of the first global symbol. */
static uint32_t build_symbols(struct asm_ctx *a, struct buf *symtab, struct buf *strtab)
{
	Elf32_Sym e = { 0 };
	uint32_t first_global;

	put(strtab, "", 1);
	put(symtab, &e, sizeof e);
	for (unsigned u = 0; u < a->nunits; u++) {
		const char *path = a->srcs[a->units[u].src].path;
		e.st_name = put_str(strtab, path, strlen(path));
		e.st_info = ELF32_ST_INFO(STB_LOCAL, STT_FILE);
		e.st_shndx = SHN_ABS;
		put(symtab, &e, sizeof e);
		for (unsigned i = 0; i < a->st.n; i++) {
			const struct sym *s = &a->st.v[i];
			if (s->unit == u && emitted(s) && !s->global)
				add_sym(a, symtab, strtab, s);
		}
	}
	first_global = (uint32_t)(symtab->n / sizeof e);
	for (unsigned i = 0; i < a->st.n; i++)
		if (emitted(&a->st.v[i]) && a->st.v[i].global)
			add_sym(a, symtab, strtab, &a->st.v[i]);
	return first_global;
}

int elf_write(struct asm_ctx *a, uint32_t entry, uint8_t **elf, size_t *size)
{
	struct buf out = { 0 }, symtab = { 0 }, strtab = { 0 }, shstr = { 0 };
	static const char *const names[SH_NUM] = {
		"", ".text", ".data", ".bss", ".symtab", ".strtab", ".shstrtab" };
	Elf32_Ehdr eh = { 0 };
	Elf32_Phdr ph[2];
	Elf32_Shdr sh[SH_NUM];
	uint32_t nph = 0, name[SH_NUM], first_global, rw_end;
	size_t off_text, off_data, off_sym, off_str, off_shstr, off_sh;

	memset(ph, 0, sizeof ph);
	memset(sh, 0, sizeof sh);
	first_global = build_symbols(a, &symtab, &strtab);
	for (int i = 0; i < SH_NUM; i++)
		name[i] = put_str(&shstr, names[i], strlen(names[i]));

	rw_end = a->base[SEC_BSS] + a->size[SEC_BSS];
	bool has_text = a->size[SEC_TEXT] > 0;
	bool has_rw = rw_end > a->base[SEC_DATA];
	put(&out, NULL, sizeof eh + (has_text + has_rw) * sizeof ph[0]);
	if (has_text)
		pad_to_page_offset(&out, a->base[SEC_TEXT]);
	off_text = put(&out, a->data[SEC_TEXT], a->size[SEC_TEXT]);
	if (has_rw)
		pad_to_page_offset(&out, a->base[SEC_DATA]);
	off_data = put(&out, a->data[SEC_DATA], a->size[SEC_DATA]);
	if (has_text)
		ph[nph++] = (Elf32_Phdr){ PT_LOAD, (Elf32_Off)off_text, a->base[SEC_TEXT],
			a->base[SEC_TEXT], a->size[SEC_TEXT], a->size[SEC_TEXT], PF_R | PF_X,
			ISA_PAGE_SIZE };
	if (has_rw)
		ph[nph++] = (Elf32_Phdr){ PT_LOAD, (Elf32_Off)off_data, a->base[SEC_DATA],
			a->base[SEC_DATA], a->size[SEC_DATA], rw_end - a->base[SEC_DATA],
			PF_R | PF_W, ISA_PAGE_SIZE };
	pad4(&out);
	off_sym = put(&out, symtab.p, symtab.n);
	off_str = put(&out, strtab.p, strtab.n);
	off_shstr = put(&out, shstr.p, shstr.n);
	pad4(&out);
	off_sh = out.n;

	sh[SH_TEXT] = (Elf32_Shdr){ name[SH_TEXT], SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
		a->base[SEC_TEXT], (Elf32_Off)off_text, a->size[SEC_TEXT], 0, 0, 4, 0 };
	sh[SH_DATA] = (Elf32_Shdr){ name[SH_DATA], SHT_PROGBITS, SHF_ALLOC | SHF_WRITE,
		a->base[SEC_DATA], (Elf32_Off)off_data, a->size[SEC_DATA], 0, 0, 4, 0 };
	sh[SH_BSS] = (Elf32_Shdr){ name[SH_BSS], SHT_NOBITS, SHF_ALLOC | SHF_WRITE,
		a->base[SEC_BSS], (Elf32_Off)(off_data + a->size[SEC_DATA]), a->size[SEC_BSS],
		0, 0, 4, 0 };
	sh[SH_SYMTAB] = (Elf32_Shdr){ name[SH_SYMTAB], SHT_SYMTAB, 0, 0, (Elf32_Off)off_sym,
		(Elf32_Word)symtab.n, SH_STRTAB, first_global, 4, sizeof(Elf32_Sym) };
	sh[SH_STRTAB] = (Elf32_Shdr){ name[SH_STRTAB], SHT_STRTAB, 0, 0, (Elf32_Off)off_str,
		(Elf32_Word)strtab.n, 0, 0, 1, 0 };
	sh[SH_SHSTRTAB] = (Elf32_Shdr){ name[SH_SHSTRTAB], SHT_STRTAB, 0, 0,
		(Elf32_Off)off_shstr, (Elf32_Word)shstr.n, 0, 0, 1, 0 };
	put(&out, sh, sizeof sh);

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS32;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_EXEC;
	eh.e_machine = ISA_ELF_MACHINE;
	eh.e_version = EV_CURRENT;
	eh.e_entry = entry;
	eh.e_phoff = nph ? sizeof eh : 0;
	eh.e_shoff = (Elf32_Off)off_sh;
	eh.e_ehsize = sizeof eh;
	eh.e_phentsize = sizeof ph[0];
	eh.e_phnum = (Elf32_Half)nph;
	eh.e_shentsize = sizeof sh[0];
	eh.e_shnum = SH_NUM;
	eh.e_shstrndx = SH_SHSTRTAB;
	memcpy(out.p, &eh, sizeof eh);
	memcpy(out.p + sizeof eh, ph, nph * sizeof ph[0]);

	free(symtab.p);
	free(strtab.p);
	free(shstr.p);
	*elf = out.p;
	*size = out.n;
	return 0;
}
