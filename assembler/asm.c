/*
 * asm.c - the assembler's driver: load the units, pass 1, layout, pass 2,
 * the entry point, and the ELF image.
 *
 * Layout (addresses grow down the page):
 *
 *   text_base  +--------------------+  default 0x1000
 *              | .text of file 1    |  each file's piece aligned to 4 (or
 *              | .text of file 2 ...|  to its largest .align)
 *              +--------------------+
 *   data_base  | .data of file 1 ...|  default: next 4 KiB boundary
 *              +--------------------+
 *              | .bss of file 1 ... |  right after .data, same segment
 *              +--------------------+
 */
#include "asm_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const sect_name[NSEC] = { ".text", ".data", ".bss" };

static uint64_t align_up(uint64_t v, uint64_t n)
{
	return (v + n - 1) / n * n;
}

static void run_pass(struct asm_ctx *a, int pass)
{
	a->pass = pass;
	a->seq = 0;
	for (unsigned i = 0; i < a->st.n; i++) {
		struct sym *s = &a->st.v[i];
		s->cursor = 0;
		if (pass == 2 && s->kind == SYM_EQU && s->state != EQU_DONE)
			s->state = EQU_PENDING;
	}
	for (unsigned u = 0; u < a->nunits && !a->stop; u++) {
		a->unit = u;
		a->sect = SEC_TEXT;
		memset(a->off, 0, sizeof a->off);
		a->incdepth = 0;
		asm_run_src(a, a->units[u].src);
		if (pass == 1)
			memcpy(a->units[u].size, a->off, sizeof a->off);
	}
}

/* Give every piece and section its address (after pass 1). */
static void layout(struct asm_ctx *a)
{
	uint32_t bss_align = 4;
	uint64_t end[NSEC];

	for (int s = 0; s < NSEC; s++) {
		uint64_t off = 0;
		for (unsigned u = 0; u < a->nunits; u++) {
			struct unit *un = &a->units[u];
			off = align_up(off, un->align[s]);
			un->base[s] = (uint32_t)off;
			off += un->size[s];
			if (s == SEC_BSS && un->align[s] > bss_align)
				bss_align = un->align[s];
		}
		if (off > 0xffffffffu) {
			asm_error_pos(a, NULL, "%s is larger than 4 GiB", sect_name[s]);
			return;
		}
		a->size[s] = (uint32_t)off;
	}
	a->base[SEC_TEXT] = a->opt.text_base ? a->opt.text_base : ASM_DEFAULT_TEXT_BASE;
	end[SEC_TEXT] = (uint64_t)a->base[SEC_TEXT] + a->size[SEC_TEXT];
	a->base[SEC_DATA] = a->opt.data_base ? a->opt.data_base
			  : (uint32_t)align_up(end[SEC_TEXT], ISA_PAGE_SIZE);
	end[SEC_DATA] = (uint64_t)a->base[SEC_DATA] + a->size[SEC_DATA];
	a->base[SEC_BSS] = (uint32_t)align_up(end[SEC_DATA], bss_align);
	end[SEC_BSS] = align_up(end[SEC_DATA], bss_align) + a->size[SEC_BSS];
	if ((a->base[SEC_TEXT] | a->base[SEC_DATA]) & 3) {
		asm_error_pos(a, NULL, "section addresses must be 4-byte aligned (text 0x%x, "
			      "data 0x%x)", a->base[SEC_TEXT], a->base[SEC_DATA]);
		return;
	}
	for (int s = 0; s < NSEC; s++) {
		if (end[s] > 0x100000000u) {
			asm_error_pos(a, NULL, "%s at 0x%x with 0x%x bytes ends beyond 4 GiB",
				      sect_name[s], a->base[s], a->size[s]);
			return;
		}
	}
	if (a->size[SEC_TEXT] && end[SEC_BSS] > a->base[SEC_DATA] &&
	    a->base[SEC_DATA] < end[SEC_TEXT] && end[SEC_BSS] > a->base[SEC_TEXT]) {
		asm_error_pos(a, NULL, ".text 0x%x..0x%llx overlaps .data/.bss 0x%x..0x%llx",
			      a->base[SEC_TEXT], (unsigned long long)end[SEC_TEXT],
			      a->base[SEC_DATA], (unsigned long long)end[SEC_BSS]);
		return;
	}
	for (int s = 0; s < SEC_BSS; s++)
		a->data[s] = calloc(a->size[s] ? a->size[s] : 1, 1);
	if (!a->data[SEC_TEXT] || !a->data[SEC_DATA])
		asm_oom();
}

/* Global _start, else the first file's _start, else the start of .text. */
static uint32_t entry_point(struct asm_ctx *a)
{
	struct sym *s = sym_find(a, SCOPE_GLOBAL, "_start", 6);
	uint32_t v;

	if (!s && a->nunits)
		s = sym_find(a, 0, "_start", 6);
	if (!s || !s->defined)
		return a->base[SEC_TEXT];
	if (s->kind == SYM_LABEL)
		v = asm_addr(a, s->unit, s->sect, s->off);
	else
		v = (uint32_t)s->value;
	if (a->size[SEC_TEXT] && (v < a->base[SEC_TEXT] ||
				  v - a->base[SEC_TEXT] >= a->size[SEC_TEXT]))
		asm_error_pos(a, &s->def, "entry point _start (0x%x) is not inside .text "
			      "(0x%x..0x%x)", v, a->base[SEC_TEXT],
			      a->base[SEC_TEXT] + a->size[SEC_TEXT]);
	return v;
}

static void ctx_free(struct asm_ctx *a)
{
	for (unsigned i = 0; i < a->nsrcs; i++) {
		free(a->srcs[i].path);
		free(a->srcs[i].real);
		free(a->srcs[i].text);
	}
	free(a->srcs);
	free(a->units);
	free(a->linfo);
	free(a->lend);
	free(a->sbuf);
	for (int s = 0; s < NSEC; s++)
		free(a->data[s]);
	symtab_free(&a->st);
}

/* Assemble the units already loaded into a. */
static int assemble(struct asm_ctx *a, uint8_t **elf, size_t *elfsize)
{
	uint32_t entry;

	*elf = NULL;
	*elfsize = 0;
	if (!a->nerrors) {
		run_pass(a, 1);
		layout(a);
	}
	if (!a->stop && a->data[SEC_TEXT])
		run_pass(a, 2);
	if (!a->nerrors) {
		entry = entry_point(a);
		if (!a->nerrors && elf_write(a, entry, elf, elfsize)) {
			asm_error_pos(a, NULL, "out of memory writing the ELF image");
		}
	}
	asm_flush_diags(a);
	int n = a->nerrors;
	if (n) {
		free(*elf);
		*elf = NULL;
		*elfsize = 0;
	}
	ctx_free(a);
	return n;
}

static void ctx_init(struct asm_ctx *a, const struct asm_options *o)
{
	memset(a, 0, sizeof *a);
	if (o)
		a->opt = *o;
	a->diag = a->opt.diag ? a->opt.diag : stderr;
}

static void add_unit(struct asm_ctx *a, int src)
{
	a->units = asm_xrealloc(a->units, (a->nunits + 1) * sizeof *a->units);
	memset(&a->units[a->nunits], 0, sizeof a->units[0]);
	a->units[a->nunits].src = (unsigned)src;
	for (int s = 0; s < NSEC; s++)
		a->units[a->nunits].align[s] = 4;
	a->nunits++;
}

int asm_files(const struct asm_options *o, const char *const *paths, unsigned n,
	      uint8_t **elf, size_t *elfsize)
{
	struct asm_ctx a;

	ctx_init(&a, o);
	for (unsigned i = 0; i < n; i++) {
		int src = src_load(&a, paths[i], NULL, 0);
		if (src < 0)
			asm_error_pos(&a, NULL, "cannot read '%s': %s", paths[i], strerror(errno));
		else
			add_unit(&a, src);
	}
	return assemble(&a, elf, elfsize);
}

int asm_buffer(const struct asm_options *o, const char *name, const char *src, size_t len,
	       uint8_t **elf, size_t *elfsize)
{
	struct asm_ctx a;

	ctx_init(&a, o);
	add_unit(&a, src_load(&a, name, src ? src : "", src ? len : 0));
	return assemble(&a, elf, elfsize);
}

int asm_string(const struct asm_options *o, const char *name, const char *src,
	       uint8_t **elf, size_t *elfsize)
{
	return asm_buffer(o, name, src, src ? strlen(src) : 0, elf, elfsize);
}
