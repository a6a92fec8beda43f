/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

int harness_failures;
static struct unit_test *head, **tail = &head;

void harness_register(struct unit_test *t)
{
	*tail = t;
	tail = &t->next;
}

/* Usage: unit-tests [name-substring] */
int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (struct unit_test *t = head; t; t = t->next) {
		int before = harness_failures;

		if (argc > 1 && !strstr(t->name, argv[1]))
			continue;
		t->fn();
		if (harness_failures == before) {
			printf("PASS unit/%s\n", t->name);
			passed++;
		} else {
			printf("FAIL unit/%s\n", t->name);
			failed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
