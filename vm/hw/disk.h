/*
 * disk.h - the PG32 disk device model (ISA.md "Devices"): 512-byte
 * sectors in a host image file, one command at a time, the whole DMA
 * transfer done at completion, ISA_DISK_LATENCY ticks after the command.
 *
 *   guest: out SECTOR, ADDR, COUNT; out CMD      -> STATUS = BUSY
 *   host:  disk_update(now >= due, window)        -> transfer, STATUS = DONE
 *          (| ERROR and no transfer if the request was bad), line up
 *   guest: out STATUS (acknowledge)               -> DONE, ERROR clear, line down
 *
 * A request is bad when: there is no disk, count is 0, the command is not
 * READ or WRITE, sectors past the end, the DMA range is outside the window,
 * or the host read/write fails.  SECTOR/ADDR/COUNT/CMD are latched when CMD
 * is written.  Writes reach the image file (pwrite) at completion.
 */
#ifndef HW_DISK_H
#define HW_DISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dev.h"

struct disk {
	int fd;			/* -1: no disk */
	uint32_t nsectors;
	uint32_t sector, addr, count;	/* the guest-visible registers */
	uint32_t status;	/* ISA_DISK_* */
	struct {		/* the request in flight, latched at CMD */
		uint32_t cmd, sector, addr, count;
		uint64_t due;	/* completion tick */
	} req;
	struct dev_irq irq;
	uint64_t reads, writes, errors;	/* completed commands (statistics) */
};

/* Set up a disk backed by the image at path (NULL: no disk).  Returns 0, or
 * -1 with "PATH: problem" in err (cannot open, size not a multiple of 512,
 * larger than 2^32 sectors). */
int disk_init(struct disk *d, const char *path, struct dev_irq irq, char *err, size_t errsize);
void disk_close(struct disk *d);
/* Idle: registers 0, no request (a request in flight is dropped). */
void disk_reset(struct disk *d);

/* Port access, reg = port - ISA_PORT_DISK_SECTOR.  Returns false for a
 * register that does not exist.  A CMD write at tick now schedules the
 * completion at now + ISA_DISK_LATENCY. */
bool disk_read(struct disk *d, unsigned reg, uint64_t now, uint32_t *val);
bool disk_write(struct disk *d, unsigned reg, uint32_t val, uint64_t now);

/* Tick of the next completion, UINT64_MAX if idle.  Inline: the machine
 * and the VMM ask at every exit. */
static inline uint64_t disk_next_event(const struct disk *d)
{
	return d->req.due;
}
/* If a request is due at or before now, complete it through the window;
 * true if one did. */
bool disk_update(struct disk *d, uint64_t now, const struct dev_dma *dma);
/* The last request, for traces (vm/hw and the VMM alike):
 * "read sector=S count=N pa=0x... ok" (or "write", "bad"; "error"). */
void disk_describe(const struct disk *d, char *buf, size_t size);

/* Snapshots (snap.h): section "DISK" (size in sectors, the registers, the
 * request in flight with its due tick, the counters) and "DIMG" (the image's
 * contents, so a snapshot is the whole state and a restored run cannot
 * meet a disk that has moved on).  disk_save returns 0, or -1 with
 * "PATH-less" message in err if the image cannot be read.  disk_load fills
 * a freshly opened disk, which must have the snapshot's size (or be absent
 * if the snapshot's is), and points *image at the contents (NULL: no
 * disk); nothing is written until disk_put_image, the last step of a
 * restore.  false (r bad) if malformed. */
struct snap_buf;
struct snap_rd;
int disk_save(const struct disk *d, struct snap_buf *b, char *err, size_t errsize);
bool disk_load(struct disk *d, struct snap_rd *r, const uint8_t **image);
/* Write a snapshot's contents into the image: 0, or -1 with a message. */
int disk_put_image(struct disk *d, const uint8_t *image, char *err, size_t errsize);

#endif /* HW_DISK_H */
