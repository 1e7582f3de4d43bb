/*
 * snap.c - snapshot files and the (de)serialising buffer.  See snap.h.
 *
 * zlib does the compression (deflate, level 1: guest RAM is mostly zeros
 * or code, and level 1 gets nearly all of that at several times the
 * speed of the default) and the CRC-32s.
 */
#include "snap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static const char magic[8] = "PG32SNAP";

/* Payloads larger than this are refused before any allocation: 2 GiB of
 * RAM plus a disk of up to 2^32 sectors is the most a machine can have. */
#define RAW_MAX		((UINT64_C(1) << 31) + (UINT64_C(1) << 41))
#define ZCHUNK		(1u << 20)

/* --- writing ----------------------------------------------------------------- */

static void reserve(struct snap_buf *b, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (b->failed || b->len + n <= b->cap)
		return;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + n)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->failed = true;
		return;
	}
	b->p = p;
	b->cap = cap;
}

void snap_put_bytes(struct snap_buf *b, const void *p, size_t n)
{
	reserve(b, n);
	if (b->failed || n == 0)
		return;
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

uint8_t *snap_put_space(struct snap_buf *b, size_t n)
{
	reserve(b, n);
	if (b->failed)
		return NULL;
	b->len += n;
	return b->p + b->len - n;
}

void snap_put32(struct snap_buf *b, uint32_t v)
{
	uint8_t x[4] = { v & 0xff, v >> 8 & 0xff, v >> 16 & 0xff, v >> 24 };

	snap_put_bytes(b, x, 4);
}

void snap_put64(struct snap_buf *b, uint64_t v)
{
	snap_put32(b, (uint32_t)v);
	snap_put32(b, (uint32_t)(v >> 32));
}

void snap_begin(struct snap_buf *b, const char tag[4])
{
	snap_put_bytes(b, tag, 4);
	b->sect = b->len;
	snap_put32(b, 0);
}

void snap_end(struct snap_buf *b)
{
	uint64_t n = b->len - b->sect - 4;

	if (b->failed)
		return;
	if (n > UINT32_MAX) {	/* a 2^32-sector disk: too big for one section */
		b->failed = true;
		return;
	}
	for (unsigned i = 0; i < 4; i++)
		b->p[b->sect + i] = (uint8_t)(n >> (8 * i));
}

void snap_buf_free(struct snap_buf *b)
{
	free(b->p);
	*b = (struct snap_buf){ 0 };
}

/* --- reading ----------------------------------------------------------------- */

static uint32_t ld32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t ld64(const uint8_t *p)
{
	return ld32(p) | (uint64_t)ld32(p + 4) << 32;
}

static void st32(uint8_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void st64(uint8_t *p, uint64_t v)
{
	st32(p, (uint32_t)v);
	st32(p + 4, (uint32_t)(v >> 32));
}

const uint8_t *snap_get_bytes(struct snap_rd *r, size_t n)
{
	const uint8_t *p;

	if (r->bad || n > r->end - r->pos) {
		r->bad = true;
		return NULL;
	}
	p = r->p + r->pos;
	r->pos += n;
	return p;
}

uint32_t snap_get32(struct snap_rd *r)
{
	const uint8_t *p = snap_get_bytes(r, 4);

	return p ? ld32(p) : 0;
}

uint64_t snap_get64(struct snap_rd *r)
{
	const uint8_t *p = snap_get_bytes(r, 8);

	return p ? ld64(p) : 0;
}

static void set_what(struct snap_rd *r, const char *fmt, const char *arg)
{
	char what[64];

	snprintf(what, sizeof what, fmt, arg);
	snap_invalid(r, what);
}

bool snap_section(struct snap_rd *r, const char tag[4])
{
	char t[5] = { tag[0], tag[1], tag[2], tag[3], 0 };
	uint32_t n;

	if (r->bad)
		return false;
	r->end = r->len;
	if (r->len - r->pos < 8 || memcmp(r->p + r->pos, tag, 4)) {
		set_what(r, "section '%s' is missing", t);
		return false;
	}
	n = ld32(r->p + r->pos + 4);
	r->pos += 8;
	if (n > r->len - r->pos) {
		set_what(r, "section '%s' is truncated", t);
		return false;
	}
	r->end = r->pos + n;
	snprintf(r->what, sizeof r->what, "corrupt snapshot (section '%s' is malformed)", t);
	return true;
}

bool snap_section_end(struct snap_rd *r)
{
	if (r->bad || r->pos != r->end) {
		r->bad = true;
		return false;
	}
	r->what[0] = 0;
	r->end = r->len;
	return true;
}

void snap_invalid(struct snap_rd *r, const char *what)
{
	if (!r->bad)
		snprintf(r->what, sizeof r->what, "corrupt snapshot (%s)", what);
	r->bad = true;
}

void snap_refuse(struct snap_rd *r, const char *why)
{
	if (!r->bad)
		snprintf(r->what, sizeof r->what, "%s", why);
	r->bad = true;
}

bool snap_done(struct snap_rd *r)
{
	if (!r->bad && r->pos != r->len)
		set_what(r, "%s", "data after the last section");
	return !r->bad;
}

const char *snap_kind_name(enum snap_kind k)
{
	return k == SNAP_BARE ? "a snapshot of a bare machine"
	       : k == SNAP_HOST ? "a snapshot of a host of VMs" : "a snapshot of a VM";
}

/* --- files ------------------------------------------------------------------- */

static int write_all(FILE *f, const void *p, size_t n)
{
	return fwrite(p, 1, n, f) == n ? 0 : -1;
}

/* Deflate the payload into f after the header; *zlen: bytes written. */
static int deflate_to(FILE *f, const struct snap_buf *b, uint64_t *zlen, uint32_t *zcrc)
{
	z_stream z = { 0 };
	uint8_t *out = malloc(ZCHUNK);
	int rc = Z_OK;

	uLong c = crc32(0, Z_NULL, 0);

	*zlen = 0;
	if (!out || deflateInit(&z, 1) != Z_OK) {
		free(out);
		return -1;
	}
	z.next_in = b->p;
	z.avail_in = 0;
	size_t left = b->len;
	do {
		if (z.avail_in == 0 && left) {
			uInt n = left > (1u << 30) ? (1u << 30) : (uInt)left;

			z.avail_in = n;
			left -= n;
		}
		z.next_out = out;
		z.avail_out = ZCHUNK;
		rc = deflate(&z, left || z.avail_in ? Z_NO_FLUSH : Z_FINISH);
		if (rc == Z_STREAM_ERROR || write_all(f, out, ZCHUNK - z.avail_out)) {
			rc = Z_STREAM_ERROR;
			break;
		}
		*zlen += ZCHUNK - z.avail_out;
		c = crc32(c, out, ZCHUNK - z.avail_out);
	} while (rc != Z_STREAM_END);
	*zcrc = (uint32_t)c;
	deflateEnd(&z);
	free(out);
	return rc == Z_STREAM_END ? 0 : -1;
}

static uint32_t crc(const uint8_t *p, size_t n)
{
	uLong c = crc32(0, Z_NULL, 0);

	while (n) {
		uInt k = n > (1u << 30) ? (1u << 30) : (uInt)n;

		c = crc32(c, p, k);
		p += k;
		n -= k;
	}
	return (uint32_t)c;
}

int snap_write_file(const char *path, enum snap_kind kind, uint32_t mem_mib,
		    const struct snap_buf *b, char *err, size_t errsize)
{
	uint8_t h[SNAP_HEADER] = { 0 };
	size_t tlen = strlen(path) + 8;
	char *tmp = malloc(tlen);
	uint64_t zlen;
	uint32_t zcrc;
	FILE *f;

	if (b->failed || !tmp) {
		snprintf(err, errsize, "%s: out of memory for the snapshot", path);
		free(tmp);
		return -1;
	}
	snprintf(tmp, tlen, "%s.tmp", path);
	f = fopen(tmp, "wb");
	if (!f) {
		snprintf(err, errsize, "%s: cannot create: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	memcpy(h, magic, 8);
	st32(h + 8, SNAP_VERSION);
	st32(h + 12, kind);
	st32(h + 16, mem_mib);
	st64(h + 24, b->len);
	st32(h + 40, crc(b->p, b->len));
	if (write_all(f, h, SNAP_HEADER) || deflate_to(f, b, &zlen, &zcrc)) {
		snprintf(err, errsize, "%s: cannot write the snapshot: %s", tmp, strerror(errno));
		goto fail;
	}
	st64(h + 32, zlen);
	st32(h + 20, zcrc);
	st32(h + 44, crc(h, 44));
	if (fseek(f, 0, SEEK_SET) || write_all(f, h, SNAP_HEADER)) {
		snprintf(err, errsize, "%s: cannot write the snapshot: %s", tmp, strerror(errno));
		goto fail;
	}
	if (fclose(f)) {
		f = NULL;
		snprintf(err, errsize, "%s: cannot write the snapshot: %s", tmp, strerror(errno));
		goto fail;
	}
	f = NULL;
	if (rename(tmp, path)) {
		snprintf(err, errsize, "%s: cannot rename %s to it: %s", path, tmp,
			 strerror(errno));
		goto fail;
	}
	free(tmp);
	return 0;
fail:
	if (f)
		fclose(f);
	unlink(tmp);
	free(tmp);
	return -1;
}

static int inflate_all(const uint8_t *in, uint64_t inlen, uint8_t *out, uint64_t outlen)
{
	z_stream z = { 0 };
	int rc;

	if (inflateInit(&z) != Z_OK)
		return -1;
	z.next_in = (uint8_t *)in;
	z.next_out = out;
	do {
		if (z.avail_in == 0 && inlen) {
			uInt n = inlen > (1u << 30) ? (1u << 30) : (uInt)inlen;

			z.avail_in = n;
			inlen -= n;
		}
		if (z.avail_out == 0 && outlen) {
			uInt n = outlen > (1u << 30) ? (1u << 30) : (uInt)outlen;

			z.avail_out = n;
			outlen -= n;
		}
		rc = inflate(&z, Z_NO_FLUSH);
	} while (rc == Z_OK && (z.avail_in || inlen) && (z.avail_out || outlen));
	/* Done only when the stream ended exactly at the end of both. */
	if (rc == Z_OK && z.avail_out == 0 && outlen == 0 && (z.avail_in || inlen)) {
		uint8_t extra;

		z.next_out = &extra;
		z.avail_out = 1;
		rc = inflate(&z, Z_NO_FLUSH);
		if (z.avail_out == 0)
			rc = Z_DATA_ERROR;	/* more data than the header said */
	}
	rc = rc == Z_STREAM_END && z.avail_in == 0 && inlen == 0 && z.avail_out == 0
	     && outlen == 0 ? 0 : -1;
	inflateEnd(&z);
	return rc;
}

int snap_open_mem(const char *name, const uint8_t *file, size_t len, enum snap_kind want,
		  struct snap_info *info, uint8_t **payload, size_t *plen, char *err,
		  size_t errsize)
{
	uint32_t version, kind;
	uint8_t *p;

	*payload = NULL;
	*plen = 0;
	if (len < SNAP_HEADER) {
		snprintf(err, errsize, "%s: not a vmlab snapshot (%s)", name,
			 len >= 8 && !memcmp(file, magic, 8) ? "truncated header" : "too short");
		return -1;
	}
	if (memcmp(file, magic, 8)) {
		snprintf(err, errsize, "%s: not a vmlab snapshot (bad magic)", name);
		return -1;
	}
	if (crc(file, 44) != ld32(file + 44)) {
		snprintf(err, errsize, "%s: corrupt snapshot (header checksum mismatch)", name);
		return -1;
	}
	version = ld32(file + 8);
	kind = ld32(file + 12);
	if (version != SNAP_VERSION) {
		snprintf(err, errsize, "%s: snapshot format version %u, this vmlab reads version %u",
			 name, version, SNAP_VERSION);
		return -1;
	}
	if (kind != SNAP_BARE && kind != SNAP_VM && kind != SNAP_HOST) {
		snprintf(err, errsize, "%s: corrupt snapshot (unknown kind %u)", name, kind);
		return -1;
	}
	info->kind = kind;
	info->mem_mib = ld32(file + 16);
	info->raw_len = ld64(file + 24);
	info->z_len = ld64(file + 32);
	if (want && kind != want) {
		snprintf(err, errsize, "%s: %s, not %s", name, snap_kind_name(kind),
			 want == SNAP_BARE ? "of a bare machine (drop --bare?)"
			 : want == SNAP_HOST ? "of several VMs (restore it without --vm)"
			 : kind == SNAP_HOST ? "of one VM (restore it with its --vm options)"
					     : "of a VM (add --bare?)");
		return -1;
	}
	if (info->z_len != len - SNAP_HEADER) {
		snprintf(err, errsize, "%s: %s snapshot (%zu bytes of data, the header says %llu)",
			 name, info->z_len > len - SNAP_HEADER ? "truncated" : "overlong",
			 len - SNAP_HEADER, (unsigned long long)info->z_len);
		return -1;
	}
	if (crc(file + SNAP_HEADER, info->z_len) != ld32(file + 20)) {
		snprintf(err, errsize, "%s: corrupt snapshot (data checksum mismatch)", name);
		return -1;
	}
	if (info->raw_len > RAW_MAX || !(p = malloc(info->raw_len ? info->raw_len : 1))) {
		snprintf(err, errsize, "%s: cannot allocate %llu bytes for the snapshot", name,
			 (unsigned long long)info->raw_len);
		return -1;
	}
	if (inflate_all(file + SNAP_HEADER, info->z_len, p, info->raw_len)) {
		snprintf(err, errsize, "%s: corrupt snapshot (the compressed data is damaged)",
			 name);
		free(p);
		return -1;
	}
	if (crc(p, info->raw_len) != ld32(file + 40)) {
		snprintf(err, errsize, "%s: corrupt snapshot (payload checksum mismatch)", name);
		free(p);
		return -1;
	}
	*payload = p;
	*plen = info->raw_len;
	return 0;
}

int snap_open_file(const char *path, enum snap_kind want, struct snap_info *info,
		   uint8_t **payload, size_t *plen, char *err, size_t errsize)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	int rc;

	if (!f) {
		snprintf(err, errsize, "%s: cannot open snapshot: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		size_t n;

		if (len == cap) {
			uint8_t *nb = realloc(buf, cap = cap ? cap * 2 : 65536);

			if (!nb) {
				snprintf(err, errsize, "%s: out of memory reading the snapshot", path);
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errsize, "%s: cannot read snapshot: %s", path, strerror(errno));
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	rc = snap_open_mem(path, buf, len, want, info, payload, plen, err, errsize);
	free(buf);
	return rc;
}

/* --- the steps every kind shares --------------------------------------------- */

int snap_save(const struct snap_ops *ops, const void *obj, uint32_t mib, const char *path,
	      char *err, size_t errsize)
{
	struct snap_buf b = { 0 };
	char why[200];
	int rc;

	if (ops->save(obj, &b, why, sizeof why)) {
		snprintf(err, errsize, "%s: %s", path, why);
		snap_buf_free(&b);
		return -1;
	}
	rc = snap_write_file(path, ops->kind, mib, &b, err, errsize);
	snap_buf_free(&b);
	return rc;
}

int snap_restore(const struct snap_ops *ops, const void *cfg, uint32_t want_mib,
		 const char *path, void **out, char *err, size_t errsize)
{
	struct snap_info info;
	uint8_t *payload;
	size_t plen;
	int rc;

	*out = NULL;
	if (snap_open_file(path, ops->kind, &info, &payload, &plen, err, errsize))
		return -1;
	if (want_mib && want_mib != info.mem_mib) {
		snprintf(err, errsize, "%s: a snapshot of a %u MiB %s, not %u MiB", path,
			 info.mem_mib, ops->noun, want_mib);
		free(payload);
		return -1;
	}
	if (info.mem_mib == 0) {
		snprintf(err, errsize, "%s: corrupt snapshot (memory size 0)", path);
		free(payload);
		return -1;
	}
	rc = snap_restore_payload(ops, cfg, info.mem_mib, path, payload, plen, out, err,
				  errsize);
	free(payload);
	return rc;
}

int snap_restore_payload(const struct snap_ops *ops, const void *cfg, uint32_t mib,
			 const char *name, const uint8_t *payload, size_t plen, void **out,
			 char *err, size_t errsize)
{
	struct snap_rd r = { .p = payload, .len = plen, .end = plen };
	const uint8_t *image;
	void *obj;
	char why[200];

	*out = NULL;
	if (ops->make(cfg, mib, &obj, why, sizeof why)) {
		snprintf(err, errsize, "%s: %s", name, why);
		return -1;
	}
	if (!ops->load(obj, &r, &image) || !snap_done(&r)) {
		snprintf(err, errsize, "%s: %s", name, r.what);
		ops->discard(obj);
		return -1;
	}
	if (ops->commit(obj, image, why, sizeof why)) {
		snprintf(err, errsize, "%s: %s", name, why);
		ops->discard(obj);
		return -1;
	}
	*out = obj;
	return 0;
}
