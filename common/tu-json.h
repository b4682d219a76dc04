/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loading untrusted JSON with json-glib, safely and with useful messages: a UTF-8 BOM is
 * skipped, invalid UTF-8 is refused with its line, nesting deeper than 256 levels is refused
 * before json-glib sees it (its parser recurses and a deep enough document crashes it), an
 * empty document is an error, and json-glib's "<data>:LINE:COL" becomes "PATH:LINE:COL".
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TU_JSON_MAX_DEPTH 256

/* Parse @text (of @len bytes) from @path; @first_line numbers its lines within the file (1 for
 * a whole file, N for the Nth line of a JSON-lines log). (transfer full) */
JsonParser *tu_json_load (const char *text, gsize len, const char *path, guint first_line,
			  GError **error);

/* A scalar member as text: strings as they are, numbers and booleans formatted into @buf.
 * NULL for absent members, nulls, arrays and objects. (transfer none) */
const char *tu_json_member_text (JsonObject *o, const char *name,
				 char buf[G_ASCII_DTOSTR_BUF_SIZE]);

G_END_DECLS
