/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fingerprint rule files: the shipped ones compiled into the binary and a user's rules
 * directory, handed out one file at a time in name order. The normaliser (name rules) and the
 * binary scanner (content rules) both read them; each parses the files itself.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One rule file. @shown is the name for messages (data/fingerprints/NAME for shipped files,
 * the path for a user's); @data is NUL-terminated past @len. */
typedef gboolean (*TuFingerprintFileFunc) (const char *shown, const char *data, gsize len,
					   gboolean is_user, gpointer user_data, GError **error);

/* Call @func for each shipped *.rules file in name order; a build without shipped rules
 * calls it for none. Stops at the first FALSE. */
gboolean tu_fingerprints_foreach_shipped (TuFingerprintFileFunc func, gpointer user_data,
					  GError **error);
/* Call @func for each *.rules file of @dir in name order, each read with a 16 MB cap.
 * Stops at the first FALSE; an unreadable directory is an error "rules directory: ...". */
gboolean tu_fingerprints_foreach_in_dir (const char *dir, TuFingerprintFileFunc func,
					 gpointer user_data, GError **error);

G_END_DECLS
