/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Safe JSON loading for every parser of untrusted input; see tu-json.h. */
#include "config.h"

#include <string.h>

#include "tu-error.h"
#include "tu-json.h"

static guint
line_at (const char *text, gsize offset)
{
	guint line = 1;
	for (gsize i = 0; i < offset; i++)
		line += text[i] == '\n';
	return line;
}

TuJsonNesting
tu_json_check_nesting (const char *text, gsize len, guint max_depth, gboolean single_value,
		       guint *line)
{
	guint depth = 0;
	gboolean in_string = FALSE;
	for (gsize i = 0; i < len; i++) {
		char ch = text[i];
		if (in_string) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				in_string = FALSE;
		} else if (ch == '"') {
			in_string = TRUE;
		} else if (ch == '[' || ch == '{') {
			if (++depth > max_depth) {
				if (line != NULL)
					*line = line_at (text, i);
				return TU_JSON_NESTING_TOO_DEEP;
			}
		} else if ((ch == ']' || ch == '}') && depth > 0) {
			if (--depth > 0 || !single_value)
				continue;
			for (gsize j = i + 1; j < len; j++) {
				if (!g_ascii_isspace (text[j]))
					return TU_JSON_NESTING_TRAILING;
			}
			return TU_JSON_NESTING_OK;
		}
	}
	return TU_JSON_NESTING_OK; /* unbalanced: the parser says where */
}

char *
tu_json_nesting_problem (const char *text, gsize len, guint max_depth, gboolean single_value)
{
	switch (tu_json_check_nesting (text, len, max_depth, single_value, NULL)) {
	case TU_JSON_NESTING_TOO_DEEP:
		return g_strdup_printf ("JSON nested deeper than %u levels", max_depth);
	case TU_JSON_NESTING_TRAILING:
		return g_strdup ("more than one JSON value in the file");
	case TU_JSON_NESTING_OK:
		break;
	}
	return NULL;
}

char *
tu_json_repair_utf8 (const char *text, gsize len, gsize *out_len)
{
	GString *out = g_string_sized_new (len + 16);
	const char *p = text;
	const char *end = text + len;
	while (p < end) {
		const char *valid_end = NULL;
		g_utf8_validate (p, end - p, &valid_end);
		g_string_append_len (out, p, valid_end - p);
		p = valid_end;
		if (p < end) {
			g_string_append (out, "\xef\xbf\xbd");
			p++;
		}
	}
	*out_len = out->len;
	return g_string_free (out, FALSE);
}

JsonParser *
tu_json_load (const char *text, gsize len, const char *path, guint first_line, GError **error)
{
	if (first_line == 0)
		first_line = 1;
	if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	const char *bad = NULL;
	if (!g_utf8_validate_len (text, len, &bad)) {
		gsize off = (gsize) (bad - text);
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: not valid UTF-8 (byte 0x%02x at offset %" G_GSIZE_FORMAT ")", path,
			     first_line + line_at (text, off) - 1, (guint) (guint8) *bad, off);
		return NULL;
	}
	guint deep = 0;
	if (tu_json_check_nesting (text, len, TU_JSON_MAX_DEPTH, FALSE, &deep) ==
	    TU_JSON_NESTING_TOO_DEEP) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: JSON nested deeper than %u levels", path,
			     first_line + deep - 1, TU_JSON_MAX_DEPTH);
		return NULL;
	}
	g_autoptr(JsonParser) parser = json_parser_new_immutable ();
	g_autoptr(GError) local = NULL;
	if (!json_parser_load_from_data (parser, text, (gssize) len, &local)) {
		/* "<data>:LINE:COL: Parse error: ..." */
		const char *msg = local->message;
		char *after = NULL;
		if (g_str_has_prefix (msg, "<data>:")) {
			guint64 line = g_ascii_strtoull (msg + 7, &after, 10);
			if (after != NULL && *after == ':' && line > 0) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u:%s", path,
					     (guint) (line + first_line - 1), after + 1);
				return NULL;
			}
		}
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: %s", path, first_line, msg);
		return NULL;
	}
	if (json_parser_get_root (parser) == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: empty JSON document", path,
			     first_line);
		return NULL;
	}
	return g_steal_pointer (&parser);
}

const char *
tu_json_member_text (JsonObject *o, const char *name, char buf[G_ASCII_DTOSTR_BUF_SIZE])
{
	JsonNode *n = o ? json_object_get_member (o, name) : NULL;
	if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
		return NULL;
	switch (json_node_get_value_type (n)) {
	case G_TYPE_STRING:
		return json_node_get_string (n);
	case G_TYPE_INT64:
		g_snprintf (buf, G_ASCII_DTOSTR_BUF_SIZE, "%" G_GINT64_FORMAT, json_node_get_int (n));
		return buf;
	case G_TYPE_DOUBLE:
		return g_ascii_dtostr (buf, G_ASCII_DTOSTR_BUF_SIZE, json_node_get_double (n));
	case G_TYPE_BOOLEAN:
		return json_node_get_boolean (n) ? "true" : "false";
	default:
		return NULL;
	}
}
