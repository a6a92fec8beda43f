/*
 * The few C library functions the freestanding guest programs and GCC's
 * generated code need. Included by both guest libraries (tests/guest/lib/lib.c,
 * 64-bit; tests/guest32/lib/lib.c, 32-bit) so they share one copy.
 */
typedef unsigned char libc_u8;

void *memset(void *d, int c, unsigned long n)
{
	volatile libc_u8 *p = d;

	while (n--)
		*p++ = (libc_u8)c;
	return d;
}

void *memcpy(void *d, const void *s, unsigned long n)
{
	volatile libc_u8 *p = d;
	const libc_u8 *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

int memcmp(const void *a, const void *b, unsigned long n)
{
	const libc_u8 *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (libc_u8)*a - (libc_u8)*b;
}

unsigned long strlen(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}
