/*
 * migwire.c - the migration stream's records (MIGRATION.md): the preamble
 * each side sends first, and records of a tag, a length and a CRC-32 of the
 * body, so that a damaged or cut stream is refused by name, never loaded.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "migwire.h"

static const char magic[8] = "PG32MIGR";

uint32_t mw_ld32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void mw_st32(uint8_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

double mw_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void set_lost(struct mig_wire *w)
{
	const char *why = w->io->why ? w->io->why(w->io->ctx) : NULL;

	if (!w->lost[0])
		snprintf(w->lost, sizeof w->lost, "%s", why && *why ? why : "the connection ended");
}

static int put(struct mig_wire *w, const void *p, size_t n)
{
	if (n && w->io->write(w->io->ctx, p, n)) {
		set_lost(w);
		return -1;
	}
	w->bytes += n;
	return 0;
}

static int get(struct mig_wire *w, void *p, size_t n)
{
	if (n && w->io->read(w->io->ctx, p, n)) {
		set_lost(w);
		return -1;
	}
	w->bytes += n;
	return 0;
}

int mw_send_preamble(struct mig_wire *w)
{
	uint8_t p[MW_PREAMBLE];

	memcpy(p, magic, 8);
	mw_st32(p + 8, MIG_VERSION);
	return put(w, p, sizeof p);
}

int mw_recv_preamble(struct mig_wire *w, char *err, size_t errsize)
{
	uint8_t p[MW_PREAMBLE];
	uint32_t v;

	if (get(w, p, sizeof p)) {
		snprintf(err, errsize, "no migration stream (%s)", w->lost);
		return -1;
	}
	if (memcmp(p, magic, 8)) {
		snprintf(err, errsize, "not a vmlab migration stream (bad magic)");
		return -1;
	}
	v = mw_ld32(p + 8);
	if (v != MIG_VERSION) {
		snprintf(err, errsize, "migration stream version %u, this vmlab speaks version %u",
			 v, MIG_VERSION);
		return -1;
	}
	return 0;
}

int mw_send2(struct mig_wire *w, const char tag[4], const void *a, size_t alen, const void *b,
	     size_t blen)
{
	uint8_t h[MW_HEADER];
	uLong c = crc32(0, Z_NULL, 0);

	if (alen + blen >= MW_MAX_RECORD) {
		snprintf(w->lost, sizeof w->lost, "a record of %zu bytes is too long", alen + blen);
		return -1;
	}
	if (alen)
		c = crc32(c, a, (uInt)alen);
	if (blen)
		c = crc32(c, b, (uInt)blen);
	memcpy(h, tag, 4);
	mw_st32(h + 4, (uint32_t)(alen + blen));
	mw_st32(h + 8, (uint32_t)c);
	return put(w, h, sizeof h) || put(w, a, alen) || put(w, b, blen) ? -1 : 0;
}

int mw_send(struct mig_wire *w, const char tag[4], const void *body, size_t len)
{
	return mw_send2(w, tag, body, len, NULL, 0);
}

static bool tag_ok(const uint8_t *t)
{
	for (unsigned i = 0; i < 4; i++)
		if (!(t[i] >= 'A' && t[i] <= 'Z') && t[i] != ' ')
			return false;
	return true;
}

enum mw_result mw_recv(struct mig_wire *w, char tag[5], uint8_t **body, size_t *len, char *err,
		       size_t errsize)
{
	uint8_t h[MW_HEADER], *p = NULL;
	size_t n, have = 0;

	*body = NULL;
	*len = 0;
	if (get(w, h, sizeof h))
		return MW_LOST;
	if (!tag_ok(h)) {
		snprintf(err, errsize, "corrupt migration stream (not a record tag)");
		return MW_CORRUPT;
	}
	memcpy(tag, h, 4);
	tag[4] = 0;
	n = mw_ld32(h + 4);
	if (n >= MW_MAX_RECORD) {
		snprintf(err, errsize, "corrupt migration stream (record '%s' of %zu bytes)", tag, n);
		return MW_CORRUPT;
	}
	/* Grow as the bytes arrive: a bogus length costs no more memory
	 * than the stream really holds. */
	while (have < n) {
		size_t chunk = n - have < (1u << 20) ? n - have : (1u << 20);
		uint8_t *q = realloc(p, have + chunk);

		if (!q) {
			free(p);
			snprintf(err, errsize, "out of memory for a record of %zu bytes", n);
			return MW_CORRUPT;
		}
		p = q;
		if (get(w, p + have, chunk)) {
			free(p);
			return MW_LOST;
		}
		have += chunk;
	}
	if ((uint32_t)crc32(crc32(0, Z_NULL, 0), p, (uInt)n) != mw_ld32(h + 8)) {
		free(p);
		snprintf(err, errsize, "corrupt migration stream (record '%s': checksum mismatch)",
			 tag);
		return MW_CORRUPT;
	}
	*body = p;
	*len = n;
	return MW_OK;
}
