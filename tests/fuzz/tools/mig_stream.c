/*
 * mig_stream.c - make a seed for fuzz_migrate: the stream a source sends
 * when it migrates a program (a PG32 ELF) in a VM of 1 MiB at tick AT, its
 * destination's answers played from a script (OKAY, ACK, OWN).
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
	const uint8_t *in;
	size_t inlen, inpos;
};

static int ch_write(void *ctx, const void *p, size_t n)
{
	return fwrite(p, 1, n, ((struct chan *)ctx)->out) == n ? 0 : -1;
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
	static const char *const tags[] = { "OKAY", "ACK ", "OWN " };
	struct vmm_config cfg = { .mem_mib = 1, .cons_in_fd = -1 };
	uint8_t script[12 + 3 * 12] = "PG32MIGR";
	struct chan c = { .in = script, .inlen = sizeof script };
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
	script[8] = MIG_VERSION;
	for (unsigned i = 0; i < 3; i++)
		memcpy(script + 12 + 12 * i, tags[i], 4);
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
