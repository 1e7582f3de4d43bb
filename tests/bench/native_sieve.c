/* native_sieve.c - sieve.inc in C. */
#include <stdint.h>

#include "native.h"

#define N 0x100000u

int main(void)
{
	uint8_t *flags = malloc(N);
	double t0 = native_now();
	uint32_t count = 0;

	for (int r = 15; r; r--) {
		uint32_t *w = (uint32_t *)flags;
		for (uint32_t i = 0; i < N / 4; i++) {
			w[i] = 0x01010101;
			BARRIER();
		}
		count = 0;
		for (uint32_t p = 2; p < N; p++) {
			if (!flags[p])
				continue;
			count++;
			for (uint32_t q = p * p; (uint64_t)p * p < N && q < N; q += p)
				flags[q] = 0;
		}
		BARRIER();
	}
	printf("%.6f %u\n", native_now() - t0, count);
	free(flags);
	return 0;
}
