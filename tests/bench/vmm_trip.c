/*
 * vmm_trip.c - the host cost of one privileged instruction of a guest
 * kernel under the VMM: a loop of 1023 'mfcr t0, cr' and a jump back, run
 * for a fixed number of guest ticks, three ways:
 *   - trap: every privileged instruction trapping (vmlab run --exits=trap):
 *     each 'mfcr t0, status' traps (the guest kernel is in physical user
 *     mode), is emulated by the dispatcher the machine calls from its loop,
 *     and resumed: the time per emulated instruction is the exit's round
 *     trip, with every emulated tick through virq.c's events;
 *   - served: the default, where the machine serves the same read from the
 *     VCPU's registers in its own loop (vmm_set_served_crs: no exit);
 *   - exit: the default on 'mfcr t0, ipend', which the machine does not
 *     serve: the round trip of an exit as the default path takes it (the
 *     next event kept between exits, vm/vmm/vm.c next_event).
 * The status loop on the bare machine, where mfcr runs natively in kernel
 * mode, is printed for scale.  Times are CPU time of this process (the
 * machine is shared).  Output: "<ns per round trip (trap)> <ns per bare
 * mfcr> <emulated> <ns per served mfcr> <ns per round trip (exit)>".  An
 * argument sets the guest ticks (default 20000000), e.g. a small count for
 * an instruction-counting profiler; a second, "trap", "served" or "exit",
 * runs only that VM (and not the bare machine) and prints its time per
 * instruction.
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

/* The loop of 'mfcr t0, cr'. */
static void program(uint32_t *code, unsigned cr)
{
	for (unsigned i = 0; i < WORDS - 1; i++)
		code[i] = enc(ISA_OP_mfcr, ISA_R_T0, 0, (int32_t)cr);
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
	uint64_t ticks = argc > 1 ? strtoull(argv[1], NULL, 0) : 20000000u, emulated, n;
	const char *only = argc > 2 ? argv[2] : NULL;
	static uint32_t code[WORDS], ipend[WORDS];
	struct hw_config hc = { .mem_mib = 16, .cons_in_fd = -1 };
	struct hw_exit hx;
	struct machine *m;
	char err[256];
	double t0, tv, ts, te, tb;

	program(code, ISA_CR_STATUS);
	program(ipend, ISA_CR_IPEND);
	if (only) {
		if (!strcmp(only, "trap"))
			tv = vmm_loop(code, ticks, true, &n);
		else if (!strcmp(only, "served"))
			tv = vmm_loop(code, ticks, false, &n);
		else if (!strcmp(only, "exit"))
			tv = vmm_loop(ipend, ticks, false, &n);
		else {
			fprintf(stderr, "vmm_trip: '%s' is not trap, served or exit\n", only);
			return 1;
		}
		printf("%.1f\n", tv);
		return 0;
	}
	tv = vmm_loop(code, ticks, true, &emulated);
	ts = vmm_loop(code, ticks, false, &n);
	te = vmm_loop(ipend, ticks, false, &n);
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
	printf("%.1f %.2f %llu %.1f %.1f\n", tv, tb * 1e9 / (double)ticks,
	       (unsigned long long)emulated, ts, te);
	hw_free(m);
	return 0;
}
