/*
 * mig_stream.c - make a seed for fuzz_migrate: the stream a source sends
 * when it migrates a program (a PG32 ELF) in a VM of 1 MiB at tick AT to a
 * destination that accepts everything (its preamble, OKAY, RACK, ACK, OWN).
 *
 *   mig_stream IMAGE.elf AT BW OUT
 */
#include "migrate.h"
#include "vmm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct chan {
	FILE *out;
	uint8_t in[1024];
	size_t inlen, inpos;
};

/* A record header (12 bytes) the destination answers: queue the answer. */
static int ch_write(void *ctx, const void *p, size_t n)
{
	static const char *const asks = "PG32RSRVRONDSTATCMIT", *const answers = "PG32OKAYRACKACK OWN ";
	struct chan *c = ctx;

	for (unsigned i = 0; n == 12 && i < 5 && c->inlen + 12 <= sizeof c->in; i++)
		if (!memcmp(p, asks + 4 * i, 4)) {
			memset(c->in + c->inlen, 0, 12);
			memcpy(c->in + c->inlen, i ? answers + 4 * i : "PG32MIGR", i ? 4 : 8);
			if (!i)
				c->in[c->inlen + 8] = MIG_VERSION;
			c->inlen += 12;
		}
	return fwrite(p, 1, n, c->out) == n ? 0 : -1;
}

static int ch_read(void *ctx, void *p, size_t n)
{
	struct chan *c = ctx;

	if (n > c->inlen - c->inpos)
		return -1;
	memcpy(p, c->in + c->inpos, n);
	c->inpos += n;
	return 0;
}

int main(int argc, char **argv)
{
	struct vmm_config cfg = { .mem_mib = 1, .cons_in_fd = -1 };
	struct chan c = { 0 };
	struct mig_io io = { .write = ch_write, .read = ch_read, .ctx = &c };
	struct mig_params p = { .end = UINT64_MAX, .name = "seed" };
	struct mig_stats st;
	struct vmm_exit ex;
	enum vmm_exit_reason r;
	struct vm *vm;
	char err[300];

	if (argc != 5) {
		fprintf(stderr, "usage: mig_stream IMAGE.elf AT BW OUT\n");
		return 2;
	}
	p.bw = (uint32_t)strtoul(argv[3], NULL, 0);
	if (vmm_new(&cfg, &vm, err, sizeof err) || vmm_load_elf(vm, argv[1], err, sizeof err)) {
		fprintf(stderr, "mig_stream: %s\n", err);
		return 1;
	}
	vmm_set_budget(vm, strtoull(argv[2], NULL, 0));
	if (vmm_run(vm, &ex) != VMM_EXIT_BUDGET || !(c.out = fopen(argv[4], "wb"))) {
		fprintf(stderr, "mig_stream: %s: the program ended before tick %s\n", argv[1], argv[2]);
		return 1;
	}
	if (vmm_migrate_out(vm, &io, &p, &st, &r, &ex, err, sizeof err) != MIG_MOVED) {
		fprintf(stderr, "mig_stream: %s\n", err);
		return 1;
	}
	vmm_free(vm);
	return fclose(c.out) ? 1 : 0;
}
