/* native_fib.c - fib.inc in C. */
#include <stdint.h>

#include "native.h"

int main(void)
{
	double t0 = native_now();
	uint32_t sum = 0;

	for (uint32_t r = 60000; r; r--) {
		uint32_t a = 0, b = 1;
		for (uint32_t n = 1000; n; n--) {
			uint32_t c = a + b;
			a = b;
			b = c;
			KEEP(b);
		}
		sum += a;
	}
	printf("%.6f %u\n", native_now() - t0, sum);
	return 0;
}
