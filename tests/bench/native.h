/*
 * native.h - timing for the native C versions of the benchmarks: each
 * runs the same algorithm as its PG32 program (same sizes, same loops,
 * compiled with the project's -O2) and prints "<seconds> <checksum>".
 * Compiler barriers keep the loops as written: no closed form for fib, no
 * library memcpy or vectorized copy.  Built with BENCH_RV32 (hw.sh), the
 * same files are the RV32 versions run under qemu-riscv32 (rv32.h).
 */
#ifndef BENCH_NATIVE_H
#define BENCH_NATIVE_H

#define KEEP(x)		__asm__ volatile("" : "+r"(x))
#define BARRIER()	__asm__ volatile("" ::: "memory")

#ifdef BENCH_RV32
#include "rv32.h"
#else
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* The process's CPU time: the machine is shared, wall time is not ours. */
static inline double native_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}
#endif

#endif
