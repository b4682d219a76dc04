/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness for CVSS vectors (tu_cvss3_base_score, tu_cvss4_score): an accepted vector
 * scores in [0, 10] with one decimal place, a refused one says why. Seeds: tests/fuzz/cvss/. */
#include <stdint.h>

#include "tu-common.h"
#include "tu-osv.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check (gboolean (*score_fn) (const char *, double *, GError **), const char *vector)
{
	GError *error = NULL;
	double score = -1;
	if (score_fn (vector, &score, &error)) {
		gint64 tenths = (gint64) (score * 10.0 + 0.5);
		if (score < 0.0 || score > 10.0 || score * 10.0 - (double) tenths > 1e-6 ||
		    (double) tenths - score * 10.0 > 1e-6)
			__builtin_trap ();
	} else if (error == NULL) {
		__builtin_trap ();
	}
	g_clear_error (&error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	char *vector = g_strndup ((const char *) data, size);
	check (tu_cvss3_base_score, vector);
	check (tu_cvss4_score, vector);
	g_free (vector);
	return 0;
}
