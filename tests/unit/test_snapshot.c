/*
 * test_snapshot.c - snapshot files refuse what they must (vm/hw/snap.h):
 * a deterministic corruption test flips a byte in every region of a real
 * snapshot and truncates it at every length, bare and VM; payloads with
 * valid checksums but cut short in every section, a wrong version, the
 * wrong kind and the wrong memory size.  Every refusal is one line naming
 * the file, and no machine or VM is left behind.  Tick-exact continuation
 * is tests/e2e/snapshot_equiv.sh's.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "hw.h"
#include "snap.h"
#include "vmm.h"

/* Criterion runs tests in parallel processes: a file per process. */
static char path_buf[64];
#define PATH (path_buf[0] ? path_buf \
	      : (snprintf(path_buf, sizeof path_buf, "test_snapshot.%d.snap", (int)getpid()), \
		 path_buf))

/* A small machine (1 MiB) with state in every section. */
static struct machine *some_machine(void)
{
	struct hw_config cfg = { .mem_mib = 1, .cons_in_fd = -1 };
	struct machine *m;
	char err[256];

	cr_assert_eq(hw_new(&cfg, &m, err, sizeof err), 0, "%s", err);
	for (unsigned r = 1; r < 16; r++)
		hw_set_reg(m, r, r * 0x01010101u);
	hw_set_pc(m, 0x1000);
	hw_set_cr(m, ISA_CR_TIMECMP, 12345);
	for (uint32_t a = 0; a < 4096; a += 4) {
		uint32_t w = a * 2654435761u;

		hw_phys_write(m, 0x2000 + a, &w, 4);
	}
	return m;
}

static struct vm *some_vm(void)
{
	struct vmm_config cfg = { .mem_mib = 1, .cons_in_fd = -1 };
	struct vm *vm;
	char err[256];

	cr_assert_eq(vmm_new(&cfg, &vm, err, sizeof err), 0, "%s", err);
	for (unsigned r = 1; r < 16; r++)
		vmm_set_reg(vm, r, r * 0x01010101u);
	vmm_set_pc(vm, 0x1000);
	for (uint32_t a = 0; a < 4096; a += 4) {
		uint32_t w = a * 2654435761u;

		vmm_guest_write(vm, 0x2000 + a, &w, 4);
	}
	return vm;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p;
	long n;

	cr_assert(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	p = malloc((size_t)n);
	cr_assert(p && fread(p, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

static void spit(const char *path, const uint8_t *p, size_t len)
{
	FILE *f = fopen(path, "wb");

	cr_assert(f && fwrite(p, 1, len, f) == len);
	fclose(f);
}

/* Restore PATH as a bare machine (kind SNAP_BARE) or a VM: 0 or -1; a
 * refusal must be one line naming the file. */
static int restore(enum snap_kind kind, uint32_t mem_mib, char *err, size_t errsize)
{
	int rc;

	err[0] = 0;
	if (kind == SNAP_BARE) {
		struct hw_config cfg = { .mem_mib = mem_mib, .cons_in_fd = -1 };
		struct machine *m = NULL;

		rc = hw_restore(&cfg, PATH, &m, err, errsize);
		cr_assert_eq(rc == 0, m != NULL, "a machine exists after a failed restore");
		hw_free(m);
	} else {
		struct vmm_config cfg = { .mem_mib = mem_mib, .cons_in_fd = -1 };
		struct vm *vm = NULL;

		rc = vmm_restore(&cfg, PATH, &vm, err, errsize);
		cr_assert_eq(rc == 0, vm != NULL, "a VM exists after a failed restore");
		vmm_free(vm);
	}
	if (rc) {
		cr_assert(strncmp(err, PATH, strlen(PATH)) == 0 && err[strlen(PATH)] == ':',
			  "no file name: %s", err);
		cr_assert(!strchr(err, '\n'), "not one line: %s", err);
	}
	return rc;
}

static uint8_t *saved(enum snap_kind kind, size_t *len)
{
	char err[256];

	if (kind == SNAP_BARE) {
		struct machine *m = some_machine();

		cr_assert_eq(hw_save(m, PATH, err, sizeof err), 0, "%s", err);
		hw_free(m);
	} else {
		struct vm *vm = some_vm();

		cr_assert_eq(vmm_save(vm, PATH, err, sizeof err), 0, "%s", err);
		vmm_free(vm);
	}
	return slurp(PATH, len);
}

/* The container check on a file held in memory (no file I/O per case):
 * -1 with one line naming the file, or 0. */
static int open_mem(const uint8_t *p, size_t len, enum snap_kind kind, char *err,
		    size_t errsize)
{
	struct snap_info info;
	uint8_t *payload;
	size_t plen;
	int rc = snap_open_mem("x.snap", p, len, kind, &info, &payload, &plen, err, errsize);

	if (rc == 0) {
		free(payload);
		return 0;
	}
	cr_assert(payload == NULL);
	cr_assert(strncmp(err, "x.snap: ", 8) == 0, "no file name: %s", err);
	cr_assert(!strchr(err, '\n'), "not one line: %s", err);
	return -1;
}

static void flip_every_byte(enum snap_kind kind)
{
	size_t len;
	uint8_t *good = saved(kind, &len);
	char err[256];

	cr_assert_eq(restore(kind, 0, err, sizeof err), 0, "the intact file: %s", err);
	cr_assert_eq(open_mem(good, len, kind, err, sizeof err), 0, "%s", err);
	for (size_t i = 0; i < len; i++)
		for (unsigned bit = 0; bit < 8; bit++) {
			good[i] ^= (uint8_t)(1u << bit);
			cr_assert_eq(open_mem(good, len, kind, err, sizeof err), -1,
				     "byte %zu bit %u flipped: accepted", i, bit);
			good[i] ^= (uint8_t)(1u << bit);
		}
	for (size_t n = 0; n < len; n++)
		cr_assert_eq(open_mem(good, n, kind, err, sizeof err), -1,
			     "cut to %zu bytes: accepted", n);
	cr_expect(strstr(err, "truncated"), "%s", err);
	free(good);
	unlink(PATH);
}

Test(snapshot, bare_every_flipped_byte_and_every_truncation_is_refused)
{
	flip_every_byte(SNAP_BARE);
}

Test(snapshot, vm_every_flipped_byte_and_every_truncation_is_refused)
{
	flip_every_byte(SNAP_VM);
}

/* Payloads with good checksums but cut inside every section (and a byte
 * too long): the section reader refuses them, nothing half-restored. */
static void cut_payloads(enum snap_kind kind)
{
	struct snap_buf b = { 0 };
	char err[256];

	if (kind == SNAP_BARE) {
		struct machine *m = some_machine();

		cr_assert_eq(hw_state_save(m, &b, err, sizeof err), 0);
		hw_free(m);
	} else {
		struct vm *vm = some_vm();

		cr_assert_eq(vmm_state_save(vm, &b, err, sizeof err), 0);
		vmm_free(vm);
	}
	/* Cut around the start and the end of every section, and inside. */
	size_t full = b.len, at = 0;
	unsigned cuts = 0;

	snap_put32(&b, 0);	/* a trailing word: too long */
	while (at < full) {
		size_t end = at + 8 + (b.p[at + 4] | b.p[at + 5] << 8 | (size_t)b.p[at + 6] << 16
				       | (size_t)b.p[at + 7] << 24);
		size_t cut[] = { at, at + 1, at + 4, at + 7, at + 8, at + 9, at + 12,
				 (at + end) / 2, end - 4, end - 1, end + 1, end + 4 };

		for (unsigned i = 0; i < sizeof cut / sizeof *cut; i++) {
			if (cut[i] == full || cut[i] > full + 4)
				continue;
			b.len = cut[i];
			cr_assert_eq(snap_write_file(PATH, kind, 1, &b, err, sizeof err), 0);
			cr_assert_eq(restore(kind, 0, err, sizeof err), -1,
				     "payload cut at %zu: accepted", cut[i]);
			cr_assert(strstr(err, "corrupt snapshot"), "%s", err);
			cuts++;
		}
		at = end;
	}
	cr_assert_geq(cuts, 5 * 12, "only %u cuts: sections not found", cuts);
	snap_buf_free(&b);
	unlink(PATH);
}

Test(snapshot, bare_payload_cut_in_every_section_is_refused)
{
	cut_payloads(SNAP_BARE);
}

Test(snapshot, vm_payload_cut_in_every_section_is_refused)
{
	cut_payloads(SNAP_VM);
}

Test(snapshot, wrong_version_kind_and_memory_size_are_named)
{
	size_t len;
	uint8_t *p = saved(SNAP_BARE, &len);
	char err[256];
	uLong c;

	cr_assert_eq(restore(SNAP_VM, 0, err, sizeof err), -1);
	cr_expect(strstr(err, "a snapshot of a bare machine"), "%s", err);
	cr_assert_eq(restore(SNAP_BARE, 2, err, sizeof err), -1);
	cr_expect(strstr(err, "1 MiB") && strstr(err, "2 MiB"), "%s", err);
	p[8] = SNAP_VERSION + 1;	/* a later version, with a valid header CRC */
	c = crc32(crc32(0, Z_NULL, 0), p, 44);
	for (unsigned i = 0; i < 4; i++)
		p[44 + i] = (uint8_t)(c >> (8 * i));
	spit(PATH, p, len);
	cr_assert_eq(restore(SNAP_BARE, 0, err, sizeof err), -1);
	cr_expect(strstr(err, "version 2"), "%s", err);
	free(p);
	p = saved(SNAP_VM, &len);
	cr_assert_eq(restore(SNAP_BARE, 0, err, sizeof err), -1);
	cr_expect(strstr(err, "a snapshot of a VM"), "%s", err);
	free(p);
	unlink(PATH);
}

Test(snapshot, restore_reproduces_the_state)
{
	struct machine *m = some_machine(), *n;
	struct hw_config cfg = { .cons_in_fd = -1 };
	char err[256];
	uint8_t *a = malloc(1 << 20), *b = malloc(1 << 20);

	cr_assert_eq(hw_save(m, PATH, err, sizeof err), 0, "%s", err);
	cr_assert_eq(hw_restore(&cfg, PATH, &n, err, sizeof err), 0, "%s", err);
	for (unsigned r = 0; r < 16; r++)
		cr_expect_eq(hw_get_reg(n, r), hw_get_reg(m, r));
	for (unsigned c = 0; c < ISA_NCR; c++)
		cr_expect_eq(hw_get_cr(n, c), hw_get_cr(m, c), "cr %u", c);
	cr_expect_eq(hw_get_pc(n), hw_get_pc(m));
	cr_expect_eq(hw_ticks(n), hw_ticks(m));
	hw_phys_read(m, 0, a, 1 << 20);
	hw_phys_read(n, 0, b, 1 << 20);
	cr_expect(memcmp(a, b, 1 << 20) == 0);
	free(a);
	free(b);
	hw_free(m);
	hw_free(n);
	unlink(PATH);
}
