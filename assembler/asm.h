/*
 * asm.h - the PG32 assembler as a library: assemble one or more source
 * files (or a string) into one PG32 executable image in memory.
 * pg32-as is a thin command line around it; tests and tools assemble in
 * memory through the same two calls.  The language is described in
 * assembler/README.md.
 */
#ifndef ASM_H
#define ASM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ASM_DEFAULT_TEXT_BASE	0x1000u
#define ASM_MAX_ERRORS		100	/* then "too many errors" and stop */

struct asm_options {
	uint32_t text_base;	/* 0 = ASM_DEFAULT_TEXT_BASE; must be 4-aligned */
	uint32_t data_base;	/* 0 = next 4 KiB boundary after .text's end */
	const char *const *include_dirs;	/* searched by .include, in order,
						 * after the including file's folder */
	unsigned ninclude;
	const char *include_root;	/* NULL, or .include reads only files
					 * inside this folder (after symbolic
					 * links and '..' are resolved) */
	FILE *diag;		/* errors go here; NULL = stderr */
	FILE *listing;		/* NULL = no listing */
};

/*
 * Assemble the files at paths[0..n-1] and link them, in that order, into
 * one ELF executable.  Every error is reported to o->diag as
 * "file:line:col: error: message" followed by the source line and a caret.
 * Returns the number of errors (0 on success, then *elf is a malloc()ed
 * image of *elfsize bytes that the caller frees); on errors *elf is NULL.
 * o may be NULL for the defaults.
 */
int asm_files(const struct asm_options *o, const char *const *paths, unsigned n,
	      uint8_t **elf, size_t *elfsize);

/* The same for one source held in memory; name is used in messages and
 * for .include's relative paths.  src is NUL-terminated (it may not contain
 * NUL bytes: use asm_buffer for arbitrary bytes). */
int asm_string(const struct asm_options *o, const char *name, const char *src,
	       uint8_t **elf, size_t *elfsize);

/* The same for len bytes of source that may contain any byte. */
int asm_buffer(const struct asm_options *o, const char *name, const char *src,
	       size_t len, uint8_t **elf, size_t *elfsize);

#endif /* ASM_H */
