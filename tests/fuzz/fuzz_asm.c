/*
 * fuzz_asm.c - libFuzzer harness for the assembler: any bytes as one
 * source file, assembled with a listing.  Whatever the input, pg32-as
 * must not crash, read or write out of bounds (ASan), hit undefined
 * behaviour (UBSan), or let its two passes disagree (parse.c aborts then
 * in a fuzzing build); and what it does
 * produce, the ELF reader must accept (unless .text is empty, which
 * assembler/README.md says no loader takes).
 */
#include "asm.h"
#include "pgelf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *diag = NULL;
	size_t diagsize = 0;
	struct asm_options o = { 0 };
	uint8_t *img = NULL;
	size_t imgsize = 0;
	int errors;

	o.diag = open_memstream(&diag, &diagsize);
	o.listing = fopen("/dev/null", "w");
	if (!o.diag || !o.listing)
		abort();
	errors = asm_buffer(&o, "f.s", (const char *)data, size, &img, &imgsize);
	fclose(o.diag);
	fclose(o.listing);
	if (!errors) {
		struct pgelf e;
		char err[256];

		if (pgelf_parse(img, imgsize, &e, err, sizeof err) == 0)
			pgelf_free(&e);
		else if (!strstr(err, "outside every executable segment")) {
			fprintf(stderr, "the reader refused the assembler's output: %s\n", err);
			abort();
		}
	}
	free(diag);
	return 0;
}
