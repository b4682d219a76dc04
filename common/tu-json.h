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

/* The nesting pre-scan every reader runs before json-glib, whose parser recurses once per
 * level (a deep enough document crashes it) and takes "[...] [...]" for the last value
 * alone: strings are skipped and escapes honoured. @single_value: also refuse anything but
 * white space after the first complete value (the scan stops there). @line (nullable): the
 * line, 1-based within @text, of the bracket that went too deep. */
typedef enum {
	TU_JSON_NESTING_OK,
	TU_JSON_NESTING_TOO_DEEP, /* more than @max_depth arrays and objects inside each other */
	TU_JSON_NESTING_TRAILING, /* @single_value: more than one JSON value */
} TuJsonNesting;
TuJsonNesting tu_json_check_nesting (const char *text, gsize len, guint max_depth,
				     gboolean single_value, guint *line);
/* The same as a message for the user ("JSON nested deeper than 256 levels", "more than one
 * JSON value in the file"), or NULL when the nesting is fine. (transfer full) */
char *tu_json_nesting_problem (const char *text, gsize len, guint max_depth,
			       gboolean single_value);

/* A copy of @text with every byte that is not UTF-8 (and NUL) replaced by U+FFFD; other bytes,
 * newlines included, are kept so that json-glib's line numbers stay right. (transfer full) */
char *tu_json_repair_utf8 (const char *text, gsize len, gsize *out_len);

/* A scalar member as text: strings as they are, numbers and booleans formatted into @buf.
 * NULL for absent members, nulls, arrays and objects. (transfer none) */
const char *tu_json_member_text (JsonObject *o, const char *name,
				 char buf[G_ASCII_DTOSTR_BUF_SIZE]);

G_END_DECLS
