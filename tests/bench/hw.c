/*
 * hw.c - benchmark host: load a PG32 executable into a 16 MiB machine,
 * run it to power-off, and print one line
 *	<retired instructions> <seconds> <MIPS>
 * (MIPS = retired instructions / CPU seconds of this process / 1e6: the
 * machine is shared, so wall time would measure the neighbours too).  The
 * console output is discarded.  Exits 1 if the program does not power off.
 */
#include <stdio.h>
#include <time.h>

#include "hw.h"

int main(int argc, char **argv)
{
	struct hw_config cfg = { .mem_mib = 16, .cons_in_fd = -1 };
	struct machine *m;
	struct hw_exit ex;
	struct hw_stats st;
	struct timespec a, b;
	char err[512];
	double s;

	if (argc != 2) {
		fprintf(stderr, "usage: hw image.elf\n");
		return 2;
	}
	if (hw_new(&cfg, &m, err, sizeof err) || hw_load_elf(m, argv[1], err, sizeof err)) {
		fprintf(stderr, "hw: %s\n", err);
		return 1;
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	enum hw_exit_reason r = hw_run(m, &ex);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	if (r != HW_EXIT_POWEROFF) {
		fprintf(stderr, "hw: %s: stopped (reason %d) at pc 0x%08x\n", argv[1], r, ex.pc);
		return 1;
	}
	hw_get_stats(m, &st);
	s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	printf("%llu %.6f %.0f\n", (unsigned long long)st.insns, s, (double)st.insns / s / 1e6);
	hw_free(m);
	return 0;
}
