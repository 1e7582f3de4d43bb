/*
 * test_hw_loader.c - loading executables (ISA.md section 12): segments
 * copied to p_paddr and zero-filled, reset state, and the refusals, each
 * with a message naming the file and the problem.
 */
#include <stdlib.h>

#include "test_hw_util.h"

/* Assemble src with text at text_base into a malloc'ed ELF image. */
static uint8_t *assemble(const char *src, uint32_t text_base, size_t *size)
{
	struct asm_options o = { .text_base = text_base };
	uint8_t *img = NULL;

	cr_assert_eq(asm_string(&o, "t.s", src, &img, size), 0);
	return img;
}

static char *write_file(const void *data, size_t size)
{
	char *path = strdup("/tmp/vmlab-elf-XXXXXX");
	int fd = mkstemp(path);

	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, data, size), (ssize_t)size);
	close(fd);
	return path;
}

/* Load the bytes as a file; expect failure with a message containing
 * each of the words. */
static void expect_refusal(const void *data, size_t size, uint32_t mib, const char *w1,
			   const char *w2)
{
	struct hwt t;
	char *path = write_file(data, size);
	char err[256] = "";

	hwt_init_cfg(&t, mib, -1, NULL);
	PUT(&t, 0x1000, 0xabcdef01);
	cr_expect_eq(hw_load_elf(t.m, path, err, sizeof err), -1, "should refuse (%s)", w1);
	cr_expect(strstr(err, path), "message names the file: %s", err);
	cr_expect(strstr(err, w1), "message says '%s': %s", w1, err);
	if (w2)
		cr_expect(strstr(err, w2), "message says '%s': %s", w2, err);
	cr_expect_eq(hwt_word(&t, 0x1000), 0xabcdef01, "RAM unchanged on failure");
	hwt_fini(&t);
	unlink(path);
	free(path);
}

Test(hw_loader, loads_segments_zero_fills_and_resets)
{
	struct hwt t;
	size_t size;
	uint8_t *img = assemble("_start: li a0, 42\n out a0, 0x20(zero)\n"
				" .data\nd: .word 0x55667788\n .bss\nb: .space 64\n", 0, &size);
	char *path = write_file(img, size);
	char err[256];

	hwt_init_cfg(&t, 2, -1, NULL);
	PUT(&t, 0x2004, 0xffffffff);	/* in .bss: must be zeroed */
	hw_set_reg(t.m, A3, 9);
	cr_assert_eq(hw_load_elf(t.m, path, err, sizeof err), 0, "%s", err);
	cr_expect_eq(hw_get_pc(t.m), 0x1000, "pc = entry");
	cr_expect_eq(REG(&t, SP), 2u << 20, "sp = memsize");
	cr_expect_eq(REG(&t, A3), 0, "other registers 0");
	cr_expect_eq(CR(&t, STATUS), ISA_ST_KM);
	cr_expect_eq(hwt_word(&t, 0x2000), 0x55667788, ".data at its p_paddr");
	cr_expect_eq(hwt_word(&t, 0x2004), 0, ".bss zero-filled");
	cr_expect_eq(hwt_run_off(&t), 42);
	hwt_fini(&t);
	unlink(path);
	free(path);
	free(img);
}

Test(hw_loader, refuses_a_file_that_is_not_elf)
{
	static const char text[] = "#!/bin/sh\necho this is not an executable\n";

	expect_refusal(text, sizeof text, 1, "not an ELF", NULL);
}

Test(hw_loader, refuses_a_missing_file)
{
	struct hwt t;
	char err[256] = "";

	hwt_init(&t);
	cr_expect_eq(hw_load_elf(t.m, "/nonexistent/x.elf", err, sizeof err), -1);
	cr_expect(strstr(err, "/nonexistent/x.elf"), "%s", err);
	hwt_fini(&t);
}

Test(hw_loader, refuses_another_machine)
{
	size_t size;
	uint8_t *img = assemble("_start: nop\n", 0, &size);

	img[18] = 0x3e;	/* e_machine = EM_X86_64 */
	img[19] = 0;
	expect_refusal(img, size, 1, "machine", "0x3e");
	free(img);
}

Test(hw_loader, refuses_a_truncated_file)
{
	size_t size;
	uint8_t *img = assemble("_start: nop\n .data\n .space 100\n", 0, &size);

	expect_refusal(img, 60, 1, "truncated", NULL);
	free(img);
}

Test(hw_loader, refuses_a_segment_outside_ram)
{
	size_t size;
	uint8_t *img = assemble("_start: nop\n", 0x100ff0, &size);

	/* Linked at 1 MiB + 0xff0: fits in 2 MiB, not in 1 MiB. */
	expect_refusal(img, size, 1, "outside RAM", "segment");
	{
		struct hwt t;
		char *path = write_file(img, size);
		char err[256];

		hwt_init_cfg(&t, 2, -1, NULL);
		cr_expect_eq(hw_load_elf(t.m, path, err, sizeof err), 0, "%s", err);
		hwt_fini(&t);
		unlink(path);
		free(path);
	}
	free(img);
}

Test(hw_loader, refuses_an_entry_outside_every_segment)
{
	/* pgelf refuses such a file already; the machine checks too, for
	 * images built in memory. */
	static const uint8_t code[4] = { 0 };
	struct pgelf_segment seg = { .vaddr = 0x1000, .paddr = 0x1000, .filesz = 4, .memsz = 4,
				     .flags = PGELF_SEG_X | PGELF_SEG_R, .data = code };
	struct pgelf elf = { .entry = 0x3000, .nsegs = 1, .segs = &seg };
	struct hwt t;
	char err[256] = "";

	hwt_init(&t);
	cr_expect_eq(hw_load_pgelf(t.m, &elf, "mem.elf", err, sizeof err), -1);
	cr_expect(strstr(err, "mem.elf") && strstr(err, "entry"), "%s", err);
	elf.entry = 0x1000;
	cr_expect_eq(hw_load_pgelf(t.m, &elf, "mem.elf", err, sizeof err), 0, "%s", err);
	hwt_fini(&t);
}
