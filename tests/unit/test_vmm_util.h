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

/* A VM of 16 MiB, no console input, on disk; cfg says the rest (shadow
 * policy, binary translation, nested paging); ELF loaded. */
static inline struct vm *vt_vm_with(const char *elf, const char *disk, struct vmm_config cfg)
{
	struct vm *vm;
	char err[256];

	cfg.mem_mib = 16;
	cfg.cons_in_fd = -1;
	cfg.disk_path = disk;
	cr_assert_eq(vmm_new(&cfg, &vm, err, sizeof err), 0, "vmm_new: %s", err);
	cr_assert_eq(vmm_load_elf(vm, elf, err, sizeof err), 0, "load: %s", err);
	return vm;
}

/* A VM run with binary translation bt (VMM_BT_*). */
static inline struct vm *vt_vm_bt(const char *elf, enum vmm_shadow_policy p, const char *disk,
				  int bt)
{
	return vt_vm_with(elf, disk, (struct vmm_config){ .shadow = p, .bt = bt });
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

/* One guest on the bare machine and in a VM, each on a disk of its own:
 * vt_pair_new makes the files and the machine, the caller the VM (of the
 * kind it tests) on disk[1]; vt_pair_free throws all of it away. */
struct vt_pair {
	char *elf, *disk[2];
	struct machine *m;
	struct vm *vm;
};

static inline void vt_pair_new(struct vt_pair *p, const char *file, const char *src)
{
	p->elf = vt_elf(file, src);
	p->disk[0] = vt_disk();
	p->disk[1] = vt_disk();
	p->m = vt_bare(p->elf, p->disk[0]);
	p->vm = NULL;
}

static inline void vt_pair_free(struct vt_pair *p)
{
	vmm_free(p->vm);
	hw_free(p->m);
	unlink(p->elf);
	free(p->elf);
	for (unsigned i = 0; i < 2; i++) {
		unlink(p->disk[i]);
		free(p->disk[i]);
	}
}

/* The VM to its power-off, stopped after every exit the VMM handles with
 * the invariants checked (at each of the first 400, then every 97th),
 * within 20 million ticks (a VMM that loops fails, not hangs); then the
 * bare machine to its power-off: the same code and end state.  Returns
 * the number of exits; *ex is the VM's last. */
static inline unsigned vt_run_checked(struct vt_pair *p, const char *name, struct vmm_exit *ex)
{
	struct hw_exit hx;
	unsigned exits = 0;
	enum vmm_exit_reason r;

	vmm_stop_on(p->vm, 0, true);
	vmm_set_budget(p->vm, 20000000);
	while ((r = vmm_run(p->vm, ex)) == VMM_EXIT_TRAP)
		if (++exits % 97 == 1 || exits < 400)
			vt_check(p->vm, ex->trap.handler);
	cr_assert_eq(r, VMM_EXIT_POWEROFF, "%s: exit %d (%s)", name, r,
		     ex->message ? ex->message : "");
	cr_assert_eq(hw_run(p->m, &hx), HW_EXIT_POWEROFF, "%s: bare", name);
	cr_assert_eq(ex->code, hx.u.power.code, "%s: code %u, bare %u", name, ex->code,
		     hx.u.power.code);
	vt_same(p->vm, p->m);
	vt_check(p->vm, "at the end");
	return exits;
}

/* vmm_step retires one guest instruction or delivers one trap, like
 * hw_step: the same number of steps to power-off, the same end state. */
static inline void vt_same_steps(struct vm *vm, struct machine *m, const char *name)
{
	struct hw_exit hx;
	struct vmm_exit ex;
	unsigned long hs = 0, vs = 0;

	while (hw_step(m, &hx) == HW_EXIT_STEP)
		hs++;
	while (vmm_step(vm, &ex) == VMM_EXIT_STEP)
		vs++;
	cr_assert_eq(hx.reason, HW_EXIT_POWEROFF, "%s", name);
	cr_assert_eq(ex.reason, VMM_EXIT_POWEROFF, "%s: %d", name, ex.reason);
	cr_expect_eq(vs, hs, "%s: %lu steps, bare %lu", name, vs, hs);
	vt_same(vm, m);
}

#endif /* TEST_VMM_UTIL_H */
