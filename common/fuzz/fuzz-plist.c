/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness for the property-list reader (common/tu-plist.c): one input read as a
 * plist with JSON allowed (system_profiler -json) and without (Info.plist), and the tree
 * walked. Seeds: tests/fuzz/plist/. */
#include <stdint.h>

#include "tu-plist.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gsize
walk (const TuPlistNode *n)
{
	gsize count = 1;
	if (n->items != NULL) {
		for (guint i = 0; i < n->items->len; i++)
			count += walk (g_ptr_array_index (n->items, i));
	}
	(void) tu_plist_text (n);
	return count;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	for (int allow_json = 0; allow_json < 2; allow_json++) {
		GError *error = NULL;
		TuPlistNode *n = tu_plist_parse (data, size, "fuzz.plist", allow_json, &error);
		g_assert ((n == NULL) == (error != NULL));
		if (n != NULL) {
			g_assert (walk (n) <= 4 * (gsize) TU_PLIST_MAX_NODES);
			tu_plist_node_free (n);
		}
		g_clear_error (&error);
	}
	return 0;
}
