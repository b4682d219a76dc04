/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness for the KEV reader (JSON with json-glib, CSV with tu-csv): tu_kev_import
 * needs a store, so the harness includes tu-kev.c and calls its reader, kev_read, directly
 * (the archive's own tu-kev.o is then never linked in). Every row kept has a CVE id and a
 * date. Seeds: tests/fuzz/kev/.
 */
#include "../tu-kev.c"

#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_kev_entry_free);
	GError *error = NULL;
	if (kev_read ((const char *) data, size, "fuzz.json", rows, &error)) {
		for (guint i = 0; i < rows->len; i++) {
			const TuKevEntry *k = g_ptr_array_index (rows, i);
			if (!is_cve_id (k->cve) || k->date_added == NULL ||
			    strlen (k->date_added) != 10)
				__builtin_trap ();
		}
	} else if (error == NULL) {
		__builtin_trap ();
	}
	g_clear_error (&error);
	g_ptr_array_unref (rows);
	return 0;
}
