/*
 * lex.c - the scanner: whitespace and comments, identifiers, integer,
 * character and string literals.  It works on (pointer, end) ranges, so a
 * line may hold any byte, NUL included, and be of any length.
 */
#include "asm_int.h"

#include <ctype.h>
#include <string.h>

void cur_ws(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' ||
				 *c->p == '\v' || *c->p == '\f'))
		c->p++;
	if (c->p < c->end && *c->p == '#')	/* a comment runs to the end */
		c->p = c->end;
}

/* True at the end of the line (after whitespace and any comment). */
bool cur_end(struct cur *c)
{
	cur_ws(c);
	return c->p >= c->end;
}

/* Skip whitespace; consume ch if it is next. */
bool cur_eat(struct cur *c, char ch)
{
	cur_ws(c);
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return true;
	}
	return false;
}

bool is_ident_start(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       ch == '_' || ch == '.' || ch == '$';
}

bool is_ident_char(int ch)
{
	return is_ident_start(ch) || (ch >= '0' && ch <= '9');
}

/* Length of the identifier at c->p, 0 if there is none. */
size_t cur_ident(const struct cur *c)
{
	const char *q = c->p;

	if (q >= c->end || !is_ident_start((unsigned char)*q))
		return 0;
	while (q < c->end && is_ident_char((unsigned char)*q))
		q++;
	return (size_t)(q - c->p);
}

/* Lower-case s[0..len) into buf; returns 0 if it does not fit. */
size_t lex_lower(char *buf, size_t size, const char *s, size_t len)
{
	if (len + 1 > size)
		return 0;
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)tolower((unsigned char)s[i]);
	buf[len] = '\0';
	return len;
}

static int digit_value(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return 99;
}

/* An integer literal: decimal, 0x hex, 0b binary, 0o or leading-0 octal.
 * Values up to 2^64-1 are accepted (and wrap to the 64-bit signed value). */
bool lex_number(struct asm_ctx *a, struct cur *c, int64_t *v)
{
	const char *start = c->p;
	unsigned base = 10;
	uint64_t n = 0;
	bool any = false;

	if (c->p + 1 < c->end && c->p[0] == '0') {
		char x = (char)tolower((unsigned char)c->p[1]);
		if (x == 'x' || x == 'b' || x == 'o') {
			base = x == 'x' ? 16 : x == 'b' ? 2 : 8;
			c->p += 2;
		} else if (c->p[1] >= '0' && c->p[1] <= '9') {
			base = 8;
			c->p++;
		}
	}
	while (c->p < c->end && is_ident_char((unsigned char)*c->p)) {
		unsigned d = (unsigned)digit_value((unsigned char)*c->p);
		if (d >= base) {
			asm_error(a, start, "invalid digit '%c' in number", *c->p);
			return false;
		}
		if (n > (UINT64_MAX - d) / base) {
			asm_error(a, start, "number too large");
			return false;
		}
		n = n * base + d;
		any = true;
		c->p++;
	}
	if (!any && base != 8) {
		asm_error(a, start, "number has no digits");
		return false;
	}
	*v = (int64_t)n;
	return true;
}

/* One character of a char or string literal, escape sequences decoded. */
static bool lex_one(struct asm_ctx *a, struct cur *c, int *ch)
{
	const char *at = c->p;

	if (*c->p != '\\') {
		*ch = (unsigned char)*c->p++;
		return true;
	}
	c->p++;
	if (c->p >= c->end) {
		asm_error(a, at, "unterminated escape sequence");
		return false;
	}
	switch (*c->p++) {
	case 'n': *ch = '\n'; return true;
	case 't': *ch = '\t'; return true;
	case 'r': *ch = '\r'; return true;
	case '0': *ch = '\0'; return true;
	case '\\': *ch = '\\'; return true;
	case '\'': *ch = '\''; return true;
	case '"': *ch = '"'; return true;
	case 'x': {
		int hi, lo;
		if (c->end - c->p < 2 || (hi = digit_value((unsigned char)c->p[0])) > 15 ||
		    (lo = digit_value((unsigned char)c->p[1])) > 15) {
			asm_error(a, at, "\\x needs two hex digits");
			return false;
		}
		c->p += 2;
		*ch = hi * 16 + lo;
		return true;
	}
	default:
		asm_error(a, at, "unknown escape sequence '\\%c'", c->p[-1]);
		return false;
	}
}

bool lex_char(struct asm_ctx *a, struct cur *c, int64_t *v)
{
	const char *start = c->p;
	int ch;

	c->p++;		/* the opening quote */
	if (c->p >= c->end || *c->p == '\'') {
		asm_error(a, start, c->p >= c->end ? "unterminated character literal"
						  : "empty character literal");
		return false;
	}
	if (!lex_one(a, c, &ch))
		return false;
	if (c->p >= c->end || *c->p != '\'') {
		asm_error(a, start, "unterminated character literal");
		return false;
	}
	c->p++;
	*v = ch;
	return true;
}

bool lex_string(struct asm_ctx *a, struct cur *c, void (*put)(struct asm_ctx *, uint8_t))
{
	const char *start = c->p;
	int ch;

	if (c->p >= c->end || *c->p != '"') {
		asm_error(a, c->p, "expected a string in double quotes");
		return false;
	}
	c->p++;
	while (c->p < c->end && *c->p != '"') {
		if (!lex_one(a, c, &ch))
			return false;
		put(a, (uint8_t)ch);
	}
	if (c->p >= c->end) {
		asm_error(a, start, "unterminated string");
		return false;
	}
	c->p++;
	return true;
}
