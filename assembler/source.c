/*
 * source.c - source files (loaded once, kept for both passes), walking
 * their lines, .include, and diagnostics.
 *
 * Diagnostics are collected and printed at the end in source order (pass 1
 * finds syntax errors, pass 2 undefined symbols and ranges; the reader
 * wants them by line).  One error per line: the first one is the cause.
 */
#include "asm_int.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void asm_oom(void)
{
	fputs("pg32-as: out of memory\n", stderr);
	exit(1);
}

void *asm_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		asm_oom();
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(asm_xrealloc(NULL, n), s, n);
}

/* A source larger than this is refused (EFBIG) rather than read until
 * memory runs out: /dev/zero, a runaway generator, a wrong file. */
#define MAX_SOURCE_SIZE	((size_t)256 << 20)

/* Read a whole file; NULL with errno set on failure. */
static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (!f)
		return NULL;
	do {
		if (n > MAX_SOURCE_SIZE) {
			fclose(f);
			free(buf);
			errno = EFBIG;
			return NULL;
		}
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 65536;
			buf = asm_xrealloc(buf, cap);
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		int e = errno ? errno : EIO;
		fclose(f);
		free(buf);
		errno = e;
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* Add a source: text (len bytes, copied) or, if text is NULL, the file at
 * path.  Returns its index, or -1 with errno set if the file is unreadable. */
int src_load(struct asm_ctx *a, const char *path, const char *text, size_t len)
{
	struct src s = { 0 };
	char real[PATH_MAX];

	if (text) {
		s.text = memcpy(asm_xrealloc(NULL, len), text, len);
	} else if (!(s.text = read_all(path, &len))) {
		return -1;
	}
	s.len = len;
	s.path = xstrdup(path);
	s.real = xstrdup(realpath(path, real) ? real : path);
	a->srcs = asm_xrealloc(a->srcs, (a->nsrcs + 1) * sizeof *a->srcs);
	a->srcs[a->nsrcs] = s;
	return (int)a->nsrcs++;
}

struct pos asm_here(const struct asm_ctx *a, const char *at)
{
	struct pos p = { a->src, a->lineno, 1, a->seq, a->lstart };

	if (a->line && at >= a->line && at <= a->line + a->linelen)
		p.col = (unsigned)(at - a->line) + 1;
	return p;
}

/* s[0..len) made printable and short, for quoting in a message. */
void asm_quote(char *buf, size_t size, const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n + 4 < size; i++) {
		unsigned char ch = (unsigned char)s[i];
		buf[n++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	if (n + 4 >= size && len > n) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
}

/* Append the source line of p and a caret under its column, the line cut to
 * a window of about 120 characters around the column. */
static size_t excerpt(const struct asm_ctx *a, const struct pos *p, char *out, size_t size)
{
	const struct src *s = &a->srcs[p->src];
	const char *line = s->text + p->lstart, *e = line;
	size_t len, from = 0, to, col = p->col - 1, n = 0;

	while (e < s->text + s->len && *e != '\n')
		e++;
	len = (size_t)(e - line);
	if (len && line[len - 1] == '\r')
		len--;
	if (col > len)
		col = len;
	to = len;
	if (len > 120) {
		from = col > 60 ? col - 60 : 0;
		to = from + 120 < len ? from + 120 : len;
	}
	/* The two lines together need at most 2 * 126 bytes. */
	if (size < 2 * 130)
		return 0;
	if (from)
		n += (size_t)snprintf(out + n, size - n, "...");
	for (size_t i = from; i < to; i++) {
		unsigned char ch = (unsigned char)line[i];
		out[n++] = ch == '\t' || (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
	}
	if (to < len)
		n += (size_t)snprintf(out + n, size - n, "...");
	out[n++] = '\n';
	if (from)
		n += (size_t)snprintf(out + n, size - n, "   ");
	for (size_t i = from; i < col; i++)
		out[n++] = line[i] == '\t' ? '\t' : ' ';
	out[n++] = '^';
	out[n++] = '\n';
	out[n] = '\0';
	return n;
}

static void add_diag(struct asm_ctx *a, unsigned long seq, char *text)
{
	if (a->ndiags == a->diagcap) {
		a->diagcap = a->diagcap ? a->diagcap * 2 : 16;
		a->diags = asm_xrealloc(a->diags, a->diagcap * sizeof *a->diags);
	}
	a->diags[a->ndiags] = (struct diag){ seq, a->ndiags, text };
	a->ndiags++;
	if (++a->nerrors >= ASM_MAX_ERRORS)
		a->stop = true;
}

static void vreport(struct asm_ctx *a, const struct pos *p, const char *fmt, va_list ap)
{
	char msg[512], *text = asm_xrealloc(NULL, 1024);
	size_t n;

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (p && p->line) {
		n = (size_t)snprintf(text, 1024, "%s:%u:%u: error: %s\n",
				     a->srcs[p->src].path, p->line, p->col, msg);
		if (n < 1024)
			excerpt(a, p, text + n, 1024 - n);
	} else if (p) {
		snprintf(text, 1024, "%s: error: %s\n", a->srcs[p->src].path, msg);
	} else {
		snprintf(text, 1024, "pg32-as: error: %s\n", msg);
	}
	add_diag(a, p ? p->seq : 0, text);
}

/* An error at 'at' (a pointer into the current line), at most one per line;
 * errors in a line that failed in pass 1 are not repeated in pass 2. */
void asm_error(struct asm_ctx *a, const char *at, const char *fmt, ...)
{
	va_list ap;
	struct pos p;

	if (a->quiet) {
		a->quiet_err = true;
		return;
	}
	if (a->line_err || a->stop)
		return;
	a->line_err = true;
	if (a->pass == 1 && a->line)
		a->linfo[a->seq] |= LI_ERR;
	p = asm_here(a, at);
	va_start(ap, fmt);
	vreport(a, a->line ? &p : NULL, fmt, ap);
	va_end(ap);
}

/* An error at a given place; p == NULL: not about any source. */
void asm_error_pos(struct asm_ctx *a, const struct pos *p, const char *fmt, ...)
{
	va_list ap;

	if (a->stop)
		return;
	va_start(ap, fmt);
	vreport(a, p, fmt, ap);
	va_end(ap);
}

static int diag_cmp(const void *x, const void *y)
{
	const struct diag *d = x, *e = y;

	if (d->seq != e->seq)
		return d->seq < e->seq ? -1 : 1;
	return d->order < e->order ? -1 : d->order > e->order;
}

void asm_flush_diags(struct asm_ctx *a)
{
	if (a->ndiags)
		qsort(a->diags, a->ndiags, sizeof *a->diags, diag_cmp);
	for (unsigned i = 0; i < a->ndiags; i++) {
		fputs(a->diags[i].text, a->diag);
		free(a->diags[i].text);
	}
	if (a->nerrors >= ASM_MAX_ERRORS)
		fputs("pg32-as: too many errors, stopping\n", a->diag);
	fflush(a->diag);
	free(a->diags);
	a->diags = NULL;
	a->ndiags = a->diagcap = 0;
}

/* Assemble every line of source src, in the current unit. */
void asm_run_src(struct asm_ctx *a, unsigned src)
{
	size_t p = 0, len = a->srcs[src].len;

	a->incstack[a->incdepth++] = src;
	a->lineno = 0;
	while (p < len && !a->stop) {
		const char *t = a->srcs[src].text;
		const char *nl = memchr(t + p, '\n', len - p);
		size_t e = nl ? (size_t)(nl - t) : len;

		a->src = src;
		a->lineno++;
		a->lstart = p;
		a->line = t + p;
		a->linelen = e - p;
		if (a->linelen && a->line[a->linelen - 1] == '\r')
			a->linelen--;
		unsigned line = a->lineno;
		asm_line(a);
		a->lineno = line;	/* an .include changed them */
		p = nl ? e + 1 : len;
	}
	a->incdepth--;
	a->line = NULL;
}

/* Where .include "name" refers to: beside the including file, then in the
 * -I folders.  Returns a malloc()ed path or NULL. */
static char *find_include(struct asm_ctx *a, const char *name)
{
	const char *inc = a->srcs[a->src].path, *slash = strrchr(inc, '/');
	size_t n = strlen(name);
	char *cand;

	if (name[0] == '/' || !slash) {
		cand = xstrdup(name);
	} else {
		size_t d = (size_t)(slash - inc) + 1;
		cand = asm_xrealloc(NULL, d + n + 1);
		memcpy(cand, inc, d);
		memcpy(cand + d, name, n + 1);
	}
	if (!access(cand, R_OK) || name[0] == '/')
		return cand;
	for (unsigned i = 0; i < a->opt.ninclude; i++) {
		size_t d = strlen(a->opt.include_dirs[i]);
		cand = asm_xrealloc(cand, d + n + 2);
		snprintf(cand, d + n + 2, "%s/%s", a->opt.include_dirs[i], name);
		if (!access(cand, R_OK))
			return cand;
	}
	free(cand);
	return NULL;
}

/* Whether canon (a resolved path) may be included: anything without
 * --include-root; else only a file inside the root's resolved folder, so
 * that a submission cannot copy another file of the machine into the
 * assembler's messages.  A root that does not resolve admits nothing. */
static bool inside_root(struct asm_ctx *a, const char *canon)
{
	char root[PATH_MAX];

	if (!a->opt.include_root)
		return true;
	if (!realpath(a->opt.include_root, root))
		return false;
	size_t n = strlen(root);
	if (n == 1)	/* "/" */
		return true;
	return !strncmp(canon, root, n) && canon[n] == '/';
}

static void chain(struct asm_ctx *a, char *buf, size_t size, unsigned last)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i <= a->incdepth && n < size; i++) {
		unsigned s = i < a->incdepth ? a->incstack[i] : last;
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? " -> " : "", a->srcs[s].path);
	}
}

void asm_include(struct asm_ctx *a, const char *name, const char *at)
{
	char real[PATH_MAX], msg[400], q[200];
	char *path = find_include(a, name);
	int idx = -1;

	asm_quote(q, sizeof q, name, strlen(name));
	if (!path) {
		asm_error(a, at, "cannot find include file '%s'", q);
		return;
	}
	const char *canon = realpath(path, real) ? real : path;
	if (canon == real && !inside_root(a, canon)) {
		asm_error(a, at, "include file '%s' is outside the include root '%s'",
			  q, a->opt.include_root);
		free(path);
		return;
	}
	for (unsigned i = 0; i < a->nsrcs; i++)
		if (!strcmp(a->srcs[i].real, canon))
			idx = (int)i;
	for (unsigned i = 0; idx >= 0 && i < a->incdepth; i++) {
		if (a->incstack[i] == (unsigned)idx) {
			chain(a, msg, sizeof msg, (unsigned)idx);
			asm_error(a, at, "include cycle: %s", msg);
			free(path);
			return;
		}
	}
	if (idx < 0 && (idx = src_load(a, path, NULL, 0)) < 0) {
		asm_error(a, at, "cannot read include file '%s': %s", q, strerror(errno));
		free(path);
		return;
	}
	free(path);
	if (a->incdepth >= MAX_INCLUDE_DEPTH) {
		chain(a, msg, sizeof msg, (unsigned)idx);
		asm_error(a, at, "includes nested too deeply (limit %d): %s", MAX_INCLUDE_DEPTH, msg);
		return;
	}
	/* The included lines are part of this unit; restore this line after. */
	unsigned src = a->src, lineno = a->lineno;
	size_t lstart = a->lstart, linelen = a->linelen;
	const char *line = a->line;
	asm_run_src(a, (unsigned)idx);
	a->src = src;
	a->lineno = lineno;
	a->lstart = lstart;
	a->linelen = linelen;
	a->line = line;
}
