/* native_memcpy.c - memcpy.inc in C. */
#include <stdint.h>

#include "native.h"

#define WORDS (0x40000u / 4)

int main(void)
{
	uint32_t *a = malloc(WORDS * 4), *b = malloc(WORDS * 4);
	double t0;

	for (uint32_t i = 0; i < WORDS; i++)
		a[i] = 1 + 3 * i;
	t0 = native_now();
	for (int r = 400; r; r--) {
		for (uint32_t i = 0; i < WORDS; i++) {
			b[i] = a[i];
			BARRIER();
		}
		for (uint32_t i = 0; i < WORDS; i++) {
			a[i] = b[i];
			BARRIER();
		}
	}
	printf("%.6f %u\n", native_now() - t0, b[100]);
	free(a);
	free(b);
	return 0;
}
