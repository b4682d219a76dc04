/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness for the package index reader of Debian/Ubuntu Packages (deb822 stanzas),
 * after the decompressors (gzip, xz, lz4, an APKINDEX tar), and of the Release reader over the
 * same bytes.
 * Every entry kept has a name, a version its scheme accepts and a line inside the input, and
 * every refused record is a warning; an error only ever comes with a message. Seeds:
 * tests/fuzz/pkgindex-deb/.
 */
#include "config.h"

#include "fuzz-pkgindex.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	GBytes *plain = fuzz_pkgindex_one (TU_PKGINDEX_DEB, TU_SCHEME_DPKG, data, size);
	if (plain == NULL)
		return 0;
	gsize len = 0;
	const char *buf = g_bytes_get_data (plain, &len);
	GError *error = NULL;
	char *distro = NULL;
	char *release = NULL;
	if (tu_pkgindex_parse_release ("fuzz", buf, len, &distro, &release, &error)) {
		if (distro == NULL || release == NULL || !g_ascii_isdigit (release[0]))
			__builtin_trap ();
	} else if (error == NULL) {
		__builtin_trap ();
	}
	g_clear_error (&error);
	g_free (distro);
	g_free (release);
	g_bytes_unref (plain);
	return 0;
}
