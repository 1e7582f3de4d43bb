/*
 * monitor.h - "vmlab monitor": the interactive (or scripted) shell over a
 * guest on the bare machine or under the VMM.
 */
#ifndef MON_MONITOR_H
#define MON_MONITOR_H

#include <stdio.h>

/* argv[0] is "monitor".  Returns the process's exit status: 0, the
 * 'quit N' status, 1 if a scripted command failed, 125 for bad options or
 * an image that cannot be loaded. */
int mon_monitor_main(int argc, char **argv);
void mon_monitor_usage(FILE *f);

#endif /* MON_MONITOR_H */
