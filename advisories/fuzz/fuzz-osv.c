/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness for the OSV reader (JSON and YAML, tu_osv_parse) and the range evaluation
 * (tu_osv_affected_eval): every accepted record is evaluated at each version it names, and
 * the input is also read back as a stored "ranges" column (tu_osv_affected_from_json), with
 * the plain reader and with json-glib's only, which must agree (the same ranges, or the same
 * error). Seeds: tests/fuzz/osv/.
 */
#include <stdint.h>
#include <string.h>

#include "tu-common.h"
#include "tu-osv-private.h"
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

/* @ranges and @versions as stored columns: the plain reader and json-glib's agree, and what is
 * read is evaluated. */
static void
read_back (const char *scheme, const char *ranges, const char *versions)
{
	GError *error = NULL, *slow_error = NULL;
	TuOsvAffected *a =
		tu_osv_affected_from_json ("Fuzz", "pkg", scheme, ranges, versions, &error);
	TuOsvAffected *slow = tu_osv_affected_from_json_full ("Fuzz", "pkg", scheme, ranges,
							      versions, FALSE, &slow_error);
	if ((a == NULL) != (slow == NULL))
		__builtin_trap ();
	if (a == NULL && strcmp (error->message, slow_error->message) != 0)
		__builtin_trap ();
	if (a != NULL) {
		char *fr = tu_osv_ranges_to_json (a->ranges);
		char *sr = tu_osv_ranges_to_json (slow->ranges);
		char *fv = tu_osv_strings_to_json (a->versions);
		char *sv = tu_osv_strings_to_json (slow->versions);
		if (strcmp (fr, sr) != 0 || g_strcmp0 (fv, sv) != 0)
			__builtin_trap ();
		g_free (fr);
		g_free (sr);
		g_free (fv);
		g_free (sv);
		eval_all (a);
		tu_osv_affected_free (a);
		tu_osv_affected_free (slow);
	}
	g_clear_error (&error);
	g_clear_error (&slow_error);
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
	read_back (schemes[size % 6], text, NULL);
	read_back (schemes[size % 6], NULL, text);
	g_free (text);
	return 0;
}
