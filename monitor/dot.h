/*
 * dot.h - Graphviz pictures (render with `dot -Tsvg FILE -o FILE.svg`):
 *
 *  - traps: the mode transitions of a run.  Bare machine: the guest's user
 *    and kernel modes, user -> kernel edges labelled with the trap causes
 *    and their counts, kernel -> user by rfe, kernel -> kernel for traps
 *    taken in kernel mode.  Under the VMM: the same two guest modes in a
 *    "guest" cluster and the VMM's handlers in a "VMM" cluster; each exit
 *    is mode -> handler -> mode after, with counts.  Built from the
 *    TRACE_TRAP and TRACE_EXIT counts of a struct mon_sink.
 *  - pagetable: the guest's two-level page table (directory, then one
 *    node per second-level table, runs of pages elided to one row), and
 *    under the VMM the shadow table of the current guest mode beside it,
 *    with guest-physical and machine-physical frames.
 */
#ifndef MON_DOT_H
#define MON_DOT_H

#include <stdbool.h>
#include <stdio.h>

#include "target.h"
#include "tracesink.h"

/* Write the traps picture of the counts in s; title names the run.  0, or
 * -1 when out of memory (the picture is incomplete). */
int dot_traps(FILE *f, const struct mon_sink *s, bool vmm, const char *title);

/* Write the page-table picture of t as it is now. */
void dot_pagetable(FILE *f, struct target *t);

/* Open path, write, close; 0, or -1 with a message in err. */
int dot_traps_file(const char *path, const struct mon_sink *s, bool vmm, const char *title,
		   char *err, size_t errsize);

#endif /* MON_DOT_H */
