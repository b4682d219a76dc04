/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness for the OSV reader (JSON and YAML, tu_osv_parse) and the range evaluation
 * (tu_osv_affected_eval): every accepted record is evaluated at each version it names, and
 * the input is also read back as a stored "ranges" column (tu_osv_affected_from_json).
 * Seeds: tests/fuzz/osv/.
 */
#include <stdint.h>
#include <string.h>

#include "tu-common.h"
#include "tu-osv.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
eval_at (const TuOsvAffected *a, const char *version)
{
	char *fixed = NULL, *why = NULL;
	TuOsvVerdict v = tu_osv_affected_eval (a, version, &fixed, &why);
	if (v == TU_OSV_UNKNOWN && why == NULL)
		__builtin_trap ();
	if (v != TU_OSV_AFFECTED && fixed != NULL)
		__builtin_trap ();
	g_free (fixed);
	g_free (why);
}

static void
eval_all (const TuOsvAffected *a)
{
	eval_at (a, "0");
	eval_at (a, "1.0.0");
	for (guint i = 0; i < a->versions->len && i < 16; i++)
		eval_at (a, g_ptr_array_index (a->versions, i));
	for (guint i = 0; i < a->invalid_versions->len && i < 4; i++)
		eval_at (a, g_ptr_array_index (a->invalid_versions, i));
	for (guint i = 0; i < a->ranges->len && i < 8; i++) {
		const TuOsvRange *r = g_ptr_array_index (a->ranges, i);
		for (guint j = 0; j < r->events->len && j < 8; j++)
			eval_at (a,
				 ((const TuOsvEvent *) g_ptr_array_index (r->events, j))->version);
	}
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_osv_record_free);
	GPtrArray *rejected = g_ptr_array_new_with_free_func (g_free);
	GError *error = NULL;
	if (tu_osv_parse ((const char *) data, size, "fuzz.json", records, rejected, &error)) {
		for (guint i = 0; i < records->len; i++) {
			const TuOsvRecord *r = g_ptr_array_index (records, i);
			if (r->id == NULL || r->affected == NULL)
				__builtin_trap ();
			for (guint j = 0; j < r->affected->len && j < 8; j++)
				eval_all (g_ptr_array_index (r->affected, j));
		}
	} else if (records->len != 0 || rejected->len != 0) {
		__builtin_trap ();
	}
	g_clear_error (&error);
	g_ptr_array_unref (records);
	g_ptr_array_unref (rejected);

	/* the same bytes as a stored ranges column, for each kind of scheme */
	char *text = g_strndup ((const char *) data, size);
	static const char *const schemes[] = {"rpm", "dpkg", "pep440", "semver", "apk", "generic"};
	TuOsvAffected *a = tu_osv_affected_from_json ("Fuzz", "pkg", schemes[size % 6], text,
						      NULL, &error);
	if (a != NULL) {
		eval_all (a);
		tu_osv_affected_free (a);
	}
	g_clear_error (&error);
	g_free (text);
	return 0;
}
