/*
 * vmm_trip.c - the host cost of one privileged instruction of a guest
 * kernel under the VMM: a loop of 1023 'mfcr t0, status' and a jump back,
 * run for a fixed number of guest ticks, twice:
 *   - by default, where the machine serves the read from the VCPU's
 *     registers in its own loop (vmm_set_served_crs: no exit);
 *   - with every privileged instruction trapping (vmlab run --exits=trap):
 *     each mfcr traps (the guest kernel is in physical user mode), is
 *     emulated by the dispatcher the machine calls from its loop, and
 *     resumed: the time per emulated instruction is the exit's round trip.
 * The same loop on the bare machine, where mfcr runs natively in kernel
 * mode, is printed for scale.  Times are CPU time of this process (the
 * machine is shared).  Output: "<ns per round trip> <ns per bare mfcr>
 * <emulated> <ns per served mfcr>".  An argument sets the guest ticks
 * (default 20000000), e.g. a small count for an instruction-counting
 * profiler; a second, "trap" or "served", runs only that VM (and not the
 * bare machine) and prints its time per instruction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hw.h"
#include "vmm.h"

#define WORDS	1024
static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint32_t enc(enum isa_op op, unsigned rd, unsigned rs1, int32_t imm)
{
	struct isa_insn in = { .op = (uint16_t)op, .rd = (uint8_t)rd, .rs1 = (uint8_t)rs1,
			       .imm = imm };
	uint32_t w;
	const char *why;

	if (isa_encode(&in, &w, &why)) {
		fprintf(stderr, "vmm_trip: encode: %s\n", why);
		exit(1);
	}
	return w;
}

static void program(uint32_t *code)
{
	for (unsigned i = 0; i < WORDS - 1; i++)
		code[i] = enc(ISA_OP_mfcr, ISA_R_T0, 0, ISA_CR_STATUS);
	code[WORDS - 1] = enc(ISA_OP_jal, 0, 0, -4 * (WORDS - 1));
}

/* ns per guest instruction of the loop under the VMM, served or trapped. */
static double vmm_loop(const uint32_t *code, uint64_t ticks, bool trap, uint64_t *emulated)
{
	struct vmm_config vc = { .mem_mib = 16, .cons_in_fd = -1, .trap_crs = trap };
	struct vmm_stats st;
	struct vmm_exit ex;
	struct vm *vm;
	char err[256];
	double t0, t;

	if (vmm_new(&vc, &vm, err, sizeof err)) {
		fprintf(stderr, "vmm_trip: %s\n", err);
		exit(1);
	}
	vmm_guest_write(vm, 0x1000, code, WORDS * 4);
	vmm_reset(vm, 0x1000);
	vmm_set_budget(vm, ticks);
	t0 = now();
	if (vmm_run(vm, &ex) != VMM_EXIT_BUDGET) {
		fprintf(stderr, "vmm_trip: unexpected exit %d\n", ex.reason);
		exit(1);
	}
	t = now() - t0;
	vmm_get_stats(vm, &st);
	*emulated = st.emulated;
	vmm_free(vm);
	return t * 1e9 / (double)st.emulated;
}

int main(int argc, char **argv)
{
	uint64_t ticks = argc > 1 ? strtoull(argv[1], NULL, 0) : 20000000u, emulated, served_n;
	const char *only = argc > 2 ? argv[2] : NULL;
	static uint32_t code[WORDS];
	struct hw_config hc = { .mem_mib = 16, .cons_in_fd = -1 };
	struct hw_exit hx;
	struct machine *m;
	char err[256];
	double t0, tv, ts, tb;

	program(code);
	if (only) {
		if (strcmp(only, "trap") && strcmp(only, "served")) {
			fprintf(stderr, "vmm_trip: '%s' is not trap or served\n", only);
			return 1;
		}
		printf("%.1f\n", vmm_loop(code, ticks, !strcmp(only, "trap"), &emulated));
		return 0;
	}
	tv = vmm_loop(code, ticks, true, &emulated);
	ts = vmm_loop(code, ticks, false, &served_n);
	if (hw_new(&hc, &m, err, sizeof err)) {
		fprintf(stderr, "vmm_trip: %s\n", err);
		return 1;
	}
	hw_phys_write(m, 0x1000, code, sizeof code);
	hw_reset(m, 0x1000);
	hw_set_budget(m, ticks);
	t0 = now();
	hw_run(m, &hx);
	tb = now() - t0;
	printf("%.1f %.2f %llu %.1f\n", tv, tb * 1e9 / (double)ticks,
	       (unsigned long long)emulated, ts);
	hw_free(m);
	return 0;
}
