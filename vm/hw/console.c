/*
 * console.c - the console device model.  See console.h.
 */
#include "console.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "pg32.h"
#include "snap.h"

static void update_line(struct cons *c)
{
	dev_irq_level(&c->irq, cons_line(c));
}

void cons_init(struct cons *c, FILE *out, int in_fd, struct dev_irq irq)
{
	*c = (struct cons){ .out = out, .in_fd = in_fd, .eof = in_fd < 0, .irq = irq, .last_out = -1 };
	update_line(c);
}

void cons_reset(struct cons *c)
{
	c->ctrl = 0;
	update_line(c);
}

/* The line is a receive event: a byte waiting, or the end of input (so a
 * kernel waiting for input with its timer off still learns of the end). */
bool cons_line(const struct cons *c)
{
	return (c->count > 0 || c->eof) && (c->ctrl & ISA_CONS_CTRL_RXIE);
}

void cons_poll(struct cons *c)
{
	uint8_t tmp[CONS_BUFSIZE];
	struct pollfd p = { .fd = c->in_fd, .events = POLLIN };
	unsigned room = CONS_BUFSIZE - c->count;
	ssize_t n;

	if (c->eof || room == 0)
		return;
	if (poll(&p, 1, 0) <= 0)
		return;
	n = read(c->in_fd, tmp, room);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		c->eof = true;
		update_line(c);
		return;
	}
	for (ssize_t i = 0; i < n; i++)
		c->buf[(c->head + c->count++) % CONS_BUFSIZE] = tmp[i];
	c->bytes_in += (uint64_t)n;
	update_line(c);
}

void cons_wait(struct cons *c)
{
	struct pollfd p = { .fd = c->in_fd, .events = POLLIN };

	cons_flush(c);
	if (c->eof || c->count > 0 || (c->stop && *c->stop))
		return;
	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		if (c->stop && *c->stop)
			return;
}

void cons_set_stop(struct cons *c, const volatile sig_atomic_t *stop)
{
	c->stop = stop;
}

void cons_flush(struct cons *c)
{
	if (c->out)
		fflush(c->out);
}

bool cons_read(struct cons *c, unsigned reg, uint64_t now, uint32_t *val)
{
	(void)now;
	switch (reg) {
	case 0:		/* DATA: pop a byte, or -1 */
		cons_poll(c);
		if (c->count == 0) {
			*val = 0xffffffffu;
			return true;
		}
		*val = c->buf[c->head];
		c->head = (c->head + 1) % CONS_BUFSIZE;
		c->count--;
		update_line(c);
		return true;
	case 1:		/* STATUS */
		cons_poll(c);
		*val = ISA_CONS_TXREADY | (c->count ? ISA_CONS_RXREADY : 0)
			| (c->eof && !c->count ? ISA_CONS_RXEOF : 0);
		return true;
	case 2:
		*val = c->ctrl;
		return true;
	}
	return false;
}

bool cons_write(struct cons *c, unsigned reg, uint32_t val, uint64_t now)
{
	(void)now;
	switch (reg) {
	case 0:
		if (c->out)
			fputc((int)(val & 0xff), c->out);
		c->bytes_out++;
		c->last_out = (int)(val & 0xff);
		return true;
	case 1:		/* STATUS is read-only: writes ignored */
		return true;
	case 2:
		c->ctrl = val & ISA_CONS_CTRL_RXIE;
		update_line(c);
		return true;
	}
	return false;
}

void cons_save(const struct cons *c, struct snap_buf *b)
{
	snap_begin(b, "CONS");
	snap_put32(b, c->ctrl);
	snap_put32(b, c->eof);
	snap_put32(b, c->count);
	for (unsigned i = 0; i < c->count; i++) {
		uint8_t x = c->buf[(c->head + i) % CONS_BUFSIZE];

		snap_put_bytes(b, &x, 1);
	}
	snap_put64(b, c->bytes_in);
	snap_put64(b, c->bytes_out);
	snap_put32(b, (uint32_t)c->last_out);
	snap_end(b);
}

bool cons_load(struct cons *c, struct snap_rd *r)
{
	uint32_t ctrl, eof, count, last;
	const uint8_t *bytes;

	if (!snap_section(r, "CONS"))
		return false;
	ctrl = snap_get32(r);
	eof = snap_get32(r);
	count = snap_get32(r);
	if (ctrl & ~ISA_CONS_CTRL_RXIE || eof > 1 || count > CONS_BUFSIZE) {
		snap_invalid(r, "console state out of range");
		return false;
	}
	bytes = snap_get_bytes(r, count);
	c->bytes_in = snap_get64(r);
	c->bytes_out = snap_get64(r);
	last = snap_get32(r);
	if (!snap_section_end(r))
		return false;
	if (last != 0xffffffffu && last > 0xff) {
		snap_invalid(r, "console state out of range");
		return false;
	}
	c->ctrl = ctrl;
	c->eof = c->eof || eof;
	c->head = 0;
	c->count = count;
	memcpy(c->buf, bytes, count);
	c->last_out = (int)last;
	update_line(c);
	return true;
}
