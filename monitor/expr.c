/*
 * expr.c - the shell's address expressions:
 *
 *	expr := ['-'] term { ('+' | '-') term }
 *	term := number | '$' register | name
 *
 * A number is decimal or 0x hex.  A name is a symbol of the image, or else
 * a register: general registers by ABI name or rN, "pc", the control
 * registers by name (the guest's view).  '$' forces a register ($sp).
 * Arithmetic wraps modulo 2^32.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

const char *mon_reg_candidate(unsigned i)
{
	if (i == 0)
		return "pc";
	i--;
	if (i < ISA_NREGS)
		return isa_reg_name(i);
	i -= ISA_NREGS;
	if (i < ISA_NCR)
		return isa_cr_name(i);
	return NULL;
}

/* A register's value by name; false if it names none. */
static bool reg_value(const struct target *t, const char *name, size_t n, uint32_t *v)
{
	int r;

	if (n == 2 && !strncmp(name, "pc", 2)) {
		*v = t->ops->get_pc(t);
		return true;
	}
	if ((r = isa_reg_parse(name, n)) >= 0) {
		*v = t->ops->get_reg(t, (unsigned)r);
		return true;
	}
	if ((r = isa_cr_parse(name, n)) >= 0) {
		*v = t->ops->get_cr(t, (unsigned)r);
		return true;
	}
	return false;
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.';
}

static int term(struct mon_shell *sh, const char **sp, uint32_t *v)
{
	const char *s = *sp;
	char name[128];
	size_t n;
	bool dollar = *s == '$';

	if (isdigit((unsigned char)*s)) {
		char *end;
		unsigned long long x;

		errno = 0;
		x = strtoull(s, &end, 0);
		if (errno || x > UINT32_MAX || is_name_char(*end))
			return mon_error(sh, "bad number '%.*s'", (int)strcspn(s, "+- "), s);
		*v = (uint32_t)x;
		*sp = end;
		return 0;
	}
	s += dollar;
	for (n = 0; is_name_char(s[n]); n++)
		;
	if (n == 0)
		return mon_error(sh, "expected a number, a symbol or a register at '%s'", *sp);
	if (n >= sizeof name)
		return mon_error(sh, "name too long");
	memcpy(name, s, n);
	name[n] = '\0';
	*sp = s + n;
	if (!dollar && tgt_lookup(sh->t, name, v))
		return 0;
	if (reg_value(sh->t, name, n, v))
		return 0;
	if (dollar)
		return mon_error(sh, "no register '$%s'", name);
	return mon_error(sh, "no symbol or register '%s'", name);
}

int mon_eval(struct mon_shell *sh, const char *s, uint32_t *v)
{
	uint32_t acc = 0, x;
	int sign = 1;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return mon_error(sh, "missing address or value");
	if (*s == '-') {
		sign = -1;
		s++;
	}
	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (term(sh, &s, &x))
			return -1;
		acc = sign > 0 ? acc + x : acc - x;
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		if (*s != '+' && *s != '-')
			return mon_error(sh, "unexpected '%s' in expression", s);
		sign = *s++ == '+' ? 1 : -1;
	}
	*v = acc;
	return 0;
}
