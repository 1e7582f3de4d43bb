/*
 * fuzz_elf.c - libFuzzer harness for executables: any bytes as an ELF
 * file, read by pgelf (and every byte it hands out touched), then loaded
 * into a bare machine and into a VM and run for a few thousand ticks.
 * Nothing may crash, read or write out of bounds (ASan) or hit undefined
 * behaviour (UBSan); the reader and both loaders must agree on what they
 * accept; and the guest must end the same way bare and under the VMM
 * (exit reason, pc, ticks, registers).
 */
#include "hw.h"
#include "pgelf.h"
#include "vmm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MEM_MIB	1
#define BUDGET	5000	/* guest ticks */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_elf: %s\n", what);
		abort();
	}
}

/* Touch every byte the reader hands out, so ASan sees any that lie
 * outside the image. */
static unsigned touch(const struct pgelf *e)
{
	unsigned sum = 0;

	for (unsigned i = 0; i < e->nsegs; i++)
		for (uint32_t k = 0; k < e->segs[i].filesz; k++)
			sum += e->segs[i].data[k];
	for (unsigned i = 0; i < e->nsects; i++) {
		sum += (unsigned)strlen(e->sects[i].name);
		for (uint32_t k = 0; e->sects[i].data && k < e->sects[i].size; k++)
			sum += e->sects[i].data[k];
	}
	for (unsigned i = 0; i < e->nsyms; i++) {
		uint32_t off;
		sum += (unsigned)strlen(e->syms[i].name);
		if (pgelf_symbolize(e, e->syms[i].value + 4, &off))
			sum += off;
		check(pgelf_lookup(e, e->syms[i].name) != NULL, "a listed symbol is not found");
	}
	return sum;
}

static int run_bare(const struct pgelf *e, struct machine **out, struct hw_exit *ex)
{
	struct hw_config cfg = { .mem_mib = MEM_MIB, .cons_in_fd = -1 };
	char err[300];

	check(hw_new(&cfg, out, err, sizeof err) == 0, "hw_new failed");
	if (hw_load_pgelf(*out, e, "f.elf", err, sizeof err))
		return -1;
	hw_set_budget(*out, BUDGET);
	hw_run(*out, ex);
	return 0;
}

static int run_vmm(const char *path, struct vm **out, struct vmm_exit *ex)
{
	struct vmm_config cfg = { .mem_mib = MEM_MIB, .cons_in_fd = -1 };
	char err[300];

	check(vmm_new(&cfg, out, err, sizeof err) == 0, "vmm_new failed");
	if (vmm_load_elf(*out, path, err, sizeof err))
		return -1;
	vmm_set_budget(*out, BUDGET);
	vmm_run(*out, ex);
	return 0;
}

/* The reasons both can end with, the one the other names. */
static int same_reason(enum hw_exit_reason h, enum vmm_exit_reason v)
{
	switch (h) {
	case HW_EXIT_POWEROFF: return v == VMM_EXIT_POWEROFF;
	case HW_EXIT_BUDGET: return v == VMM_EXIT_BUDGET;
	case HW_EXIT_DOUBLE_FAULT: return v == VMM_EXIT_DOUBLE_FAULT;
	case HW_EXIT_DEADLOCK: return v == VMM_EXIT_DEADLOCK;
	default: return 0;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	char path[] = "/tmp/vmlab-fuzz-elf-XXXXXX", err[300];
	struct pgelf e;
	struct machine *m = NULL;
	struct vm *vm = NULL;
	struct hw_exit hx;
	struct vmm_exit vx;
	int fd, bare, virt;

	check(buf != NULL, "out of memory");
	memcpy(buf, data, size);
	if (pgelf_parse(buf, size, &e, err, sizeof err))
		return 0;	/* buf is pgelf's, freed */
	volatile unsigned sum = touch(&e);	/* volatile: the loads must happen */
	(void)sum;
	fd = mkstemp(path);
	check(fd >= 0 && write(fd, data, size) == (ssize_t)size, "cannot write a temporary file");
	close(fd);
	bare = run_bare(&e, &m, &hx);
	virt = run_vmm(path, &vm, &vx);
	unlink(path);
	check(bare == virt, "the two loaders disagree on the file");
	if (bare == 0 && vx.reason != VMM_EXIT_FAILURE) {
		check(same_reason(hx.reason, vx.reason), "bare and VMM end for different reasons");
		check(hw_get_pc(m) == vmm_get_pc(vm), "bare and VMM end at different pcs");
		check(hw_ticks(m) == vmm_ticks(vm), "bare and VMM end at different ticks");
		for (unsigned r = 0; r < 16; r++)
			check(hw_get_reg(m, r) == vmm_get_reg(vm, r), "registers differ");
	}
	hw_free(m);
	vmm_free(vm);
	pgelf_free(&e);
	return 0;
}
