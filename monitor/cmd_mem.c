/*
 * cmd_mem.c - memory and the rest: x, xp, disas, set, symbol, trace.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

struct xfmt {
	unsigned count;
	char fmt;	/* x d u c s i */
	unsigned size;	/* 1 2 4 */
};

static int parse_fmt(struct mon_shell *sh, const char *s, struct xfmt *f)
{
	bool sized = false;

	*f = (struct xfmt){ .count = 1, .fmt = 'x', .size = 4 };
	if (*s++ != '/')
		return mon_error(sh, "bad format '%s'", s - 1);
	if (isdigit((unsigned char)*s)) {
		char *end;
		unsigned long n = strtoul(s, &end, 10);

		if (n == 0 || n > 4096)
			return mon_error(sh, "count %lu out of range 1..4096", n);
		f->count = (unsigned)n;
		s = end;
	}
	for (; *s; s++) {
		switch (*s) {
		case 'x': case 'd': case 'u': case 'c': case 's': case 'i':
			f->fmt = *s;
			if (*s == 'c' && !sized)
				f->size = 1;
			break;
		case 'b': f->size = 1; sized = true; break;
		case 'h': f->size = 2; sized = true; break;
		case 'w': f->size = 4; sized = true; break;
		default:
			return mon_error(sh, "bad format letter '%c' (count, then x d u c s i, b h w)", *s);
		}
	}
	return 0;
}

static int read_mem(struct mon_shell *sh, bool phys, uint32_t a, void *buf, size_t n)
{
	const char *why = "outside guest RAM";
	struct target *t = sh->t;

	if (phys ? t->ops->phys_read(t, a, buf, n) : tgt_virt_read(t, a, buf, n, &why))
		return mon_error(sh, "cannot read %s 0x%08x: %s", phys ? "guest-physical" : "address",
				 a, why);
	return 0;
}

static void line_head(struct mon_shell *sh, bool phys, uint32_t a)
{
	char sym[96];

	if (!phys && tgt_symbolize(sh->t, a, sym, sizeof sym))
		fprintf(sh->out, "0x%08x <%s>:", a, sym);
	else
		fprintf(sh->out, "0x%08x:", a);
}

static int disas_lines(struct mon_shell *sh, bool phys, uint32_t a, unsigned n)
{
	uint32_t pc = sh->t->ops->get_pc(sh->t);

	for (unsigned i = 0; i < n; i++, a += 4) {
		uint32_t w;
		char dis[128];

		if (read_mem(sh, phys, a, &w, 4))
			return -1;
		isa_disasm(w, a, dis, sizeof dis, tgt_symbolizer, sh->t);
		fputs(!phys && a == pc ? "=> " : "   ", sh->out);
		line_head(sh, phys, a);
		fprintf(sh->out, " %08x  %s\n", w, dis);
	}
	return 0;
}

static int examine(struct mon_shell *sh, bool phys, int argc, char **argv)
{
	struct xfmt f = { .count = 1, .fmt = 'x', .size = 4 };
	uint32_t a;
	unsigned per_line;

	if (argc >= 1 && argv[0][0] == '/') {
		if (parse_fmt(sh, argv[0], &f))
			return -1;
		argc--;
		argv++;
	}
	if (argc != 1)
		return mon_error(sh, "usage: %s[/NFS] ADDR", phys ? "xp" : "x");
	if (mon_eval(sh, argv[0], &a))
		return -1;
	if (f.fmt == 'i') {
		if (a & 3)
			return mon_error(sh, "0x%08x is not a multiple of 4", a);
		return disas_lines(sh, phys, a, f.count);
	}
	if (f.fmt == 's') {
		for (unsigned i = 0; i < f.count; i++) {
			line_head(sh, phys, a);
			fputs(" \"", sh->out);
			for (unsigned n = 0; n < 256; n++, a++) {
				uint8_t c;

				if (read_mem(sh, phys, a, &c, 1))
					return -1;
				if (!c)
					break;
				if (c == '\n')
					fputs("\\n", sh->out);
				else if (c == '"' || c == '\\')
					fprintf(sh->out, "\\%c", c);
				else if (isprint(c))
					fputc(c, sh->out);
				else
					fprintf(sh->out, "\\x%02x", c);
			}
			fputs("\"\n", sh->out);
			a++;
		}
		return 0;
	}
	if (a & (f.size - 1))
		return mon_error(sh, "0x%08x is not aligned to %u bytes", a, f.size);
	per_line = f.size == 4 ? 4 : 8;
	for (unsigned i = 0; i < f.count; i++, a += f.size) {
		uint32_t v = 0;

		if (read_mem(sh, phys, a, &v, f.size))
			return -1;
		if (i % per_line == 0) {
			if (i)
				fputc('\n', sh->out);
			line_head(sh, phys, a);
		}
		switch (f.fmt) {
		case 'x': fprintf(sh->out, " 0x%0*x", (int)f.size * 2, v); break;
		case 'u': fprintf(sh->out, " %u", v); break;
		case 'd':
			fprintf(sh->out, " %d", f.size == 1 ? (int8_t)v : f.size == 2 ? (int16_t)v : (int32_t)v);
			break;
		case 'c':
			if (isprint((int)(v & 0xff)))
				fprintf(sh->out, " '%c'", (int)(v & 0xff));
			else
				fprintf(sh->out, " '\\x%02x'", v & 0xff);
			break;
		}
	}
	fputc('\n', sh->out);
	return 0;
}

int cmd_x(struct mon_shell *sh, int argc, char **argv)
{
	return examine(sh, false, argc, argv);
}

int cmd_xp(struct mon_shell *sh, int argc, char **argv)
{
	return examine(sh, true, argc, argv);
}

int cmd_disas(struct mon_shell *sh, int argc, char **argv)
{
	uint32_t a = sh->t->ops->get_pc(sh->t), n = 8;

	if (argc > 2)
		return mon_error(sh, "usage: disas [ADDR [N]]");
	if (argc >= 1 && mon_eval(sh, argv[0], &a))
		return -1;
	if (argc == 2 && mon_eval(sh, argv[1], &n))
		return -1;
	if (n == 0 || n > 4096)
		return mon_error(sh, "count %u out of range 1..4096", n);
	if (a & 3)
		return mon_error(sh, "0x%08x is not a multiple of 4", a);
	return disas_lines(sh, false, a, n);
}

/* set's text: "LHS = EXPR". */
static int set_text(struct mon_shell *sh, bool phys, char *text)
{
	struct target *t = sh->t;
	char *lhs, *rhs, *eq;
	uint32_t v;
	int r;

	if (!(eq = strchr(text, '=')))
		return mon_error(sh, "usage: set REG = VALUE | set [-p] *ADDR = VALUE");
	*eq = '\0';
	lhs = text + strspn(text, " ");
	rhs = eq + 1;
	for (char *e = lhs + strlen(lhs); e > lhs && e[-1] == ' ';)
		*--e = '\0';
	if (mon_eval(sh, rhs, &v))
		return -1;
	if (*lhs == '*') {
		uint32_t a;
		const char *why = "outside guest RAM";

		if (mon_eval(sh, lhs + 1, &a))
			return -1;
		if (a & 3)
			return mon_error(sh, "0x%08x is not aligned to 4 bytes", a);
		if (phys ? t->ops->phys_write(t, a, &v, 4) : tgt_virt_write(t, a, &v, 4, &why))
			return mon_error(sh, "cannot write 0x%08x: %s", a, why);
		return 0;
	}
	if (phys)
		return mon_error(sh, "-p is for memory: set -p *ADDR = VALUE");
	if (*lhs == '$')
		lhs++;
	if (!strcmp(lhs, "pc")) {
		if (v & 3)
			return mon_error(sh, "pc must be a multiple of 4");
		t->ops->set_pc(t, v);
	} else if ((r = isa_reg_parse(lhs, strlen(lhs))) >= 0) {
		if (r == 0)
			return mon_error(sh, "zero is always 0");
		t->ops->set_reg(t, (unsigned)r, v);
	} else if ((r = isa_cr_parse(lhs, strlen(lhs))) >= 0) {
		t->ops->set_cr(t, (unsigned)r, v);
	} else {
		return mon_error(sh, "no register '%s'", lhs);
	}
	return 0;
}

/* The words joined by spaces, in a buffer as long as they need (the
 * caller frees it); NULL when out of memory. */
static char *join_words(int argc, char **argv)
{
	size_t len = 1, at = 0;
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if (!(s = malloc(len)))
		return NULL;
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]);

		memcpy(s + at, argv[i], n);
		at += n;
		s[at++] = ' ';
	}
	s[at] = '\0';
	return s;
}

/* set NAME = EXPR, set *ADDR = EXPR, set -p *ADDR = EXPR.  The words are
 * joined first: "a0=1", "a0 =1" and "a0 = 1" are the same. */
int cmd_set(struct mon_shell *sh, int argc, char **argv)
{
	char *text;
	bool phys = false;
	int r;

	if (argc >= 1 && !strcmp(argv[0], "-p")) {
		phys = true;
		argc--;
		argv++;
	}
	if (!(text = join_words(argc, argv)))
		return mon_error(sh, "out of memory");
	r = set_text(sh, phys, text);
	free(text);
	return r;
}

int cmd_symbol(struct mon_shell *sh, int argc, char **argv)
{
	uint32_t v;
	char sym[96];

	if (argc != 1)
		return mon_error(sh, "usage: symbol ADDR|NAME");
	if (mon_eval(sh, argv[0], &v))
		return -1;
	if (tgt_symbolize(sh->t, v, sym, sizeof sym))
		fprintf(sh->out, "0x%08x <%s>\n", v, sym);
	else
		fprintf(sh->out, "0x%08x (no symbol)\n", v);
	return 0;
}

int cmd_trace(struct mon_shell *sh, int argc, char **argv)
{
	uint32_t mask = 0, m;
	const char *bad;
	bool on;

	if (argc == 0) {
		fprintf(sh->out, "trace: %s\n", mon_trace_names(sh->sink.print));
		return 0;
	}
	if (strcmp(argv[0], "on") && strcmp(argv[0], "off"))
		return mon_error(sh, "usage: trace on|off CATEGORY... (insn trap exit shadow irq dev hcall all)");
	on = !strcmp(argv[0], "on");
	for (int i = 1; i < argc; i++) {
		if (mon_trace_parse(argv[i], &m, &bad))
			return mon_error(sh, "no trace category '%s' (insn trap exit shadow irq dev hcall all)",
					 bad);
		mask |= m;
	}
	if (argc == 1) {
		if (on)
			return mon_error(sh, "trace on what? (insn trap exit shadow irq dev hcall all)");
		mask = TRACE_ALL;
	}
	mon_sink_set_print(&sh->sink, on ? sh->sink.print | mask : sh->sink.print & ~mask);
	sh->t->ops->set_tracer(sh->t, &sh->sink.tr);
	fprintf(sh->out, "trace: %s\n", mon_trace_names(sh->sink.print));
	return 0;
}
