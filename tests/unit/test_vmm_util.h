/*
 * test_vmm_util.h - helpers for the VMM's unit tests (test_vmm*.c): put a
 * PG32 program (assembled in-process) into a VM and into a bare machine,
 * run both, and compare what the guest can see.
 */
#ifndef TEST_VMM_UTIL_H
#define TEST_VMM_UTIL_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asm.h"
#include "hw.h"
#include "pgelf.h"
#include "vmm.h"
#include "vmm_priv.h"

/* Assemble a file (paths relative to the repository root, where the tests
 * run) or a source string into a temporary ELF; returns its path (static
 * buffer per call site is not needed: the caller owns the string). */
static inline char *vt_elf(const char *file, const char *src)
{
	uint8_t *img = NULL;
	size_t size = 0;
	FILE *diag = tmpfile();
	struct asm_options o = { .diag = diag };
	char *path = strdup("/tmp/vmlab-vmm-test-XXXXXX");
	int fd, r;

	r = src ? asm_string(&o, "test.s", src, &img, &size)
		: asm_files(&o, (const char *const[]){ file }, 1, &img, &size);
	if (r) {
		char line[512];
		rewind(diag);
		while (fgets(line, sizeof line, diag))
			cr_log_error("%s", line);
		cr_assert_fail("assembly of %s failed", file ? file : "a string");
	}
	fclose(diag);
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, img, size), (ssize_t)size);
	close(fd);
	free(img);
	return path;
}

/* A disk image of 16 sectors with a fixed pattern, at a temporary path. */
static inline char *vt_disk(void)
{
	char *path = strdup("/tmp/vmlab-vmm-disk-XXXXXX");
	int fd = mkstemp(path);
	uint8_t buf[8192];

	cr_assert(fd >= 0);
	/* The pattern of tests/e2e/vmm_equiv.sh's disks, which disk.s checks. */
	static const char pattern[] = "vmlab disk pattern 0123456789\n";

	for (unsigned i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)pattern[i % (sizeof pattern - 1)];
	cr_assert_eq(write(fd, buf, sizeof buf), (ssize_t)sizeof buf);
	close(fd);
	return path;
}

/* A VM of 16 MiB run with binary translation bt (VMM_BT_*), ELF loaded. */
static inline struct vm *vt_vm_bt(const char *elf, enum vmm_shadow_policy p, const char *disk,
				  int bt)
{
	struct vmm_config cfg = { .mem_mib = 16, .cons_in_fd = -1, .disk_path = disk,
				  .shadow = p, .bt = bt };
	struct vm *vm;
	char err[256];

	cr_assert_eq(vmm_new(&cfg, &vm, err, sizeof err), 0, "vmm_new: %s", err);
	cr_assert_eq(vmm_load_elf(vm, elf, err, sizeof err), 0, "load: %s", err);
	return vm;
}

static inline struct vm *vt_vm(const char *elf, enum vmm_shadow_policy p, const char *disk)
{
	return vt_vm_bt(elf, p, disk, VMM_BT_OFF);
}

static inline struct machine *vt_bare(const char *elf, const char *disk)
{
	struct hw_config cfg = { .mem_mib = 16, .cons_in_fd = -1, .disk_path = disk };
	struct machine *m;
	char err[256];

	cr_assert_eq(hw_new(&cfg, &m, err, sizeof err), 0, "hw_new: %s", err);
	cr_assert_eq(hw_load_elf(m, elf, err, sizeof err), 0, "load: %s", err);
	return m;
}

/* Assert the VMM's invariants hold now. */
static inline void vt_check(const struct vm *vm, const char *when)
{
	char err[256];

	cr_assert_eq(vmm_check(vm, err, sizeof err), 0, "%s: %s", when, err);
}

/* The guest-visible state of the VM equals the bare machine's. */
static inline void vt_same(struct vm *vm, struct machine *m)
{
	cr_assert_eq(vmm_get_pc(vm), hw_get_pc(m), "pc");
	for (unsigned r = 0; r < ISA_NREGS; r++)
		cr_assert_eq(vmm_get_reg(vm, r), hw_get_reg(m, r), "r%u", r);
	for (unsigned c = 0; c < ISA_NCR; c++)
		cr_assert_eq(vmm_get_cr(vm, c), hw_get_cr(m, c), "%s: vmm 0x%x, bare 0x%x",
			     isa_cr_name(c), vmm_get_cr(vm, c), hw_get_cr(m, c));
	cr_assert_eq(vmm_ticks(vm), hw_ticks(m), "ticks");
	cr_assert_eq(vmm_guest_mem_size(vm), hw_mem_size(m));
	cr_assert_eq(memcmp(vm->gram, hw_mem(m), hw_mem_size(m)), 0, "guest RAM differs");
}

#endif /* TEST_VMM_UTIL_H */
