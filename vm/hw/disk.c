/*
 * disk.c - the disk device model.  See disk.h.
 */
#include "disk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pg32.h"
#include "snap.h"

#define BUSY_NONE UINT64_MAX

int disk_init(struct disk *d, const char *path, struct dev_irq irq, char *err, size_t errsize)
{
	struct stat sb;

	*d = (struct disk){ .fd = -1, .irq = irq, .req.due = BUSY_NONE };
	if (!path)
		return 0;
	d->fd = open(path, O_RDWR);
	if (d->fd < 0) {
		snprintf(err, errsize, "%s: cannot open disk image: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(d->fd, &sb) < 0) {
		snprintf(err, errsize, "%s: cannot read the disk image's size: %s", path,
			 strerror(errno));
	} else if (sb.st_size % ISA_SECTOR_SIZE != 0) {
		snprintf(err, errsize, "%s: disk image size %lld is not a multiple of %u bytes",
			 path, (long long)sb.st_size, ISA_SECTOR_SIZE);
	} else if ((uint64_t)sb.st_size / ISA_SECTOR_SIZE > UINT32_MAX) {
		/* SIZE and SECTOR are 32-bit ports (ISA.md 11.3) */
		snprintf(err, errsize, "%s: disk image is too large: %llu sectors, at most %u",
			 path, (unsigned long long)sb.st_size / ISA_SECTOR_SIZE, UINT32_MAX);
	} else {
		d->nsectors = (uint32_t)(sb.st_size / ISA_SECTOR_SIZE);
		return 0;
	}
	close(d->fd);
	d->fd = -1;
	return -1;
}

void disk_close(struct disk *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

void disk_reset(struct disk *d)
{
	d->sector = d->addr = d->count = d->status = 0;
	d->req.due = BUSY_NONE;
	dev_irq_level(&d->irq, false);
}

static void set_status(struct disk *d, uint32_t status)
{
	d->status = status;
	dev_irq_level(&d->irq, (status & ISA_DISK_DONE) != 0);
}

bool disk_read(struct disk *d, unsigned reg, uint64_t now, uint32_t *val)
{
	(void)now;
	switch (reg + ISA_PORT_DISK_SECTOR) {
	case ISA_PORT_DISK_SECTOR: *val = d->sector; return true;
	case ISA_PORT_DISK_ADDR: *val = d->addr; return true;
	case ISA_PORT_DISK_COUNT: *val = d->count; return true;
	case ISA_PORT_DISK_CMD: *val = 0; return true;
	case ISA_PORT_DISK_STATUS: *val = d->status; return true;
	case ISA_PORT_DISK_SIZE: *val = d->nsectors; return true;
	}
	return false;
}

bool disk_write(struct disk *d, unsigned reg, uint32_t val, uint64_t now)
{
	switch (reg + ISA_PORT_DISK_SECTOR) {
	case ISA_PORT_DISK_SECTOR: d->sector = val; return true;
	case ISA_PORT_DISK_ADDR: d->addr = val; return true;
	case ISA_PORT_DISK_COUNT: d->count = val; return true;
	case ISA_PORT_DISK_CMD:
		if (d->status & ISA_DISK_BUSY) {
			/* ISA.md: a CMD while BUSY sets ERROR|DONE at once and
			 * is otherwise ignored (the request in flight goes on). */
			d->errors++;
			set_status(d, d->status | ISA_DISK_ERROR | ISA_DISK_DONE);
			return true;
		}
		d->req.cmd = val;
		d->req.sector = d->sector;
		d->req.addr = d->addr;
		d->req.count = d->count;
		d->req.due = now + ISA_DISK_LATENCY;
		set_status(d, ISA_DISK_BUSY);
		return true;
	case ISA_PORT_DISK_STATUS:
		set_status(d, d->status & ~(ISA_DISK_DONE | ISA_DISK_ERROR));
		return true;
	case ISA_PORT_DISK_SIZE:	/* read-only: writes ignored */
		return true;
	}
	return false;
}

/* Do the transfer of the latched request; false if it is bad. */
static bool transfer(struct disk *d, const struct dev_dma *dma)
{
	uint64_t bytes = (uint64_t)d->req.count * ISA_SECTOR_SIZE;
	off_t off = (off_t)d->req.sector * ISA_SECTOR_SIZE;
	ssize_t n;

	if (d->fd < 0 || d->req.count == 0
	    || (d->req.cmd != ISA_DISK_CMD_READ && d->req.cmd != ISA_DISK_CMD_WRITE)
	    || (uint64_t)d->req.sector + d->req.count > d->nsectors
	    || (uint64_t)d->req.addr + bytes > dma->size)
		return false;
	if (d->req.cmd == ISA_DISK_CMD_READ) {
		n = pread(d->fd, dma->base + d->req.addr, (size_t)bytes, off);
		if (dma->written)
			dma->written(dma->ctx, d->req.addr, (uint32_t)bytes);
		if (n != (ssize_t)bytes)
			return false;
		d->reads++;
	} else {
		n = pwrite(d->fd, dma->base + d->req.addr, (size_t)bytes, off);
		if (n != (ssize_t)bytes)
			return false;
		d->writes++;
	}
	return true;
}

bool disk_update(struct disk *d, uint64_t now, const struct dev_dma *dma)
{
	uint32_t st;

	if (d->req.due == BUSY_NONE || now < d->req.due)
		return false;
	d->req.due = BUSY_NONE;
	st = (d->status & ~ISA_DISK_BUSY) | ISA_DISK_DONE;
	if (!transfer(d, dma)) {
		st |= ISA_DISK_ERROR;
		d->errors++;
	}
	set_status(d, st);
	return true;
}

void disk_describe(const struct disk *d, char *buf, size_t size)
{
	uint32_t cmd = d->req.cmd;

	snprintf(buf, size, "%s sector=%u count=%u pa=0x%08x %s",
		 cmd == ISA_DISK_CMD_READ ? "read" : cmd == ISA_DISK_CMD_WRITE ? "write" : "bad",
		 d->req.sector, d->req.count, d->req.addr,
		 d->status & ISA_DISK_ERROR ? "error" : "ok");
}

int disk_save(const struct disk *d, struct snap_buf *b, char *err, size_t errsize)
{
	uint64_t bytes = (uint64_t)d->nsectors * ISA_SECTOR_SIZE;

	snap_begin(b, "DISK");
	snap_put32(b, d->fd >= 0);
	snap_put32(b, d->nsectors);
	snap_put32(b, d->sector);
	snap_put32(b, d->addr);
	snap_put32(b, d->count);
	snap_put32(b, d->status);
	snap_put32(b, d->req.cmd);
	snap_put32(b, d->req.sector);
	snap_put32(b, d->req.addr);
	snap_put32(b, d->req.count);
	snap_put64(b, d->req.due);
	snap_put64(b, d->reads);
	snap_put64(b, d->writes);
	snap_put64(b, d->errors);
	snap_end(b);
	snap_begin(b, "DIMG");
	if (d->fd >= 0 && bytes) {
		uint8_t *p = snap_put_space(b, (size_t)bytes);

		errno = 0;
		if (p && pread(d->fd, p, (size_t)bytes, 0) != (ssize_t)bytes) {
			snprintf(err, errsize, "cannot read the disk image for the snapshot: %s",
				 errno ? strerror(errno) : "short read");
			return -1;
		}
	}
	snap_end(b);
	return 0;
}

bool disk_load(struct disk *d, struct snap_rd *r, const uint8_t **image)
{
	uint32_t present, nsectors, status;
	uint64_t bytes;

	*image = NULL;
	if (!snap_section(r, "DISK"))
		return false;
	present = snap_get32(r);
	nsectors = snap_get32(r);
	d->sector = snap_get32(r);
	d->addr = snap_get32(r);
	d->count = snap_get32(r);
	status = snap_get32(r);
	d->req.cmd = snap_get32(r);
	d->req.sector = snap_get32(r);
	d->req.addr = snap_get32(r);
	d->req.count = snap_get32(r);
	d->req.due = snap_get64(r);
	d->reads = snap_get64(r);
	d->writes = snap_get64(r);
	d->errors = snap_get64(r);
	if (!snap_section_end(r))
		return false;
	if (present > 1 || status & ~(uint32_t)(ISA_DISK_BUSY | ISA_DISK_DONE | ISA_DISK_ERROR)
	    || (d->req.due == BUSY_NONE) == ((status & ISA_DISK_BUSY) != 0)) {
		snap_invalid(r, "disk state out of range");
		return false;
	}
	if (!present && d->fd >= 0) {
		snap_refuse(r, "the snapshot's machine has no disk: drop --disk");
		return false;
	}
	if (present && d->fd < 0) {
		snap_refuse(r, "the snapshot's machine has a disk: give --disk FILE to hold it");
		return false;
	}
	if (present && nsectors != d->nsectors) {
		char msg[96];

		snprintf(msg, sizeof msg, "the snapshot's disk has %u sectors, --disk has %u",
			 nsectors, d->nsectors);
		snap_refuse(r, msg);
		return false;
	}
	bytes = (uint64_t)nsectors * ISA_SECTOR_SIZE;
	if (!snap_section(r, "DIMG"))
		return false;
	*image = present ? snap_get_bytes(r, (size_t)bytes) : NULL;
	if (!snap_section_end(r))
		return false;
	d->status = status;
	dev_irq_level(&d->irq, (status & ISA_DISK_DONE) != 0);
	return true;
}

int disk_put_image(struct disk *d, const uint8_t *image, char *err, size_t errsize)
{
	size_t bytes = (size_t)d->nsectors * ISA_SECTOR_SIZE;

	if (!image || d->fd < 0)
		return 0;
	errno = 0;
	if (pwrite(d->fd, image, bytes, 0) != (ssize_t)bytes) {
		snprintf(err, errsize, "cannot write the snapshot's disk contents: %s",
			 errno ? strerror(errno) : "short write");
		return -1;
	}
	return 0;
}
