/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness for the package index reader of RPM repodata primary.xml (GMarkup), after
 * the decompressors.
 * Every entry kept has a name, a version its scheme accepts and a line inside the input, and
 * every refused record is a warning; an error only ever comes with a message. Seeds:
 * tests/fuzz/pkgindex-rpm/.
 */
#include "config.h"

#include "fuzz-pkgindex.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	GBytes *plain = fuzz_pkgindex_one (TU_PKGINDEX_RPM, TU_SCHEME_RPM, data, size);
	if (plain == NULL)
		return 0;
	g_bytes_unref (plain);
	return 0;
}
