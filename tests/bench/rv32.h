/*
 * rv32.h - what native.h gives the C benchmarks when hw.sh builds them for
 * 32-bit RISC-V Linux (BENCH_RV32) to run under qemu-riscv32: no C library
 * is needed, so any RISC-V cross compiler will do.  It provides the
 * process's CPU time (clock_gettime64), the one printf the benchmarks use
 * ("%.6f %u\n"), malloc from a static arena, and _start.  Built with the
 * D extension (rv32imafd), so doubles need no library either.
 */
#ifndef BENCH_RV32_H
#define BENCH_RV32_H

#include <stddef.h>
#include <stdint.h>

#define RV_SYS_WRITE		64
#define RV_SYS_EXIT		93
#define RV_SYS_CLOCK_GETTIME64	403
#define RV_CLOCK_PROCESS_CPUTIME_ID 2

static inline long rv_syscall(long n, long a0, long a1, long a2)
{
	register long x10 __asm__("a0") = a0;
	register long x11 __asm__("a1") = a1;
	register long x12 __asm__("a2") = a2;
	register long x17 __asm__("a7") = n;

	__asm__ volatile("ecall" : "+r"(x10) : "r"(x11), "r"(x12), "r"(x17) : "memory");
	return x10;
}

static inline double native_now(void)
{
	struct { int64_t sec, nsec; } t = { 0, 0 };

	rv_syscall(RV_SYS_CLOCK_GETTIME64, RV_CLOCK_PROCESS_CPUTIME_ID, (long)&t, 0);
	return (double)(int32_t)t.sec + (double)(int32_t)t.nsec / 1e9;
}

static inline int rv_digits(char *b, uint32_t v, int width)
{
	char t[10];
	int n = 0, k = 0;

	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v || n < width);
	while (n)
		b[k++] = t[--n];
	return k;
}

/* printf("%.6f %u\n", seconds, checksum), the benchmarks' only output. */
static inline void rv_print(double secs, uint32_t v)
{
	uint32_t us = (uint32_t)(secs * 1e6 + 0.5);
	char b[32];
	int n = rv_digits(b, us / 1000000, 1);

	b[n++] = '.';
	n += rv_digits(b + n, us % 1000000, 6);
	b[n++] = ' ';
	n += rv_digits(b + n, v, 1);
	b[n++] = '\n';
	rv_syscall(RV_SYS_WRITE, 1, (long)b, n);
}
#define printf(fmt, secs, v)	rv_print(secs, v)

/* malloc: the benchmarks need at most two 1 MiB buffers, never freed. */
static unsigned char rv_arena[2u << 20] __attribute__((aligned(16)));
static size_t rv_used;
static inline void *rv_malloc(size_t n)
{
	void *p = rv_arena + rv_used;

	rv_used += (n + 15) & ~(size_t)15;
	return rv_used <= sizeof rv_arena ? p : NULL;
}
#define malloc(n)	rv_malloc(n)
#define free(p)		((void)(p))

int main(void);
void _start(void);
void _start(void)
{
	rv_syscall(RV_SYS_EXIT, main(), 0, 0);
	for (;;)
		;
}

#endif
