/*
 * asm_int.h - the assembler's internals, shared by its files and by no one
 * else.  The public interface is asm.h.
 *
 * The assembler makes two passes over the same lines (sources are loaded
 * once and kept in memory; .include re-reads from that cache):
 *   pass 1  defines labels as (unit, section, offset) and decides the size
 *           of every line; nothing has an address yet.
 *   layout  concatenates each section of each unit (command-line file) in
 *           order, giving every piece a base address.
 *   pass 2  evaluates every expression with final addresses and emits bytes.
 * Both passes see the lines in the same order, so a line's sequence number
 * indexes per-line facts from pass 1 (an error there, li's chosen size).
 */
#ifndef ASM_INT_H
#define ASM_INT_H

#include "asm.h"
#include "pg32.h"

#include <stdbool.h>

enum { SEC_TEXT, SEC_DATA, SEC_BSS, NSEC };

#define MAX_INCLUDE_DEPTH	16
#define MAX_EXPR_DEPTH		256	/* parentheses, unary operators and .equ
					 * references nested in one expression */
#define MAX_PIECE		(64u << 20)	/* bytes of one file's .text/.data */
#define SCOPE_GLOBAL		0xffffffffu

struct src {			/* one loaded file (or the string) */
	char *path;		/* as written, for messages and relative includes */
	char *real;		/* canonical path (realpath), to find cycles */
	char *text;		/* owned, len bytes */
	size_t len;
};

struct pos {			/* a place in a source, for messages */
	unsigned src;
	unsigned line, col;	/* 1-based */
	unsigned long seq;	/* line sequence number within the pass */
	size_t lstart;		/* offset of the line in the source text */
};

struct unit {			/* one command-line file and what it includes */
	unsigned src;
	uint32_t base[NSEC];	/* piece's offset within its section */
	uint32_t size[NSEC];
	uint32_t align[NSEC];	/* largest .align in the piece (at least 4) */
};

struct numdef { uint8_t sect; uint32_t off; };

enum sym_kind { SYM_NONE, SYM_LABEL, SYM_EQU, SYM_NUM };
enum equ_state { EQU_PENDING, EQU_BUSY, EQU_DONE, EQU_FAILED };

struct sym {
	const char *name;	/* points into a source text; not NUL-terminated */
	uint32_t len;
	unsigned unit;		/* the unit whose scope holds it */
	uint8_t kind;		/* enum sym_kind */
	uint8_t sect;		/* label: its section; equ: section of its '.' */
	uint8_t state;		/* equ: enum equ_state */
	bool global;		/* .globl seen in its unit */
	bool defined;		/* label or equ defined (kind != NONE) */
	uint32_t off;		/* label: offset in the unit's piece; equ: of '.' */
	int64_t value;		/* equ, when state == EQU_DONE */
	const char *expr;	/* equ: its expression text */
	size_t exprlen;
	struct pos def;		/* where defined (or first .globl'd) */
	struct numdef *defs;	/* SYM_NUM: every "N:" of the unit, in order */
	unsigned ndefs, cap, cursor;	/* cursor: defs seen so far this pass */
};

struct symtab {
	struct sym *v;
	unsigned n, cap;
	uint32_t *slot_scope, *slot_idx;	/* open addressing; idx+1, 0 = free */
	unsigned nslots, used;
};

struct cur {			/* a scanner over one line */
	const char *p, *end;
	const char *line;	/* start of the line, for columns */
};

struct val { int64_t v; bool known; };

struct diag { unsigned long seq; unsigned order; char *text; };

struct asm_ctx {
	struct asm_options opt;
	FILE *diag;
	int pass;

	struct src *srcs;
	unsigned nsrcs;
	struct unit *units;
	unsigned nunits;

	/* where the next byte goes */
	unsigned unit;
	uint8_t sect;
	uint32_t off[NSEC];

	/* the line being assembled */
	unsigned src;
	unsigned lineno;
	size_t lstart;
	const char *line;
	size_t linelen;
	unsigned long seq;
	bool line_err;
	uint8_t *linfo;		/* per line seq: LI_* flags from pass 1 */
	uint32_t *lend;		/* per line seq: the offset pass 1 ended it at */
	size_t linfo_cap;

	/* scope of expression evaluation (differs while evaluating an .equ) */
	unsigned escope;
	bool edot_fixed;
	uint8_t edot_sect;
	uint32_t edot_off;
	unsigned edepth;	/* expression nesting now (MAX_EXPR_DEPTH) */
	bool etoo_deep;		/* the limit was hit in this expression */
	int quiet;		/* > 0: errors are not reported, only noted */
	bool quiet_err;

	struct symtab st;

	uint32_t base[NSEC], size[NSEC];
	uint8_t *data[NSEC];	/* pass 2: the section contents */

	struct diag *diags;
	unsigned ndiags, diagcap;
	int nerrors;
	bool stop;

	unsigned incstack[MAX_INCLUDE_DEPTH + 2];
	unsigned incdepth;

	char *sbuf;		/* a string operand being collected */
	size_t slen, scap;
};

#define LI_ERR	0x1	/* the line had an error in pass 1 */
#define LI_LONG	0x2	/* its li was given two instructions */

/* source.c: loading, lines, diagnostics */
int src_load(struct asm_ctx *a, const char *path, const char *text, size_t len);
void asm_error(struct asm_ctx *a, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void asm_error_pos(struct asm_ctx *a, const struct pos *p, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void asm_flush_diags(struct asm_ctx *a);
struct pos asm_here(const struct asm_ctx *a, const char *at);
void asm_quote(char *buf, size_t size, const char *s, size_t len);
void asm_run_src(struct asm_ctx *a, unsigned src);
void asm_include(struct asm_ctx *a, const char *name, const char *at);
void *asm_xrealloc(void *p, size_t n);
void asm_oom(void) __attribute__((noreturn));

/* lex.c: the scanner */
void cur_ws(struct cur *c);
bool cur_end(struct cur *c);
bool cur_eat(struct cur *c, char ch);
bool is_ident_start(int ch);
bool is_ident_char(int ch);
size_t cur_ident(const struct cur *c);
bool lex_number(struct asm_ctx *a, struct cur *c, int64_t *v);
bool lex_char(struct asm_ctx *a, struct cur *c, int64_t *v);
bool lex_string(struct asm_ctx *a, struct cur *c, void (*put)(struct asm_ctx *, uint8_t));
size_t lex_lower(char *buf, size_t size, const char *s, size_t len);

/* expr.c */
bool expr_parse(struct asm_ctx *a, struct cur *c, struct val *out);
bool expr_const(struct asm_ctx *a, struct cur *c, int64_t *v);
bool expr_sym_value(struct asm_ctx *a, const char *at, struct sym *s, struct val *out);
uint32_t asm_addr(const struct asm_ctx *a, unsigned unit, unsigned sect, uint32_t off);

/* symtab.c */
void symtab_free(struct symtab *t);
struct sym *sym_find(struct asm_ctx *a, uint32_t scope, const char *name, size_t len);
struct sym *sym_get(struct asm_ctx *a, uint32_t scope, const char *name, size_t len);
struct sym *sym_resolve(struct asm_ctx *a, unsigned unit, const char *name, size_t len);
void sym_export(struct asm_ctx *a, struct sym *s);
void sym_define_label(struct asm_ctx *a, const char *name, size_t len, const char *at);
void sym_define_num(struct asm_ctx *a, const char *name, size_t len, const char *at);
void sym_define_equ(struct asm_ctx *a, const char *name, size_t len, const char *at,
		    struct cur *c);

/* parse.c: one line */
void asm_line(struct asm_ctx *a);
void asm_emit(struct asm_ctx *a, const uint8_t *bytes, uint32_t n);
void asm_emit_byte(struct asm_ctx *a, uint8_t b);
bool asm_advance(struct asm_ctx *a, uint64_t n, const char *at);

/* insn.c */
void asm_insn(struct asm_ctx *a, struct cur *c, const char *mn, size_t len);

/* directive.c */
void asm_directive(struct asm_ctx *a, struct cur *c, const char *name, size_t len);

/* listing.c */
void listing_line(struct asm_ctx *a, unsigned sect, uint32_t from, uint32_t to);

/* elfout.c */
int elf_write(struct asm_ctx *a, uint32_t entry, uint8_t **elf, size_t *size);

#endif /* ASM_INT_H */
