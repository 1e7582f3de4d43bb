/*
 * host_ws.c - the host level's costs and the schedulers' accuracy
 * (vm/vmm/host.h, README "Many VMs").  Output, "name value unit" lines:
 *
 *   host_switch_ns      one world switch alone (save, load, ptb loaded
 *                       under the VM's TLB tag), host_select between two
 *                       VMs in a loop
 *   host_switch_refill_ns  one world switch as a guest pays it: two VMs each
 *                       reading a 16-page working set in a loop at a quantum
 *                       of 100 ticks, against one VM run in the same turns
 *                       (same per-turn cost, no switch), per switch; the
 *                       difference is the switch and any TLB refill after it
 *   host_credit_share_wW  share of 3 CPU-bound VMs of weights 1, 2, 4 over
 *                       10M ticks (quantum 10k), and its error against W/7
 *   host_cap_C_share    a CPU-bound VM capped at C % beside an uncapped one
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "asm.h"
#include "host.h"
#include "vmm.h"

static const char walker[] =
	"\t.text\n\t.globl _start\n"
	"_start:\tli t0, 0x100000\n\tli t1, 16\n"
	"1:\tlw t2, 0(t0)\n\tli t3, 4096\n\tadd t0, t0, t3\n\taddi t1, t1, -1\n\tbnez t1, 1b\n"
	"\tj _start\n";
static const char spinner[] = "\t.text\n\t.globl _start\n_start:\tj _start\n";

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void die(const char *what, const char *err)
{
	fprintf(stderr, "host_ws: %s: %s\n", what, err);
	exit(1);
}

/* Assemble src into a temporary ELF file; returns its path. */
static char *elf_of(const char *src)
{
	struct asm_options o = { 0 };
	static char path[64];
	uint8_t *img;
	size_t size;
	int fd;

	if (asm_string(&o, "bench.s", src, &img, &size))
		die("assembly", "failed");
	snprintf(path, sizeof path, "%s", "/tmp/vmlab-host-ws-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, img, size) != (ssize_t)size)
		die(path, "cannot write");
	close(fd);
	free(img);
	return path;
}

static struct host *make(const struct host_config *hc, unsigned n, const char *src,
			 const unsigned *weights, const unsigned *caps)
{
	struct vmm_config vc = { .mem_mib = 16, .cons_in_fd = -1 };
	struct host_vm_config hv[HOST_MAXVM];
	char err[256], *elf = elf_of(src);
	struct host *h;

	for (unsigned i = 0; i < n; i++)
		hv[i] = (struct host_vm_config){ .vm = &vc, .weight = weights ? weights[i] : 0,
						 .cap = caps ? caps[i] : 0 };
	if (host_new(hc, hv, n, &h, err, sizeof err))
		die("host_new", err);
	for (unsigned i = 0; i < n; i++)
		if (vmm_load_elf(host_vm(h, i), elf, err, sizeof err))
			die("load", err);
	unlink(elf);
	return h;
}

/* Run until the host clock reaches 'ticks'; the seconds it took. */
static double run_for(struct host *h, uint64_t ticks)
{
	struct host_stats st;
	double t0 = now();

	do {
		host_run_turn(h);
		host_get_stats(h, &st);
	} while (st.now < ticks);
	return now() - t0;
}

static void switch_cost(void)
{
	struct host_config hc = { .quantum = 100 };
	struct host_stats st;
	struct host *h = make(&hc, 2, walker, NULL, NULL);
	const unsigned loops = 1000000;
	double t0 = now(), t1, t2;

	for (unsigned i = 0; i < loops; i++)
		host_select(host_vm(h, i & 1));
	printf("host_switch_ns %.1f ns\n", (now() - t0) * 1e9 / loops);
	host_free(h);

	h = make(&hc, 2, walker, NULL, NULL);
	t2 = run_for(h, 20000000);
	host_get_stats(h, &st);
	host_free(h);
	h = make(&hc, 1, walker, NULL, NULL);
	t1 = run_for(h, 20000000);
	host_free(h);
	printf("host_switch_refill_ns %.1f ns\n", (t2 - t1) * 1e9 / (double)st.switches);
}

static void shares(void)
{
	static const unsigned w[] = { 1, 2, 4 }, cap[] = { 25, 0 };
	struct host_config hc = { .sched = HOST_SCHED_CREDIT, .quantum = 10000 };
	struct host *h = make(&hc, 3, spinner, w, NULL);

	run_for(h, 10000000);
	for (unsigned i = 0; i < 3; i++) {
		double s = host_vm_share(h, i), want = w[i] / 7.0;

		printf("host_credit_share_w%u %.4f (want %.4f, error %+.2f %%)\n", w[i], s, want,
		       (s - want) / want * 100);
	}
	printf("host_credit_fairness %.6f\n", host_fairness(h));
	host_free(h);
	h = make(&hc, 2, spinner, NULL, cap);
	run_for(h, 10000000);
	printf("host_cap_25_share %.4f\n", host_vm_share(h, 0));
	host_free(h);
}

int main(void)
{
	switch_cost();
	shares();
	return 0;
}
