/*
 * schedpic.h - the picture of a host's schedule, as SVG (schedpic.c).
 */
#ifndef MON_SCHEDPIC_H
#define MON_SCHEDPIC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "host.h"

struct mon_schedpic {
	FILE *f;		/* NULL: no picture wanted */
	const char *path;
	struct host_turn *t;	/* the turns, consecutive ones of a VM merged */
	size_t n, cap;
	uint64_t dropped;
};

/* Open path for writing before the run (NULL: no picture), so that a path
 * that cannot be written is refused up front.  0, or -1 after a message. */
int mon_schedpic_open(struct mon_schedpic *p, const char *path);
/* The host's turn hook (host_set_turn_hook); ctx is the mon_schedpic. */
void mon_schedpic_turn(void *ctx, const struct host_turn *t);
/* Write the picture of host ticks [0, end) and close.  0, or -1 after a
 * message. */
int mon_schedpic_close(struct mon_schedpic *p, const char *const *names, unsigned nvm,
		       uint64_t end, const char *title);

#endif /* MON_SCHEDPIC_H */
