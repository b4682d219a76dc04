/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The names of the version schemes (see tu-scheme.h): one table, both directions.
 */
#include "tu-scheme.h"

static const char *const scheme_names[TU_SCHEME_LAST] = {
	[TU_SCHEME_GENERIC] = "generic",
	[TU_SCHEME_DPKG] = "dpkg",
	[TU_SCHEME_RPM] = "rpm",
	[TU_SCHEME_SEMVER] = "semver",
	[TU_SCHEME_DOTTED] = "dotted",
	[TU_SCHEME_APK] = "apk",
	[TU_SCHEME_PEP440] = "pep440",
};

const char *
tu_scheme_to_string (TuScheme scheme)
{
	if ((guint) scheme >= TU_SCHEME_LAST)
		return NULL;
	return scheme_names[scheme];
}

gboolean
tu_scheme_from_string (const char *name, TuScheme *out)
{
	if (name == NULL)
		return FALSE;
	for (guint i = 0; i < TU_SCHEME_LAST; i++) {
		if (g_ascii_strcasecmp (name, scheme_names[i]) == 0) {
			if (out != NULL)
				*out = (TuScheme) i;
			return TRUE;
		}
	}
	return FALSE;
}
