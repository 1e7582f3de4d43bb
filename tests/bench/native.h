/*
 * native.h - timing for the native C versions of the benchmarks: each
 * runs the same algorithm as its PG32 program (same sizes, same loops,
 * compiled with the project's -O2) and prints "<seconds> <checksum>".
 * Compiler barriers keep the loops as written: no closed form for fib, no
 * library memcpy or vectorized copy.
 */
#ifndef BENCH_NATIVE_H
#define BENCH_NATIVE_H

#include <stdio.h>
#include <time.h>

#define KEEP(x)		__asm__ volatile("" : "+r"(x))
#define BARRIER()	__asm__ volatile("" ::: "memory")

static inline double native_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

#endif
