/*
 * console.h - the PG32 console device model (ISA.md "Devices"): a transmit
 * port writing bytes to a host FILE*, a receive buffer filled from a host
 * file descriptor at deterministic polling points, and a receive interrupt
 * line = RXREADY && RXIE.  Host input is read only when the guest reads
 * STATUS or DATA, at the periodic polling points the host calls cons_poll
 * at, and in wfi; it never blocks except in cons_wait.
 */
#ifndef HW_CONSOLE_H
#define HW_CONSOLE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dev.h"
#include "pg32.h"

#define CONS_BUFSIZE 256u

struct cons {
	FILE *out;		/* NULL: output discarded */
	int in_fd;		/* -1: no input */
	bool eof;		/* host input closed (read returned 0 or error) */
	uint32_t ctrl;		/* ISA_CONS_CTRL_* */
	uint8_t buf[CONS_BUFSIZE];	/* received bytes, a ring */
	unsigned head, count;
	struct dev_irq irq;
	uint64_t bytes_in, bytes_out;	/* statistics */
	int last_out;		/* the last byte written to out, -1: none yet */
	const volatile sig_atomic_t *stop;	/* non-zero *stop: cons_wait
						 * does not block */
};

/* Set up a console; in_fd < 0 means input is closed from the start. */
void cons_init(struct cons *c, FILE *out, int in_fd, struct dev_irq irq);
/* Reset state: ctrl = 0 (received bytes are kept: they are host input). */
void cons_reset(struct cons *c);

/* Port reads and writes; reg is the port number minus ISA_PORT_CONS_DATA
 * (0 DATA, 1 STATUS, 2 CTRL).  Returns false for a register that does not
 * exist (the caller raises BUS). now is the current tick (unused: the
 * console has no latency). */
bool cons_read(struct cons *c, unsigned reg, uint64_t now, uint32_t *val);
bool cons_write(struct cons *c, unsigned reg, uint32_t val, uint64_t now);

/* A polling point: move whatever host input is available, without
 * blocking, into the buffer (as room allows); updates the line. */
void cons_poll(struct cons *c);
/* True while input could still arrive and would raise the line: RXIE set
 * and input not closed (the machine's wfi uses this for deadlock).  Inline:
 * the machine and the VMM ask at every exit. */
static inline bool cons_can_interrupt(const struct cons *c)
{
	return (c->ctrl & ISA_CONS_CTRL_RXIE) && !c->eof;
}
/* Block until host input is readable or closed (output is flushed first).
 * Used only by a wfi that nothing else can wake.  Returns at once, or
 * when a signal arrives, if *stop (cons_set_stop) is non-zero: the caller
 * (a wfi sleeping to the next polling point) then reaches its budget and
 * the host's run loop can look at why it was stopped. */
void cons_wait(struct cons *c);
void cons_set_stop(struct cons *c, const volatile sig_atomic_t *stop);
bool cons_line(const struct cons *c);
/* Flush the output FILE. */
void cons_flush(struct cons *c);

/* Snapshots (snap.h): the console's guest-visible state as section "CONS":
 * ctrl, whether input has ended, the bytes received but not yet read, and
 * the byte counters.  The host streams are not state: a restored console
 * writes to its own out and reads on from its own in_fd (input closed
 * there, or already ended in the snapshot, is ended).  cons_load fills a
 * freshly initialised console; false (r bad) if the section is malformed. */
struct snap_buf;
struct snap_rd;
void cons_save(const struct cons *c, struct snap_buf *b);
bool cons_load(struct cons *c, struct snap_rd *r);

#endif /* HW_CONSOLE_H */
