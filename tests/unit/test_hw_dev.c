/*
 * test_hw_dev.c - time and devices against ISA.md sections 10 and 11: the
 * timer latch rule, wfi skipping ahead, deadlock, the console (output,
 * input through a pipe with the receive interrupt and RXEOF), the disk
 * (DMA both ways reaching the image file, latency, every error case), the
 * power and memsize ports.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "test_hw_util.h"

#define STOP_HANDLER \
	"handler:	mfcr	a0, cause\n" \
	"		out	a0, 0x20(zero)\n"

/* --- timer ------------------------------------------------------------ */

Test(hw_dev, timer_latches_exactly_when_icount_equals_timecmp)
{
	struct hwt t;

	hwt_init(&t);
	/* timecmp = 10; step until the latch and check the tick. */
	hwt_asm(&t, "_start: li t0, 10\n mtcr timecmp, t0\n"
		    "1: addi s0, s0, 1\n j 1b\n");
	for (int i = 0; i < 40; i++) {
		cr_assert_eq(hw_step(t.m, &t.ex), HW_EXIT_STEP);
		bool pending = CR(&t, IPEND) & ISA_IRQ_TIMER;
		cr_expect_eq(pending, CR(&t, ICOUNT) >= 10, "icount %u: pending %d",
			     CR(&t, ICOUNT), pending);
	}
	hwt_fini(&t);
}

Test(hw_dev, writing_timecmp_clears_pending)
{
	struct hwt t;

	hwt_init(&t);
	hwt_asm(&t, "_start: li t0, 4\n mtcr timecmp, t0\n nop\n nop\n nop\n"
		    " mfcr s0, ipend\n mtcr timecmp, t0\n mfcr s1, ipend\n"
		    " out zero, 0x20(zero)\n");
	hwt_run_off(&t);
	cr_expect_eq(REG(&t, S0), ISA_IRQ_TIMER);
	cr_expect_eq(REG(&t, S1), 0, "writing timecmp, even the same value, clears it");
	hwt_fini(&t);
}

Test(hw_dev, mfcr_icount_reads_ticks_before_itself)
{
	struct hwt t;

	hwt_init(&t);
	hwt_asm(&t, "_start: nop\n nop\n mfcr a0, icount\n out a0, 0x20(zero)\n");
	cr_expect_eq(hwt_run_off(&t), 2);
	cr_expect_eq(hw_ticks(t.m), 4, "the out retires too");
	hwt_fini(&t);
}

Test(hw_dev, wfi_advances_time_to_the_timer)
{
	struct hwt t;

	hwt_init(&t);
	/* timecmp = 1000000, IE off: wfi sleeps until the latch, retires,
	 * and execution continues after it. */
	hwt_asm(&t, "_start: li t0, 1000000\n mtcr timecmp, t0\n li t0, 1\n mtcr imask, t0\n"
		    " wfi\n mfcr s0, icount\n mfcr s1, ipend\n out zero, 0x20(zero)\n");
	cr_assert_eq(hwt_run_off(&t), 0);
	cr_expect_eq(REG(&t, S0), 1000001, "slept to tick 1000000, then wfi's own tick");
	cr_expect_eq(REG(&t, S1), ISA_IRQ_TIMER);
	hwt_fini(&t);
}

Test(hw_dev, wfi_with_nothing_to_wake_it_is_a_deadlock)
{
	struct hwt t;

	hwt_init(&t);	/* console input closed but RXIE clear, no disk */
	hwt_asm(&t, "_start: li t0, 6\n mtcr imask, t0\n"
		    "w: wfi\n");
	cr_assert_eq(hwt_run(&t), HW_EXIT_DEADLOCK);
	cr_expect_eq(t.ex.pc, hwt_sym(&t, "w"));
	cr_expect_eq(hwt_run(&t), HW_EXIT_DEADLOCK, "stays stopped");
	hwt_fini(&t);

	/* The timer masked: deadlock even though timecmp is ahead. */
	hwt_init(&t);
	hwt_asm(&t, "_start: li t0, 100\n mtcr timecmp, t0\n wfi\n");
	cr_assert_eq(hwt_run(&t), HW_EXIT_DEADLOCK);
	hwt_fini(&t);
}

/* --- console ------------------------------------------------------------- */

Test(hw_dev, console_end_of_input_raises_the_line_and_wakes_wfi)
{
	struct hwt t;

	hwt_init(&t);	/* console input closed from the start */
	hwt_asm(&t, "_start: mfcr s0, ipend\n li t0, 2\n mtcr imask, t0\n"
		    " li t0, 1\n out t0, 2(zero)\n"
		    " wfi\n mfcr s1, ipend\n in s2, 1(zero)\n"
		    " out zero, 2(zero)\n mfcr s3, ipend\n out zero, 0x20(zero)\n");
	cr_assert_eq(hwt_run(&t), HW_EXIT_POWEROFF, "wfi woke: no deadlock");
	cr_expect_eq(REG(&t, S0), 0, "RXIE clear: line down");
	cr_expect_eq(REG(&t, S1), ISA_IRQ_CONSOLE, "end of input with RXIE: line up");
	cr_expect_eq(REG(&t, S2), ISA_CONS_TXREADY | ISA_CONS_RXEOF);
	cr_expect_eq(REG(&t, S3), 0, "clearing RXIE lowers it");
	hwt_fini(&t);
}

Test(hw_dev, console_output_bytes)
{
	struct hwt t;

	hwt_init(&t);
	hwt_asm(&t, "_start: li t0, 0x4148\n out t0, 0(zero)\n li t0, 'i'\n out t0, 0(zero)\n"
		    " in s0, 1(zero)\n out zero, 0x20(zero)\n");
	hwt_run_off(&t);
	cr_expect_str_eq(hwt_output(&t), "Hi", "low 8 bits of each write");
	cr_expect_eq(REG(&t, S0), ISA_CONS_TXREADY | ISA_CONS_RXEOF, "no input: RXEOF");
	hwt_fini(&t);
}

Test(hw_dev, console_input_through_a_pipe_with_interrupt_and_rxeof)
{
	struct hwt t;
	int fd[2];

	cr_assert_eq(pipe(fd), 0);
	cr_assert_eq(write(fd[1], "ab", 2), 2);
	close(fd[1]);
	hwt_init_cfg(&t, 1, fd[0], NULL);
	/* RXIE on, console unmasked, IE on, then wfi: the console interrupt
	 * arrives; the handler echoes every byte until DATA gives -1, and
	 * stops when STATUS shows RXEOF. */
	hwt_asm(&t, "_start: la t0, handler\n mtcr tvec, t0\n li t0, 1\n out t0, 2(zero)\n"
		    " li t0, 2\n mtcr imask, t0\n li t0, 3\n mtcr status, t0\n"
		    "idle: wfi\n j idle\n"
		    "handler: mfcr s0, cause\n"
		    "1: in a0, 0(zero)\n li t0, -1\n beq a0, t0, 2f\n out a0, 0(zero)\n j 1b\n"
		    "2: in a0, 1(zero)\n andi a0, a0, 4\n beqz a0, 3f\n out s0, 0x20(zero)\n"
		    "3: rfe\n");
	cr_assert_eq(hwt_run_off(&t), ISA_CAUSE_CONSOLE);
	cr_expect_str_eq(hwt_output(&t), "ab");
	hwt_fini(&t);
	close(fd[0]);
}

/* A 1 MiB machine whose console input is a pipe holding bytes (the write
 * end stays open: no end of input). */
static void init_with_input(struct hwt *t, int fd[2], const char *bytes)
{
	cr_assert_eq(pipe(fd), 0);
	cr_assert_eq(write(fd[1], bytes, strlen(bytes)), (ssize_t)strlen(bytes));
	hwt_init_cfg(t, 1, fd[0], NULL);
}

/* ISA.md 10.3: wfi first tests for an interrupt already pending (then it
 * does not poll the console); only if none is, it polls, and a byte found
 * by that poll wakes it at once, in its own single tick. */
Test(hw_dev, wfi_polls_the_console_after_the_pending_test)
{
	struct hwt t;
	int fd[2];

	init_with_input(&t, fd, "q");
	hwt_asm(&t, "_start: li t0, 2\n mtcr imask, t0\n li t0, 1\n out t0, 2(zero)\n"
		    " mfcr s0, ipend\n mfcr s1, icount\n wfi\n mfcr s2, icount\n"
		    " mfcr s3, ipend\n in a0, 0(zero)\n out a0, 0x20(zero)\n");
	cr_assert_eq(hwt_run_off(&t), 'q');
	cr_expect_eq(REG(&t, S0), 0, "not polled yet: line down");
	cr_expect_eq(REG(&t, S2) - REG(&t, S1), 2, "mfcr's tick and wfi's: no idle ticks");
	cr_expect_eq(REG(&t, S3), ISA_IRQ_CONSOLE, "the poll at wfi's start found the byte");
	hwt_fini(&t);

	hwt_init_cfg(&t, 1, fd[0], NULL);
	cr_assert_eq(write(fd[1], "r", 1), 1);
	hwt_asm(&t, "_start: li t0, 20\n mtcr timecmp, t0\n li t0, 3\n mtcr imask, t0\n"
		    "1: mfcr t1, ipend\n beqz t1, 1b\n"	/* the timer line is up */
		    " li t0, 1\n out t0, 2(zero)\n wfi\n mfcr s0, ipend\n in s1, 1(zero)\n"
		    " mfcr s2, ipend\n in a0, 0(zero)\n out a0, 0x20(zero)\n");
	cr_assert_eq(hwt_run_off(&t), 'r');
	cr_expect_eq(REG(&t, S0), ISA_IRQ_TIMER, "timer pending: wfi retired without polling");
	cr_expect_eq(REG(&t, S2), ISA_IRQ_TIMER | ISA_IRQ_CONSOLE, "reading STATUS polled");
	hwt_fini(&t);
	close(fd[0]);
	close(fd[1]);
}

Test(hw_dev, console_line_needs_rxie)
{
	struct hwt t;
	int fd[2];

	init_with_input(&t, fd, "z");
	hwt_asm(&t, "_start: in s0, 1(zero)\n mfcr s1, ipend\n li t0, 1\n out t0, 2(zero)\n"
		    " mfcr s2, ipend\n in s3, 2(zero)\n in a0, 0(zero)\n mfcr s3, ipend\n"
		    " out a0, 0x20(zero)\n");
	cr_assert_eq(hwt_run_off(&t), 'z');
	cr_expect_eq(REG(&t, S0), ISA_CONS_RXREADY | ISA_CONS_TXREADY);
	cr_expect_eq(REG(&t, S1), 0, "RXREADY without RXIE: line down");
	cr_expect_eq(REG(&t, S2), ISA_IRQ_CONSOLE, "RXIE on: line up");
	cr_expect_eq(REG(&t, S3), 0, "buffer emptied: line down");
	hwt_fini(&t);
	close(fd[0]);
	close(fd[1]);
}

/* --- disk -------------------------------------------------------------- */

static char *make_image(unsigned sectors)
{
	char *path = strdup("/tmp/vmlab-disk-XXXXXX");
	int fd = mkstemp(path);
	uint8_t sec[ISA_SECTOR_SIZE];

	cr_assert(fd >= 0);
	for (unsigned s = 0; s < sectors; s++) {
		memset(sec, (int)(0xa0 + s), sizeof sec);
		cr_assert_eq(write(fd, sec, sizeof sec), (ssize_t)sizeof sec);
	}
	close(fd);
	return path;
}

/* A program that does one disk request (sector, addr, count, cmd), waits
 * for DONE by wfi with IE off, and powers off with STATUS; s0 = icount
 * at the CMD, s1 = icount after the wake. */
static void disk_request(struct hwt *t, uint32_t sector, uint32_t addr, uint32_t count,
			 uint32_t cmd)
{
	char src[1024];

	snprintf(src, sizeof src,
		 "_start: li t0, 4\n mtcr imask, t0\n"
		 " li t0, %u\n out t0, 0x10(zero)\n li t0, 0x%x\n out t0, 0x11(zero)\n"
		 " li t0, %u\n out t0, 0x12(zero)\n li t0, %u\n"
		 " mfcr s0, icount\n out t0, 0x13(zero)\n"
		 " in s2, 0x14(zero)\n"
		 " wfi\n mfcr s1, icount\n in a0, 0x14(zero)\n out zero, 0x14(zero)\n"
		 " in s3, 0x14(zero)\n out a0, 0x20(zero)\n",
		 sector, addr, count, cmd);
	hwt_asm(t, src);
}

Test(hw_dev, disk_read_dma_after_latency)
{
	struct hwt t;
	char *img = make_image(8);

	hwt_init_cfg(&t, 1, -1, img);
	disk_request(&t, 2, 0x40000, 3, ISA_DISK_CMD_READ);
	cr_assert_eq(hwt_run_off(&t), ISA_DISK_DONE, "DONE without ERROR");
	cr_expect_eq(REG(&t, S2), ISA_DISK_BUSY);
	cr_expect_eq(REG(&t, S3), 0, "acknowledged");
	/* s0 = C - 1 (the mfcr just before the out reads C - 1, the out
	 * has C); completion at the end of tick C + 1024; wfi retires one
	 * tick later, and mfcr reads that. */
	cr_expect_eq(REG(&t, S1), REG(&t, S0) + 1 + ISA_DISK_LATENCY + 1, "s0 %u s1 %u",
		     REG(&t, S0), REG(&t, S1));
	cr_expect_eq(hwt_word(&t, 0x40000), 0xa2a2a2a2);
	cr_expect_eq(hwt_word(&t, 0x40000 + 3 * 512 - 4), 0xa4a4a4a4);
	cr_expect_eq(hwt_word(&t, 0x40000 + 3 * 512), 0, "exactly count sectors");
	hwt_fini(&t);
	unlink(img);
	free(img);
}

Test(hw_dev, disk_write_reaches_the_image_file)
{
	struct hwt t;
	char *img = make_image(4);
	uint8_t buf[ISA_SECTOR_SIZE];
	int fd;

	hwt_init_cfg(&t, 1, -1, img);
	disk_request(&t, 1, 0x40000, 1, ISA_DISK_CMD_WRITE);
	for (uint32_t i = 0; i < 512; i += 4)
		PUT(&t, 0x40000 + i, 0x11000000 + i);
	cr_assert_eq(hwt_run_off(&t), ISA_DISK_DONE);
	hwt_fini(&t);	/* nothing written may be lost at power-off */
	fd = open(img, O_RDONLY);
	cr_assert(fd >= 0);
	cr_assert_eq(pread(fd, buf, sizeof buf, 512), (ssize_t)sizeof buf);
	cr_expect_eq(buf[0], 0x00);
	cr_expect_eq(buf[3], 0x11);
	cr_expect_eq(buf[508], 0xfc);
	cr_assert_eq(pread(fd, buf, sizeof buf, 1024), (ssize_t)sizeof buf);
	cr_expect_eq(buf[0], 0xa2, "the next sector untouched");
	close(fd);
	unlink(img);
	free(img);
}

/* An image the disk cannot address, or not whole sectors: refused with
 * the reason.  Sparse files, so nothing is written. */
Test(hw_dev, disk_image_size_refusals)
{
	static const struct { uint64_t size; const char *why; } c[] = {
		{ ((uint64_t)1 << 32) * ISA_SECTOR_SIZE + ISA_SECTOR_SIZE,
		  "disk image is too large: 4294967297 sectors, at most 4294967295" },
		{ ((uint64_t)1 << 32) * ISA_SECTOR_SIZE,
		  "disk image is too large: 4294967296 sectors, at most 4294967295" },
		{ 1000, "disk image size 1000 is not a multiple of 512 bytes" },
	};
	char *path = make_image(0);

	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		struct hw_config cfg = { .mem_mib = 1, .cons_in_fd = -1,
					  .disk_path = path };
		struct machine *m = NULL;
		char err[300] = "";

		cr_assert_eq(truncate(path, (off_t)c[i].size), 0);
		cr_expect_eq(hw_new(&cfg, &m, err, sizeof err), -1, "%s accepted", c[i].why);
		cr_expect(strstr(err, path) && strstr(err, c[i].why), "'%s', want '%s'", err, c[i].why);
		if (m)
			hw_free(m);
	}
	cr_assert_eq(truncate(path, (off_t)((uint64_t)UINT32_MAX * ISA_SECTOR_SIZE)), 0);
	{
		struct hw_config cfg = { .mem_mib = 1, .cons_in_fd = -1, .disk_path = path };
		struct machine *m = NULL;
		char err[300] = "";

		cr_expect_eq(hw_new(&cfg, &m, err, sizeof err), 0, "2^32-1 sectors: %s", err);
		if (m)
			hw_free(m);
	}
	unlink(path);
	free(path);
}

Test(hw_dev, disk_error_cases)
{
	static const struct { uint32_t sector, addr, count, cmd; bool disk; const char *why; } c[] = {
		{ 0, 0x40000, 1, ISA_DISK_CMD_READ, false, "no disk" },
		{ 0, 0x40000, 0, ISA_DISK_CMD_READ, true, "count 0" },
		{ 3, 0x40000, 2, ISA_DISK_CMD_READ, true, "sectors past the end" },
		{ 0, 0xfff00, 1, ISA_DISK_CMD_WRITE, true, "DMA range outside RAM" },
		{ 0, 0x40000, 1, 3, true, "unknown command" },
	};

	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		struct hwt t;
		char *img = make_image(4);

		hwt_init_cfg(&t, 1, -1, c[i].disk ? img : NULL);
		disk_request(&t, c[i].sector, c[i].addr, c[i].count, c[i].cmd);
		cr_expect_eq(hwt_run_off(&t), ISA_DISK_DONE | ISA_DISK_ERROR, "%s", c[i].why);
		cr_expect_eq(REG(&t, S1), REG(&t, S0) + 1 + ISA_DISK_LATENCY + 1,
			     "%s: after the same latency", c[i].why);
		cr_expect_eq(hwt_word(&t, 0x40000), 0, "%s: nothing transferred", c[i].why);
		hwt_fini(&t);
		unlink(img);
		free(img);
	}
}

Test(hw_dev, disk_cmd_while_busy_sets_error_at_once)
{
	struct hwt t;
	char *img = make_image(4);

	hwt_init_cfg(&t, 1, -1, img);
	hwt_asm(&t, "_start: li t0, 0x40000\n out t0, 0x11(zero)\n li t0, 1\n out t0, 0x12(zero)\n"
		    " out t0, 0x13(zero)\n out t0, 0x13(zero)\n in s0, 0x14(zero)\n"
		    " out zero, 0x14(zero)\n in s1, 0x14(zero)\n"
		    " li t0, 4\n mtcr imask, t0\n wfi\n in a0, 0x14(zero)\n in s2, 0x15(zero)\n"
		    " out a0, 0x20(zero)\n");
	cr_assert_eq(hwt_run_off(&t), ISA_DISK_DONE, "the first request completes normally");
	cr_expect_eq(REG(&t, S0), ISA_DISK_BUSY | ISA_DISK_DONE | ISA_DISK_ERROR);
	cr_expect_eq(REG(&t, S1), ISA_DISK_BUSY, "acknowledge clears DONE and ERROR, not BUSY");
	cr_expect_eq(REG(&t, S2), 4, "SIZE in sectors");
	cr_expect_eq(hwt_word(&t, 0x40000), 0xa0a0a0a0);
	hwt_fini(&t);
	unlink(img);
	free(img);
}

Test(hw_dev, disk_interrupt)
{
	struct hwt t;
	char *img = make_image(1);

	hwt_init_cfg(&t, 1, -1, img);
	hwt_asm(&t, "_start: la t0, handler\n mtcr tvec, t0\n li t0, 4\n mtcr imask, t0\n"
		    " li t0, 3\n mtcr status, t0\n li t0, 1\n out t0, 0x12(zero)\n out t0, 0x13(zero)\n"
		    "1: j 1b\n" STOP_HANDLER);
	cr_assert_eq(hwt_run_off(&t), ISA_CAUSE_DISK);
	hwt_fini(&t);
	unlink(img);
	free(img);
}

/* --- power and memsize ------------------------------------------------- */

Test(hw_dev, power_off_code_and_memsize)
{
	struct hwt t;

	hwt_init_cfg(&t, 3, -1, NULL);
	hwt_asm(&t, "_start: in s0, 0x21(zero)\n in s1, 0x20(zero)\n out zero, 0x21(zero)\n"
		    " li a0, 0x1ff\n out a0, 0x20(zero)\n addi s2, zero, 1\n");
	cr_expect_eq(hwt_run_off(&t), 0xff, "code = value & 0xff");
	cr_expect_eq(REG(&t, S0), 3u << 20);
	cr_expect_eq(REG(&t, S1), 0, "POWER reads 0");
	cr_expect_eq(REG(&t, S2), 0, "nothing runs after power-off");
	cr_expect_eq(REG(&t, SP), 3u << 20, "sp = memsize at reset");
	cr_expect_eq(hwt_run(&t), HW_EXIT_POWEROFF, "stays off");
	cr_expect_eq(t.ex.u.power.code, 0xff);
	hwt_fini(&t);
}
