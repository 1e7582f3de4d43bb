/*
 * fuzz_migrate.c - libFuzzer harness for live migration's receiver: any
 * bytes as the stream a destination reads (vm/vmm/MIGRATION.md), its
 * answers discarded (vmm_migrate_in_mem).  Nothing may crash, read or write
 * out of bounds (ASan) or hit undefined behaviour (UBSan); a refusal is a
 * one-line message and no VM; an accepted stream gives a VM that keeps the
 * VMM's invariants and runs a few thousand ticks.  Reservations of more
 * than 2 MiB are skipped (the fuzzer's memory), before the receiver sees
 * them.
 */
#include "migrate.h"
#include "vmm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MIB	2
#define BUDGET	5000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_migrate: %s\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmm_config cfg = { .cons_in_fd = -1 };
	struct vm *vm;
	struct vmm_exit ex;
	char err[512] = "";

	/* preamble (12), then the RSRV record's header (12) and its MiB */
	if (size >= 28 && !memcmp(data + 12, "RSRV", 4)) {
		uint32_t mib = data[24] | (uint32_t)data[25] << 8 | (uint32_t)data[26] << 16
			       | (uint32_t)data[27] << 24;

		if (mib > MAX_MIB)
			return 0;
	}
	if (vmm_migrate_in_mem(&cfg, data, size, &vm, err, sizeof err)) {
		check(err[0] && !strchr(err, '\n'), "a refusal is not one line");
		check(vm == NULL, "a refused stream left a VM");
		return 0;
	}
	check(vmm_check(vm, err, sizeof err) == 0, "a received VM breaks an invariant");
	vmm_set_budget(vm, BUDGET);
	vmm_run(vm, &ex);
	vmm_free(vm);
	return 0;
}
