/*
 * snap_cost.c - what a snapshot costs (vm/hw/snap.h): boot the guest OS
 * (argv[1], disk image argv[2]) on the bare machine and under the VMM with
 * MEM MiB of RAM (argv[3]) to tick 1,500,000, then save it to argv[4] and
 * restore it, timing both in process CPU time (best of 3).  Prints
 *   snap_<bare|vmm>_<MEM>mib_bytes <file size> bytes
 *   snap_<bare|vmm>_<MEM>mib_save_ms <CPU ms> ms
 *   snap_<bare|vmm>_<MEM>mib_restore_ms <CPU ms> ms
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "hw.h"
#include "vmm.h"

#define AT 1500000

static double cpu_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void report(const char *kind, unsigned mib, const char *path, double save,
		   double restore)
{
	struct stat st;

	if (stat(path, &st))
		st.st_size = 0;
	printf("snap_%s_%umib_bytes %lld bytes\n", kind, mib, (long long)st.st_size);
	printf("snap_%s_%umib_save_ms %.1f ms\n", kind, mib, save);
	printf("snap_%s_%umib_restore_ms %.1f ms\n", kind, mib, restore);
}

static int bare(const char *elf, const char *disk, unsigned mib, const char *path)
{
	struct hw_config cfg = { .mem_mib = mib, .cons_in_fd = -1, .disk_path = disk };
	struct machine *m, *n;
	struct hw_exit ex;
	double save = 1e99, restore = 1e99, t;
	char err[512];

	if (hw_new(&cfg, &m, err, sizeof err) || hw_load_elf(m, elf, err, sizeof err)) {
		fprintf(stderr, "snap_cost: %s\n", err);
		return 1;
	}
	hw_set_budget(m, AT);
	if (hw_run(m, &ex) != HW_EXIT_BUDGET) {
		fprintf(stderr, "snap_cost: the guest stopped before tick %d\n", AT);
		return 1;
	}
	for (int i = 0; i < 3; i++) {
		t = cpu_ms();
		if (hw_save(m, path, err, sizeof err)) {
			fprintf(stderr, "snap_cost: %s\n", err);
			return 1;
		}
		t = cpu_ms() - t;
		save = t < save ? t : save;
		t = cpu_ms();
		if (hw_restore(&cfg, path, &n, err, sizeof err)) {
			fprintf(stderr, "snap_cost: %s\n", err);
			return 1;
		}
		t = cpu_ms() - t;
		restore = t < restore ? t : restore;
		hw_free(n);
	}
	report("bare", mib, path, save, restore);
	hw_free(m);
	return 0;
}

static int vmm(const char *elf, const char *disk, unsigned mib, const char *path)
{
	struct vmm_config cfg = { .mem_mib = mib, .cons_in_fd = -1, .disk_path = disk };
	struct vm *vm, *n;
	struct vmm_exit ex;
	double save = 1e99, restore = 1e99, t;
	char err[512];

	if (vmm_new(&cfg, &vm, err, sizeof err) || vmm_load_elf(vm, elf, err, sizeof err)) {
		fprintf(stderr, "snap_cost: %s\n", err);
		return 1;
	}
	vmm_set_budget(vm, AT);
	if (vmm_run(vm, &ex) != VMM_EXIT_BUDGET) {
		fprintf(stderr, "snap_cost: the guest stopped before tick %d\n", AT);
		return 1;
	}
	for (int i = 0; i < 3; i++) {
		t = cpu_ms();
		if (vmm_save(vm, path, err, sizeof err)) {
			fprintf(stderr, "snap_cost: %s\n", err);
			return 1;
		}
		t = cpu_ms() - t;
		save = t < save ? t : save;
		t = cpu_ms();
		if (vmm_restore(&cfg, path, &n, err, sizeof err)) {
			fprintf(stderr, "snap_cost: %s\n", err);
			return 1;
		}
		t = cpu_ms() - t;
		restore = t < restore ? t : restore;
		vmm_free(n);
	}
	report("vmm", mib, path, save, restore);
	vmm_free(vm);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned mib;

	if (argc != 5 || !(mib = (unsigned)atoi(argv[3]))) {
		fprintf(stderr, "usage: snap_cost KERNEL.elf DISK MEM_MIB SNAPSHOT\n");
		return 2;
	}
	return bare(argv[1], argv[2], mib, argv[4]) || vmm(argv[1], argv[2], mib, argv[4]);
}
