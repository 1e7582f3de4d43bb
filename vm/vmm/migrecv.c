/*
 * migrecv.c - live migration, the destination side (migrate.h,
 * MIGRATION.md): a VM made from the stream, staged until the source
 * commits.
 *
 * The VM is made at the reservation (RSRV) and filled page by page; it
 * does not run and nothing outside it changes (the disk file given to the
 * destination is written at commitment only).  Every malformed record, a
 * stream that ends before CMIT, or a source that abandons the migration
 * (ABRT) discards it: the destination never runs a partial VM.
 */
#include <stdlib.h>
#include <string.h>

#include "migwire.h"
#include "snap.h"
#include "vmm_priv.h"

struct mdst {
	struct mig_wire w;
	const struct vmm_config *cfg;
	struct mig_stats *st;
	struct vm *vm;
	enum mig_stage stage;
	uint32_t round_pages;	/* pages of the round being received */
	uint8_t *image;		/* the disk's contents (STAT), to commit */
	size_t image_len;
	bool loaded;		/* STAT was loaded: ACK sent */
	double t0, tstop;
	char *err;
	size_t errsize;
};

static void enter(struct mdst *d, enum mig_stage stage)
{
	d->stage = stage;
	if (d->w.io->stage)
		d->w.io->stage(d->w.io->ctx, stage);
}

/* Refuse: tell the source why (best effort), keep it in err. */
static int refuse(struct mdst *d, const char *why)
{
	snprintf(d->err, d->errsize, "%s", why);
	mw_send(&d->w, "FAIL", why, strlen(why));
	return -1;
}

static int corrupt(struct mdst *d, const char *what)
{
	char why[200];

	snprintf(why, sizeof why, "corrupt migration stream (%s)", what);
	return refuse(d, why);
}

/* RSRV: make the empty VM. */
static int reserve(struct mdst *d, const uint8_t *b, size_t len)
{
	struct vmm_config c = *d->cfg;
	uint32_t mib, isa, pv, has_disk, nsectors;
	char why[300];

	if (len != 52 || b[51])
		return corrupt(d, "a malformed reservation");
	mib = mw_ld32(b);
	isa = mw_ld32(b + 4);
	pv = mw_ld32(b + 8);
	has_disk = mw_ld32(b + 12);
	nsectors = mw_ld32(b + 16);
	snprintf(d->st->name, sizeof d->st->name, "%s", (const char *)b + 20);
	if (mib < 1 || mib > VMM_MAX_MEM_MIB || isa >= ISA_NVARIANT || pv > 1 || has_disk > 1)
		return corrupt(d, "the reservation is out of range");
	c.mem_mib = mib;
	c.isa = (enum isa_variant)isa;
	c.pv = pv;
	if (vmm_new(&c, &d->vm, why, sizeof why))
		return refuse(d, why);
	if (has_disk != (d->vm->disk.fd >= 0)) {
		snprintf(why, sizeof why, has_disk ? "the VM has a disk: give the destination --disk"
						   : "the VM has no disk: drop the destination's --disk");
		return refuse(d, why);
	}
	if (has_disk && nsectors != d->vm->disk.nsectors) {
		snprintf(why, sizeof why, "the VM's disk has %u sectors, the destination's --disk %u",
			 nsectors, d->vm->disk.nsectors);
		return refuse(d, why);
	}
	if (mw_send(&d->w, "OKAY", NULL, 0))
		return -2;
	enter(d, MIG_PRECOPY);
	return 0;
}

static int page(struct mdst *d, const uint8_t *b, size_t len)
{
	uint32_t p;

	if (len != 4 + ISA_PAGE_SIZE)
		return corrupt(d, "a page record of the wrong size");
	p = mw_ld32(b);
	if (p >= d->vm->gmem >> ISA_PAGE_SHIFT)
		return corrupt(d, "a page outside the VM's memory");
	memcpy(d->vm->gram + ((size_t)p << ISA_PAGE_SHIFT), b + 4, ISA_PAGE_SIZE);
	d->st->pages++;
	if (d->stage == MIG_STOPCOPY)
		d->st->stop_pages++;
	else
		d->round_pages++;
	return 0;
}

static int round_end(struct mdst *d, const uint8_t *b, size_t len)
{
	uint32_t n, pages;

	if (len != 8)
		return corrupt(d, "a malformed round record");
	n = mw_ld32(b);
	pages = mw_ld32(b + 4);
	if (n != d->st->rounds || n >= MIG_MAX_ROUNDS || pages != d->round_pages)
		return corrupt(d, "a round record that does not match its pages");
	d->st->round_pages[n] = pages;
	d->st->rounds = n + 1;
	d->round_pages = 0;
	return mw_send(&d->w, "RACK", NULL, 0) ? -2 : 0;
}

/* STAT: the CPU and devices into the VM, which then holds the whole guest. */
static int state(struct mdst *d, const uint8_t *b, size_t len)
{
	struct snap_rd r = { .p = b, .len = len, .end = len };
	const uint8_t *image;
	char why[200];

	if (!vmm_state_load_ex(d->vm, &r, &image, false) || !snap_done(&r)) {
		snprintf(why, sizeof why, "the VM's state: %s", r.what);
		return refuse(d, why);
	}
	if (image) {
		d->image_len = (size_t)d->vm->disk.nsectors * ISA_SECTOR_SIZE;
		d->image = malloc(d->image_len ? d->image_len : 1);
		if (!d->image)
			return refuse(d, "out of memory for the disk's contents");
		memcpy(d->image, image, d->image_len);
	}
	d->loaded = true;
	return mw_send(&d->w, "ACK ", NULL, 0) ? -2 : 0;
}

/* CMIT: the source has given the VM up.  Write the disk, say OWN. */
static int commit(struct mdst *d)
{
	char why[200];

	if (disk_put_image(&d->vm->disk, d->image, why, sizeof why)) {
		snprintf(d->err, d->errsize, "%s", why);
		return -1;	/* no OWN: the source runs on */
	}
	if (mw_send(&d->w, "OWN ", NULL, 0))
		return -2;
	enter(d, MIG_ACTIVATE);
	return 0;
}

/* One record in the current stage: 0, 1 when committed, -1 refused (err
 * set), -2 the channel failed. */
static int record(struct mdst *d, const char *tag, const uint8_t *b, size_t len)
{
	if (!d->vm)
		return strcmp(tag, "RSRV") ? corrupt(d, "no reservation first") : reserve(d, b, len);
	if (!strcmp(tag, "PAGE") && !d->loaded)
		return page(d, b, len);
	if (!strcmp(tag, "ROND") && d->stage != MIG_STOPCOPY)
		return round_end(d, b, len);
	if (!strcmp(tag, "STOP") && d->stage != MIG_STOPCOPY && len == 0) {
		enter(d, MIG_STOPCOPY);
		d->tstop = mw_now_ms();
		return 0;
	}
	if (!strcmp(tag, "STAT") && d->stage == MIG_STOPCOPY && !d->loaded)
		return state(d, b, len);
	if (!strcmp(tag, "CMIT") && d->loaded && len == 0) {
		enter(d, MIG_COMMIT);
		int rc = commit(d);

		return rc ? rc : 1;
	}
	if (!strcmp(tag, "ABRT")) {
		snprintf(d->err, d->errsize, "the source abandoned the migration during the %s "
			 "(%.*s)", mig_stage_name(d->stage), (int)(len < 100 ? len : 100),
			 b ? (const char *)b : "");
		return -1;
	}
	char what[64];

	snprintf(what, sizeof what, "record '%s' out of place", tag);
	return corrupt(d, what);
}

int vmm_migrate_in(const struct vmm_config *cfg, const struct mig_io *io, struct vm **out,
		   struct mig_stats *st, char *err, size_t errsize)
{
	struct mdst d = { .w = { .io = io }, .cfg = cfg, .st = st, .stage = MIG_RESERVE,
			  .err = err, .errsize = errsize, .t0 = mw_now_ms() };
	int rc = 0;

	*out = NULL;
	*st = (struct mig_stats){ 0 };
	enter(&d, MIG_RESERVE);
	if (mw_recv_preamble(&d.w, err, errsize)) {
		mw_send_preamble(&d.w);		/* so the source learns our version */
		return -1;
	}
	if (mw_send_preamble(&d.w)) {
		snprintf(err, errsize, "the connection was lost (%s)", d.w.lost);
		return -1;
	}
	while (rc == 0) {
		char tag[5], why[200];
		uint8_t *body;
		size_t len;
		enum mw_result m = mw_recv(&d.w, tag, &body, &len, why, sizeof why);

		if (m == MW_OK) {
			rc = record(&d, tag, body, len);
		} else if (m == MW_CORRUPT) {
			snprintf(err, errsize, "%s", why);
			mw_send(&d.w, "FAIL", why, strlen(why));
			rc = -1;
		} else {
			rc = -2;
		}
		free(body);
	}
	if (rc == -2)
		snprintf(err, errsize, "the source failed during the %s (%s)",
			 mig_stage_name(d.stage), d.w.lost);
	free(d.image);
	st->bytes = d.w.bytes;
	st->total_ms = mw_now_ms() - d.t0;
	if (rc != 1) {
		vmm_free(d.vm);		/* the partial VM goes */
		return -1;
	}
	st->stop_tick = vmm_ticks(d.vm);
	st->down_ms = mw_now_ms() - d.tstop;
	*out = d.vm;
	return 0;
}

/* --- a recorded stream, for tests and fuzzing -------------------------------- */

struct memio {
	const uint8_t *p;
	size_t len, pos;
};

static int mem_read(void *ctx, void *p, size_t n)
{
	struct memio *m = ctx;

	if (n > m->len - m->pos)
		return -1;
	memcpy(p, m->p + m->pos, n);
	m->pos += n;
	return 0;
}

static int mem_write(void *ctx, const void *p, size_t n)
{
	(void)ctx;
	(void)p;
	(void)n;
	return 0;
}

int vmm_migrate_in_mem(const struct vmm_config *cfg, const uint8_t *stream, size_t len,
		       struct vm **out, char *err, size_t errsize)
{
	struct memio m = { .p = stream, .len = len };
	struct mig_io io = { .write = mem_write, .read = mem_read, .ctx = &m };
	struct mig_stats st;

	return vmm_migrate_in(cfg, &io, out, &st, err, errsize);
}
