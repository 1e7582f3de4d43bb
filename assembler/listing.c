/*
 * listing.c - the listing (-l): per source line, the address, the bytes
 * the line produced, file:line and the source text.
 *
 *   00001000  21 40 00 05              prog.s:3     addi a0, zero, 5
 *
 * Long data continues on lines of its own, 8 bytes each, up to 64 lines.
 */
#include "asm_int.h"

#define PER_ROW		8
#define MAX_ROWS	64
#define MAX_TEXT	200

void listing_line(struct asm_ctx *a, unsigned sect, uint32_t from, uint32_t to)
{
	FILE *f = a->opt.listing;
	const struct unit *u = &a->units[a->unit];
	const uint8_t *bytes = NULL;
	uint32_t addr = asm_addr(a, a->unit, sect, from), n = to - from, row = 0;
	char where[80];

	if (sect != SEC_BSS && a->data[sect] && to <= u->size[sect])
		bytes = a->data[sect] + u->base[sect] + from;
	snprintf(where, sizeof where, "%s:%u", a->srcs[a->src].path, a->lineno);
	do {
		char hex[3 * PER_ROW + 1] = "";
		uint32_t k = n - row * PER_ROW < PER_ROW ? n - row * PER_ROW : PER_ROW;
		for (uint32_t i = 0; bytes && i < k; i++)
			snprintf(hex + 3 * i, 4, "%02x ", bytes[row * PER_ROW + i]);
		fprintf(f, "%08x  %-24s", addr + row * PER_ROW, hex);
		if (row == 0) {
			fprintf(f, " %-16s ", where);
			for (size_t i = 0; i < a->linelen && i < MAX_TEXT; i++) {
				unsigned char ch = (unsigned char)a->line[i];
				fputc(ch == '\t' || (ch >= 0x20 && ch < 0x7f) ? ch : '?', f);
			}
		}
		fputc('\n', f);
		row++;
	} while (bytes && row * PER_ROW < n && row < MAX_ROWS);
	if (bytes && row * PER_ROW < n)
		fprintf(f, "%8s  ... (%u bytes in all)\n", "", n);
}
