/*
 * complete.c - TAB completion, driven by the command table (shell.h): the
 * command word, then a subcommand where the command has them ('info
 * WHAT'), then each argument as the usage describes it.  A lowercase word
 * of the usage is offered as it stands (kernel, --both); a placeholder
 * offers its values:
 *
 *	CAUSE		the trap causes (catch)
 *	CATEGORY	the trace categories
 *	COMMAND		the commands; SUBCOMMAND: the previous word's subcommands
 *	VM		the VMs' names (several VMs, --vm)
 *	FILE, TEXT, /NFS, *ADDR	nothing (a file name, free text, a format,
 *			a word that starts with a character of its own)
 *	anything else	an expression: the registers, then the image's symbols
 */
#include <ctype.h>
#include <string.h>

#include "shell.h"

#define MAXTOK 8

struct tok {
	char text[48];		/* "kernel|user", "ADDR", "/NFS" */
	bool optional, repeat;
	bool alone;		/* optional on its own: "[-p]", not "[on|off X]" */
};

/* The usage's words, brackets and "..." taken off into the flags. */
static int parse_usage(const char *usage, struct tok *t)
{
	int n = 0, depth = 0;
	const char *p = usage;

	while (n < MAXTOK) {
		struct tok *k = &t[n];
		size_t len, o = 0;

		p += strspn(p, " ");
		if (!*p)
			break;
		len = strcspn(p, " ");
		k->optional = depth > 0;
		k->alone = p[0] == '[' && depth == 0;
		for (size_t i = 0; i < len; i++) {
			if (p[i] == '[') {
				depth++;
				k->optional = true;
			} else if (p[i] == ']') {
				depth--;
			} else if (o < sizeof k->text - 1) {
				k->text[o++] = p[i];
			}
		}
		k->text[o] = '\0';
		k->alone = k->alone && depth == 0;
		k->repeat = o >= 3 && !strcmp(k->text + o - 3, "...");
		if (k->repeat)
			k->text[o - 3] = '\0';
		p += len;
		n++;
	}
	return n;
}

static bool placeholder(const char *alt, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (isupper((unsigned char)alt[i]))
			return true;
	return false;
}

/* An optional word on its own that a typed word can be told from:
 * literal alternatives (-p, --both, kernel|user) or a /FORMAT. */
static bool skippable(const struct tok *k)
{
	const char *a = k->text;

	if (!k->alone)
		return false;
	if (*a == '/')
		return true;
	for (; *a; a += *a == '|') {
		size_t n = strcspn(a, "|");

		if (placeholder(a, n))
			return false;
		a += n;
	}
	return true;
}

static bool matches(const struct tok *k, const char *word)
{
	size_t wn = strlen(word);

	if (k->text[0] == '/')
		return word[0] == '/';
	for (const char *a = k->text; *a; a += *a == '|') {
		size_t n = strcspn(a, "|");

		if (n == wn && !strncmp(a, word, n))
			return true;
		a += n;
	}
	return false;
}

/* The i-th trap cause that has a name (catch's CAUSE); NULL after the
 * last, with *i lowered by their count. */
static const char *cause_name(unsigned *i)
{
	unsigned seen = 0;

	for (unsigned c = 0; c < ISA_NCAUSE; c++) {
		const char *s = isa_cause_name(c);

		if (!strcmp(s, "reserved"))
			continue;
		if (seen++ == *i)
			return s;
	}
	*i -= seen;
	return NULL;
}

/* The *i-th value of one alternative of a word; NULL, with *i lowered by
 * the count of values, when it has fewer. */
static const char *value(const struct mon_shell *sh, const char *alt, size_t n, const char *prev,
			 unsigned *i)
{
	const struct mon_cmd *table = NULL;
	const struct target *t = sh->t;
	unsigned count;

	if (!placeholder(alt, n)) {
		static char word[48];

		if (*i > 0 || n >= sizeof word) {
			*i -= *i > 0;
			return NULL;
		}
		memcpy(word, alt, n);
		word[n] = '\0';
		return word;
	}
#define IS(w) (n == strlen(w) && !strncmp(alt, w, n))
	if (*alt == '*' || *alt == '/' || IS("FILE") || IS("TEXT"))
		return NULL;
	if (IS("CAUSE"))
		return cause_name(i);
	if (IS("CATEGORY")) {
		const char *s = mon_trace_category(*i);

		for (count = 0; !s && mon_trace_category(count); count++)
			;
		*i -= count;
		return s;
	}
	if (IS("VM")) {
		for (count = 0; count < tgt_nvms(t) && mon_vm_label(sh, count); count++)
			if (count == *i)
				return mon_vm_label(sh, count);
		*i -= count;
		return NULL;
	}
	if (IS("COMMAND"))
		table = mon_commands;
	else if (IS("SUBCOMMAND")) {
		const struct mon_cmd *c = prev ? mon_cmd_find(mon_commands, prev) : NULL;

		table = c ? c->sub : NULL;
		if (!table)
			return NULL;
	}
#undef IS
	if (table) {
		for (count = 0; table[count].name; count++)
			;
		if (*i < count)
			return table[*i].name;
		*i -= count;
		return NULL;
	}
	/* An expression: registers, then symbols. */
	for (count = 0; mon_reg_candidate(count); count++)
		;
	if (*i < count)
		return mon_reg_candidate(*i);
	*i -= count;
	count = t && t->have_elf ? t->elf.nsyms : 0;
	if (*i < count)
		return t->elf.syms[*i].name;
	*i -= count;
	return NULL;
}

/* The i-th candidate for the word after words[0..nw) of a command whose
 * arguments follow usage. */
static const char *argument(const struct mon_shell *sh, const char *usage, char **words, int nw,
			    unsigned i)
{
	struct tok tok[MAXTOK];
	int ntok = parse_usage(usage, tok), j = 0;

	for (int w = 0; w < nw; w++) {
		while (j < ntok && skippable(&tok[j]) && !matches(&tok[j], words[w]))
			j++;
		if (j >= ntok)
			return NULL;	/* more words than the usage has */
		if (!tok[j].repeat)
			j++;
	}
	for (; j < ntok; j++) {
		for (const char *a = tok[j].text; *a; a += *a == '|') {
			size_t n = strcspn(a, "|");
			const char *s = value(sh, a, n, nw ? words[nw - 1] : NULL, &i);

			if (s)
				return s;
			a += n;
		}
		if (!skippable(&tok[j]))
			break;
	}
	return NULL;
}

static unsigned table_size(const struct mon_cmd *table)
{
	unsigned n = 0;

	while (table[n].name)
		n++;
	return n;
}

const char *mon_complete(const struct mon_shell *sh, const char *before, unsigned i)
{
	char buf[512], name[MON_NAME_MAX];
	char *words[MON_MAXARGS + 1];
	const struct mon_cmd *c;
	int n;

	snprintf(buf, sizeof buf, "%s", before);
	if ((n = mon_split(buf, words, name)) < 0)
		return NULL;
	if (n == 0)	/* the command */
		return i < table_size(mon_commands) ? mon_commands[i].name : NULL;
	if (!(c = mon_cmd_find(mon_commands, words[0])))
		return NULL;
	if (c->sub) {	/* then its subcommand */
		if (n == 1)
			return i < table_size(c->sub) ? c->sub[i].name : NULL;
		if (!(c = mon_cmd_find(c->sub, words[1])))
			return NULL;
		return argument(sh, c->usage, words + 2, n - 2, i);
	}
	return argument(sh, c->usage, words + 1, n - 1, i);
}
