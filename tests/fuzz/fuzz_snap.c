/*
 * fuzz_snap.c - libFuzzer harness for the snapshot loader: any bytes as a
 * snapshot file (vm/hw/snap.h), checked and inflated by snap_open_mem, then
 * restored into a bare machine or a VM as its kind says, and a restored
 * guest run for a few thousand ticks.  Nothing may crash, read or write out
 * of bounds (ASan) or hit undefined behaviour (UBSan); a refusal is a
 * one-line message and no machine; a header that passes the checksums is
 * only trusted up to 2 MiB of RAM (the fuzzer's memory).
 */
#include "hw.h"
#include "snap.h"
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
		fprintf(stderr, "fuzz_snap: %s\n", what);
		abort();
	}
}

static void one_line(const char *err)
{
	check(err[0] && !strchr(err, '\n'), "a refusal is not one line");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snap_info info;
	uint8_t *payload;
	size_t plen;
	char err[512] = "";

	if (snap_open_mem("fuzz.snap", data, size, 0, &info, &payload, &plen, err, sizeof err)) {
		one_line(err);
		check(payload == NULL, "a refused file left a payload");
		return 0;
	}
	if (info.mem_mib == 0 || info.mem_mib > MAX_MIB) {
		free(payload);
		return 0;
	}
	if (info.kind == SNAP_BARE) {
		struct hw_config cfg = { .mem_mib = info.mem_mib, .cons_in_fd = -1 };
		struct machine *m;
		struct hw_exit ex;

		if (hw_restore_state(&cfg, "fuzz.snap", payload, plen, &m, err, sizeof err) == 0) {
			hw_set_budget(m, BUDGET);
			hw_run(m, &ex);
			hw_free(m);
		} else {
			one_line(err);
		}
	} else {
		struct vmm_config cfg = { .mem_mib = info.mem_mib, .cons_in_fd = -1 };
		struct vm *vm;
		struct vmm_exit ex;

		if (vmm_restore_state(&cfg, "fuzz.snap", payload, plen, &vm, err, sizeof err) == 0) {
			vmm_set_budget(vm, BUDGET);
			vmm_run(vm, &ex);
			check(vmm_check(vm, err, sizeof err) == 0, "a restored VM breaks an invariant");
			vmm_free(vm);
		} else {
			one_line(err);
		}
	}
	free(payload);
	return 0;
}
