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

uint64_t disk_next_event(const struct disk *d)
{
	return d->req.due;
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
