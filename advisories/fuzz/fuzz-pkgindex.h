/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The body the three package index harnesses share (fuzz-pkgindex-deb, -apk, -rpm): the input
 * goes through the decompressors, then the reader of one format. Every entry kept has a name,
 * a version its scheme accepts and a line inside the input, and every refused record is a
 * warning; an error only ever comes with a message, and a failed read keeps no entry.
 */
#pragma once

#include <stdint.h>
#include <string.h>

#include "tu-common.h"
#include "tu-pkgindex.h"
#include "tu-version.h"

/* Reads @data as an index of @format whose versions follow @scheme; returns the decompressed
 * bytes for a harness that reads them again another way (NULL when they did not decompress). */
static inline GBytes *
fuzz_pkgindex_one (TuPkgIndexFormat format, TuScheme scheme, const uint8_t *data, size_t size)
{
	GError *error = NULL;
	GBytes *raw = g_bytes_new (data, size);
	GBytes *plain = tu_pkgindex_decompress ("fuzz", raw, 4u * 1024u * 1024u, &error);
	g_bytes_unref (raw);
	if (plain == NULL) {
		if (error == NULL)
			__builtin_trap ();
		g_clear_error (&error);
		return NULL;
	}
	gsize len = 0;
	const char *buf = g_bytes_get_data (plain, &len);
	guint n_lines = 1;
	for (gsize i = 0; i < len; i++)
		n_lines += buf[i] == '\n';
	GPtrArray *entries =
		g_ptr_array_new_with_free_func ((GDestroyNotify) tu_pkgindex_entry_free);
	TuWarnings *warnings = tu_warnings_new ();
	if (tu_pkgindex_parse (format, "fuzz", buf, len, entries, warnings, &error)) {
		for (guint i = 0; i < entries->len; i++) {
			const TuPkgIndexEntry *e = g_ptr_array_index (entries, i);
			if (e->name == NULL || *e->name == '\0' || e->source == NULL ||
			    !tu_version_validate (scheme, e->version, NULL) || e->line == 0 ||
			    e->line > n_lines)
				__builtin_trap ();
		}
	} else if (error == NULL || entries->len != 0) {
		__builtin_trap ();
	}
	g_clear_error (&error);
	tu_warnings_free (warnings);
	g_ptr_array_unref (entries);
	return plain;
}
