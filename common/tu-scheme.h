/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The names of the version schemes. Every stage carries a scheme with a version (the
 * normaliser decides it, the store keeps it in a column, an OSV record names it per affected
 * package), so the name lives here; comparing versions by scheme is normalise/tu-version.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	TU_SCHEME_GENERIC = 0, /* anything else: numeric and alphabetic runs, then length */
	TU_SCHEME_DPKG,	       /* [epoch:]upstream[-revision], '~' before everything */
	TU_SCHEME_RPM,	       /* [epoch:]version[-release], rpmvercmp with '~' and '^' */
	TU_SCHEME_SEMVER,      /* SemVer 2.0.0 precedence; build metadata ignored */
	TU_SCHEME_DOTTED,      /* Windows-style 16.0.4266.1001; missing parts are 0 */
	TU_SCHEME_APK,	       /* Alpine: _alpha < _beta < _pre < _rc < (none) < _p, -rN */
	TU_SCHEME_PEP440,      /* Python packaging versions (PEP 440) */
	TU_SCHEME_LAST
} TuScheme;

/* (transfer none): "generic", "dpkg", ... */
const char *tu_scheme_to_string (TuScheme scheme);
/* FALSE when @name names no scheme. */
gboolean tu_scheme_from_string (const char *name, TuScheme *out);

G_END_DECLS
