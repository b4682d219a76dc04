/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The property-list readers behind tu-plist.h: one tree (TuPlistNode) from XML, binary or
 * JSON plists. Moved out of the macOS scanner, which reads Info.plist files and
 * system_profiler exports with it.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "tu-error.h"
#include "tu-json.h"
#include "tu-plist.h"
#include "tu-util.h"

#define MAX_DEPTH TU_PLIST_MAX_DEPTH
#define MAX_NODES TU_PLIST_MAX_NODES

/* valid UTF-8 of bounded length; NULL stays NULL (transfer full) */
static char *
clean_field (const char *s, gssize len)
{
	if (s == NULL)
		return NULL;
	return tu_utf8_clean (s, len, TU_PLIST_MAX_STRING_BYTES, NULL);
}

/* ------------------------------------------------------------------ the tree ------------ */

void
tu_plist_node_free (TuPlistNode *n)
{
	if (n == NULL)
		return;
	g_free (n->str);
	g_free (n->pending_key);
	if (n->keys != NULL)
		g_ptr_array_unref (n->keys);
	if (n->items != NULL)
		g_ptr_array_unref (n->items);
	g_free (n);
}

static TuPlistNode *
plist_node_new (TuPlistType type)
{
	TuPlistNode *n = g_new0 (TuPlistNode, 1);
	n->type = type;
	if (type == TU_PLIST_ARRAY || type == TU_PLIST_DICT)
		n->items = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_plist_node_free);
	if (type == TU_PLIST_DICT)
		n->keys = g_ptr_array_new_with_free_func (g_free);
	return n;
}

TuPlistNode *
tu_plist_get (const TuPlistNode *dict, const char *key)
{
	if (dict == NULL || dict->type != TU_PLIST_DICT)
		return NULL;
	for (guint i = 0; i < dict->keys->len; i++) {
		if (g_strcmp0 (g_ptr_array_index (dict->keys, i), key) == 0)
			return g_ptr_array_index (dict->items, i);
	}
	return NULL;
}

/* The text of a scalar (strings, numbers, dates); NULL for containers, data, null. */
const char *
tu_plist_text (const TuPlistNode *n)
{
	if (n == NULL || n->str == NULL || *n->str == '\0')
		return NULL;
	if (n->type == TU_PLIST_STRING || n->type == TU_PLIST_INTEGER || n->type == TU_PLIST_REAL ||
	    n->type == TU_PLIST_DATE)
		return n->str;
	return NULL;
}

const char *
tu_plist_get_text (const TuPlistNode *dict, const char *key)
{
	return tu_plist_text (tu_plist_get (dict, key));
}

gboolean
tu_plist_is (const TuPlistNode *n, TuPlistType type)
{
	return n != NULL && n->type == type;
}

/* Seconds since 2001-01-01 UTC (Core Foundation's epoch) as ISO 8601; NULL when absurd. */
static char *
cf_date_text (double seconds)
{
	if (!isfinite (seconds) || seconds < -1e11 || seconds > 1e11)
		return NULL;
	gint64 whole = (gint64) seconds; /* floor (), without needing libm */
	if ((double) whole > seconds)
		whole--;
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (whole + 978307200);
	return dt ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

/* ------------------------------------------------------------ XML plists (GMarkup) ------ */

typedef enum { X_NONE,
	       X_KEY,
	       X_STRING,
	       X_INTEGER,
	       X_REAL,
	       X_DATE,
	       X_DATA } XText;

typedef struct {
	const char *path;
	GMarkupParseContext *ctx;
	GPtrArray *stack; /* TuPlistNode* containers, borrowed */
	TuPlistNode *root;
	guint depth;
	guint n_nodes;
	XText collecting;
	GString *text;
} XmlReader;

static guint
xml_line (XmlReader *x)
{
	int line = 0;
	g_markup_parse_context_get_position (x->ctx, &line, NULL);
	return line > 0 ? (guint) line : 1;
}

/* Hang @n (owned) under the current container, or make it the root. */
static gboolean
xml_attach (XmlReader *x, TuPlistNode *n, GError **error)
{
	if (++x->n_nodes > MAX_NODES) {
		tu_plist_node_free (n);
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: more than %u values",
			     x->path, xml_line (x), MAX_NODES);
		return FALSE;
	}
	if (x->stack->len == 0) {
		if (x->root != NULL) {
			tu_plist_node_free (n);
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: a second value at the top level", x->path,
				     xml_line (x));
			return FALSE;
		}
		x->root = n;
		return TRUE;
	}
	TuPlistNode *parent = g_ptr_array_index (x->stack, x->stack->len - 1);
	if (parent->type == TU_PLIST_DICT) {
		if (parent->pending_key == NULL) {
			tu_plist_node_free (n);
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: a value in a <dict> without its <key>", x->path,
				     xml_line (x));
			return FALSE;
		}
		g_ptr_array_add (parent->keys, g_steal_pointer (&parent->pending_key));
	}
	g_ptr_array_add (parent->items, n);
	return TRUE;
}

static void
xml_start (GMarkupParseContext *ctx, const char *element, const char **names, const char **values,
	   gpointer user_data, GError **error)
{
	XmlReader *x = user_data;
	if (++x->depth > MAX_DEPTH) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: nested deeper than %u",
			     x->path, xml_line (x), MAX_DEPTH);
		return;
	}
	x->collecting = X_NONE;
	g_string_truncate (x->text, 0);
	if (strcmp (element, "plist") == 0) {
		if (x->depth != 1)
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: <plist> inside <plist>", x->path, xml_line (x));
		return;
	}
	if (strcmp (element, "dict") == 0 || strcmp (element, "array") == 0) {
		TuPlistNode *n =
			plist_node_new (element[0] == 'd' ? TU_PLIST_DICT : TU_PLIST_ARRAY);
		if (xml_attach (x, n, error))
			g_ptr_array_add (x->stack, n);
		return;
	}
	if (strcmp (element, "true") == 0 || strcmp (element, "false") == 0) {
		TuPlistNode *n = plist_node_new (TU_PLIST_BOOL);
		n->integer = element[0] == 't';
		n->str = g_strdup (element);
		xml_attach (x, n, error);
		return;
	}
	static const struct {
		const char *name;
		XText what;
	} scalars[] = {
		{"key", X_KEY},
		{"string", X_STRING},
		{"integer", X_INTEGER},
		{"real", X_REAL},
		{"date", X_DATE},
		{"data", X_DATA},
	};
	for (guint i = 0; i < G_N_ELEMENTS (scalars); i++) {
		if (strcmp (element, scalars[i].name) == 0) {
			x->collecting = scalars[i].what;
			if (x->collecting == X_KEY &&
			    (x->stack->len == 0 ||
			     ((TuPlistNode *) g_ptr_array_index (x->stack, x->stack->len - 1))
					     ->type != TU_PLIST_DICT))
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: a <key> outside a <dict>", x->path,
					     xml_line (x));
			return;
		}
	}
	g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
		     "%s:%u: <%s> is not a property list element", x->path, xml_line (x), element);
}

static void
xml_end (GMarkupParseContext *ctx, const char *element, gpointer user_data, GError **error)
{
	XmlReader *x = user_data;
	x->depth--;
	XText what = x->collecting;
	x->collecting = X_NONE;
	if (strcmp (element, "dict") == 0 || strcmp (element, "array") == 0) {
		if (x->stack->len == 0)
			return;
		TuPlistNode *top = g_ptr_array_index (x->stack, x->stack->len - 1);
		if (top->pending_key != NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: <key>%s</key> without a value", x->path, xml_line (x),
				     top->pending_key);
			return;
		}
		g_ptr_array_remove_index (x->stack, x->stack->len - 1);
		return;
	}
	if (what == X_NONE)
		return;
	if (what == X_KEY) {
		TuPlistNode *dict = g_ptr_array_index (x->stack, x->stack->len - 1);
		if (dict->pending_key != NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: <key>%s</key> without a value", x->path, xml_line (x),
				     dict->pending_key);
			return;
		}
		dict->pending_key = clean_field (x->text->str, (gssize) x->text->len);
		return;
	}
	static const TuPlistType types[] = {[X_STRING] = TU_PLIST_STRING,
					    [X_INTEGER] = TU_PLIST_INTEGER,
					    [X_REAL] = TU_PLIST_REAL,
					    [X_DATE] = TU_PLIST_DATE,
					    [X_DATA] = TU_PLIST_DATA};
	TuPlistNode *n = plist_node_new (types[what]);
	if (what != X_DATA) {
		n->str = clean_field (x->text->str, (gssize) x->text->len);
		if (what != X_STRING)
			g_strstrip (n->str);
	}
	if (what == X_INTEGER)
		n->integer = g_ascii_strtoll (n->str, NULL, 0);
	xml_attach (x, n, error);
}

static void
xml_text (GMarkupParseContext *ctx, const char *text, gsize len, gpointer user_data, GError **error)
{
	XmlReader *x = user_data;
	if (x->collecting == X_NONE || x->collecting == X_DATA)
		return;
	if (x->text->len < TU_PLIST_MAX_STRING_BYTES)
		g_string_append_len (x->text, text, (gssize) MIN (len, TU_PLIST_MAX_STRING_BYTES));
}

static const GMarkupParser xml_parser = {xml_start, xml_end, xml_text, NULL, NULL};

static TuPlistNode *
read_xml_plist (const char *buf, gsize len, const char *path, GError **error)
{
	XmlReader x = {0};
	x.path = path;
	x.stack = g_ptr_array_new ();
	x.text = g_string_new (NULL);
	x.ctx = g_markup_parse_context_new (&xml_parser, 0, &x, NULL);
	if (len >= 3 && memcmp (buf, "\xef\xbb\xbf", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	g_autoptr(GError) local = NULL;
	gboolean ok = g_markup_parse_context_parse (x.ctx, buf, (gssize) len, &local) &&
		      g_markup_parse_context_end_parse (x.ctx, &local);
	if (!ok) {
		if (local->domain == TU_ERROR) {
			g_propagate_error (error, g_steal_pointer (&local));
		} else {
			const char *msg = local->message;
			if (g_str_has_prefix (msg, "Error on line ") && strstr (msg, ": ") != NULL)
				msg = strstr (msg, ": ") + 2;
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: %s", path,
				     xml_line (&x), msg);
		}
	} else if (x.root == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:1: an empty property list",
			     path);
		ok = FALSE;
	}
	g_markup_parse_context_free (x.ctx);
	g_ptr_array_unref (x.stack);
	g_string_free (x.text, TRUE);
	if (!ok) {
		tu_plist_node_free (x.root);
		return NULL;
	}
	return x.root;
}

/* ------------------------------------------------------------ binary plists ------------- */

typedef struct {
	const char *path;
	const guint8 *buf;
	gsize limit; /* objects end where the trailer starts */
	guint offset_size;
	guint ref_size;
	guint64 n_objects;
	guint64 table_offset;
	guint8 *visiting; /* 1 while an object is being decoded: a reference back is a cycle */
	guint n_nodes;
} Bplist;

static guint64
be_uint (const guint8 *p, guint size)
{
	guint64 v = 0;
	for (guint i = 0; i < size; i++)
		v = (v << 8) | p[i];
	return v;
}

static gboolean bp_fail (Bplist *b, GError **error, guint64 at, const char *format, ...)
	G_GNUC_PRINTF (4, 5);

static gboolean
bp_fail (Bplist *b, GError **error, guint64 at, const char *format, ...)
{
	va_list args;
	va_start (args, format);
	g_autofree char *msg = g_strdup_vprintf (format, args);
	va_end (args);
	g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: byte %" G_GUINT64_FORMAT ": %s",
		     b->path, at, msg);
	return FALSE;
}

/* The count of an array, dict, string or data object: in the marker's low nibble, or (0xF)
 * in an integer object that follows. */
static gboolean
bp_count (Bplist *b, guint8 marker, guint64 *pos, guint64 *count, GError **error)
{
	if ((marker & 0x0f) != 0x0f) {
		*count = marker & 0x0f;
		return TRUE;
	}
	if (*pos >= b->limit)
		return bp_fail (b, error, *pos, "object count past the end");
	guint8 m = b->buf[*pos];
	if ((m & 0xf0) != 0x10 || (m & 0x0f) > 3)
		return bp_fail (b, error, *pos, "object count is not an integer (marker 0x%02x)",
				m);
	guint size = 1u << (m & 0x0f);
	if (b->limit - *pos - 1 < size)
		return bp_fail (b, error, *pos, "object count past the end");
	*count = be_uint (b->buf + *pos + 1, size);
	*pos += 1 + size;
	return TRUE;
}

/* UTF-16BE code units to UTF-8; lone surrogates become U+FFFD. */
static char *
utf16be_to_utf8 (const guint8 *p, guint64 n_units)
{
	GString *out =
		g_string_sized_new ((gsize) MIN (n_units * 2, TU_PLIST_MAX_STRING_BYTES) + 4);
	for (guint64 i = 0; i < n_units && out->len < TU_PLIST_MAX_STRING_BYTES; i++) {
		gunichar c = (gunichar) be_uint (p + 2 * i, 2);
		if (c >= 0xd800 && c <= 0xdbff && i + 1 < n_units) {
			gunichar lo = (gunichar) be_uint (p + 2 * (i + 1), 2);
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
				i++;
			} else {
				c = 0xfffd;
			}
		} else if (c >= 0xd800 && c <= 0xdfff) {
			c = 0xfffd;
		}
		g_string_append_unichar (out, c);
	}
	return g_string_free (out, FALSE);
}

static TuPlistNode *bp_decode (Bplist *b, guint64 index, guint depth, GError **error);

static gboolean
bp_ref (Bplist *b, guint64 at, guint64 *index, GError **error)
{
	*index = be_uint (b->buf + at, b->ref_size);
	if (*index >= b->n_objects)
		return bp_fail (b, error, at,
				"reference to object %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT,
				*index, b->n_objects);
	return TRUE;
}

static TuPlistNode *
bp_container (Bplist *b, guint64 index, guint8 marker, guint64 pos, guint depth, GError **error)
{
	gboolean is_dict = (marker >> 4) == 0xd;
	guint64 count = 0;
	if (!bp_count (b, marker, &pos, &count, error))
		return NULL;
	guint64 per = is_dict ? 2u * b->ref_size : b->ref_size;
	if (count > (b->limit - pos) / per) {
		bp_fail (b, error, pos, "%" G_GUINT64_FORMAT " references do not fit in the file",
			 count);
		return NULL;
	}
	g_autoptr(TuPlistNode) n = plist_node_new (is_dict ? TU_PLIST_DICT : TU_PLIST_ARRAY);
	b->visiting[index] = 1;
	for (guint64 i = 0; i < count; i++) {
		guint64 ref = 0;
		if (!bp_ref (b, pos + (is_dict ? count + i : i) * b->ref_size, &ref, error))
			goto fail;
		TuPlistNode *child = bp_decode (b, ref, depth + 1, error);
		if (child == NULL)
			goto fail;
		g_ptr_array_add (n->items, child);
		if (!is_dict)
			continue;
		guint64 kref = 0;
		if (!bp_ref (b, pos + i * b->ref_size, &kref, error))
			goto fail;
		g_autoptr(TuPlistNode) key = bp_decode (b, kref, depth + 1, error);
		if (key == NULL)
			goto fail;
		if (key->type != TU_PLIST_STRING) {
			bp_fail (b, error, pos + i * b->ref_size,
				 "a dictionary key that is not a string");
			goto fail;
		}
		g_ptr_array_add (n->keys, g_steal_pointer (&key->str));
	}
	b->visiting[index] = 0;
	return g_steal_pointer (&n);
fail:
	b->visiting[index] = 0;
	return NULL;
}

static TuPlistNode *
bp_decode (Bplist *b, guint64 index, guint depth, GError **error)
{
	const guint8 *entry = b->buf + b->table_offset + index * b->offset_size;
	guint64 off = be_uint (entry, b->offset_size);
	if (depth > MAX_DEPTH) {
		bp_fail (b, error, off, "nested deeper than %u", MAX_DEPTH);
		return NULL;
	}
	if (b->visiting[index]) {
		bp_fail (b, error, off, "object %" G_GUINT64_FORMAT " contains itself", index);
		return NULL;
	}
	if (++b->n_nodes > MAX_NODES) {
		bp_fail (b, error, off, "more than %u objects decoded (shared references)",
			 MAX_NODES);
		return NULL;
	}
	if (off < 8 || off >= b->limit) {
		bp_fail (b, error, b->table_offset + index * b->offset_size,
			 "object %" G_GUINT64_FORMAT " at offset %" G_GUINT64_FORMAT
			 ", outside the objects",
			 index, off);
		return NULL;
	}
	guint8 marker = b->buf[off];
	guint64 pos = off + 1;
	guint64 avail = b->limit - pos;
	guint64 count = 0;
	TuPlistNode *n = NULL;
	switch (marker >> 4) {
	case 0x0:
		if (marker == 0x08 || marker == 0x09) {
			n = plist_node_new (TU_PLIST_BOOL);
			n->integer = marker == 0x09;
			n->str = g_strdup (n->integer ? "true" : "false");
		} else if (marker == 0x00 || marker == 0x0f) {
			n = plist_node_new (TU_PLIST_NULL);
		}
		break;
	case 0x1: {
		guint size = 1u << MIN (marker & 0x0f, 5u);
		if ((marker & 0x0f) > 4 || avail < size)
			break;
		/* 16-byte integers: the low 64 bits */
		gint64 v =
			(gint64) be_uint (b->buf + pos + (size > 8 ? size - 8 : 0), MIN (size, 8u));
		n = plist_node_new (TU_PLIST_INTEGER);
		n->integer = v;
		n->str = g_strdup_printf ("%" G_GINT64_FORMAT, v);
		break;
	}
	case 0x2: {
		guint size = 1u << (marker & 0x0f);
		if ((size != 4 && size != 8) || avail < size)
			break;
		double d;
		if (size == 4) {
			guint32 u = (guint32) be_uint (b->buf + pos, 4);
			float f;
			memcpy (&f, &u, 4);
			d = f;
		} else {
			guint64 u = be_uint (b->buf + pos, 8);
			memcpy (&d, &u, 8);
		}
		n = plist_node_new (TU_PLIST_REAL);
		char tmp[G_ASCII_DTOSTR_BUF_SIZE];
		n->str = g_strdup (g_ascii_dtostr (tmp, sizeof tmp, d));
		break;
	}
	case 0x3: {
		if (marker != 0x33 || avail < 8)
			break;
		guint64 u = be_uint (b->buf + pos, 8);
		double d;
		memcpy (&d, &u, 8);
		n = plist_node_new (TU_PLIST_DATE);
		n->str = cf_date_text (d);
		break;
	}
	case 0x4: /* data: the bytes are not kept */
	case 0x5: /* ASCII string */
	case 0x6: /* UTF-16BE string, count in code units */
		if (!bp_count (b, marker, &pos, &count, error))
			return NULL;
		avail = b->limit - pos;
		if ((marker >> 4) == 0x6 ? count > avail / 2 : count > avail) {
			bp_fail (b, error, off, "%" G_GUINT64_FORMAT " bytes of data past the end",
				 count);
			return NULL;
		}
		if ((marker >> 4) == 0x4) {
			n = plist_node_new (TU_PLIST_DATA);
		} else if ((marker >> 4) == 0x5) {
			n = plist_node_new (TU_PLIST_STRING);
			n->str = clean_field (
				(const char *) b->buf + pos,
				(gssize) MIN (count, (guint64) TU_PLIST_MAX_STRING_BYTES));
		} else {
			n = plist_node_new (TU_PLIST_STRING);
			g_autofree char *u8 = utf16be_to_utf8 (b->buf + pos, count);
			n->str = clean_field (u8, -1);
		}
		return n;
	case 0x8: {
		guint size = (marker & 0x0f) + 1u;
		if (size > 8 || avail < size)
			break;
		n = plist_node_new (TU_PLIST_UID);
		n->integer = (gint64) be_uint (b->buf + pos, size);
		break;
	}
	case 0xa: /* array */
	case 0xb: /* ordered set */
	case 0xc: /* set */
	case 0xd: /* dict */
		return bp_container (b, index, marker, pos, depth, error);
	default:
		break;
	}
	if (n == NULL)
		bp_fail (b, error, off,
			 "object %" G_GUINT64_FORMAT ": marker 0x%02x is not a valid object", index,
			 marker);
	return n;
}

static TuPlistNode *
read_binary_plist (const guint8 *buf, gsize len, const char *path, GError **error)
{
	Bplist b = {0};
	b.path = path;
	b.buf = buf;
	if (len < 8 + 32) {
		bp_fail (&b, error, 0, "a binary plist of %" G_GSIZE_FORMAT " bytes is too short",
			 len);
		return NULL;
	}
	const guint8 *t = buf + len - 32;
	b.offset_size = t[6];
	b.ref_size = t[7];
	b.n_objects = be_uint (t + 8, 8);
	guint64 top = be_uint (t + 16, 8);
	b.table_offset = be_uint (t + 24, 8);
	b.limit = len - 32;
	if (b.offset_size < 1 || b.offset_size > 8 || b.ref_size < 1 || b.ref_size > 8) {
		bp_fail (&b, error, len - 26, "offset size %u, reference size %u: not 1 to 8",
			 b.offset_size, b.ref_size);
		return NULL;
	}
	if (b.n_objects == 0 || top >= b.n_objects) {
		bp_fail (&b, error, len - 24,
			 "top object %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " objects", top,
			 b.n_objects);
		return NULL;
	}
	if (b.table_offset < 8 || b.table_offset > b.limit ||
	    b.n_objects > (b.limit - b.table_offset) / b.offset_size) {
		bp_fail (&b, error, len - 8,
			 "an offset table of %" G_GUINT64_FORMAT " entries at %" G_GUINT64_FORMAT
			 " does not fit in the file",
			 b.n_objects, b.table_offset);
		return NULL;
	}
	b.visiting = g_malloc0 ((gsize) b.n_objects);
	TuPlistNode *root = bp_decode (&b, top, 0, error);
	g_free (b.visiting);
	return root;
}

/* ------------------------------------------------------------ JSON --------------------- */

static TuPlistNode *
pl_from_json (JsonNode *j, guint *n_nodes)
{
	if (++*n_nodes > MAX_NODES)
		return NULL;
	if (JSON_NODE_HOLDS_OBJECT (j)) {
		TuPlistNode *n = plist_node_new (TU_PLIST_DICT);
		JsonObject *o = json_node_get_object (j);
		JsonObjectIter iter;
		const char *name;
		JsonNode *member;
		json_object_iter_init (&iter, o);
		while (json_object_iter_next (&iter, &name, &member)) {
			TuPlistNode *child = pl_from_json (member, n_nodes);
			if (child == NULL) {
				tu_plist_node_free (n);
				return NULL;
			}
			g_ptr_array_add (n->keys, clean_field (name, -1));
			g_ptr_array_add (n->items, child);
		}
		return n;
	}
	if (JSON_NODE_HOLDS_ARRAY (j)) {
		TuPlistNode *n = plist_node_new (TU_PLIST_ARRAY);
		JsonArray *a = json_node_get_array (j);
		for (guint i = 0; i < json_array_get_length (a); i++) {
			TuPlistNode *child = pl_from_json (json_array_get_element (a, i), n_nodes);
			if (child == NULL) {
				tu_plist_node_free (n);
				return NULL;
			}
			g_ptr_array_add (n->items, child);
		}
		return n;
	}
	if (JSON_NODE_HOLDS_NULL (j))
		return plist_node_new (TU_PLIST_NULL);
	TuPlistNode *n = NULL;
	switch (json_node_get_value_type (j)) {
	case G_TYPE_STRING:
		n = plist_node_new (TU_PLIST_STRING);
		n->str = clean_field (json_node_get_string (j), -1);
		break;
	case G_TYPE_INT64:
		n = plist_node_new (TU_PLIST_INTEGER);
		n->integer = json_node_get_int (j);
		n->str = g_strdup_printf ("%" G_GINT64_FORMAT, n->integer);
		break;
	case G_TYPE_DOUBLE: {
		n = plist_node_new (TU_PLIST_REAL);
		char tmp[G_ASCII_DTOSTR_BUF_SIZE];
		n->str = g_strdup (g_ascii_dtostr (tmp, sizeof tmp, json_node_get_double (j)));
		break;
	}
	case G_TYPE_BOOLEAN:
		n = plist_node_new (TU_PLIST_BOOL);
		n->integer = json_node_get_boolean (j);
		n->str = g_strdup (n->integer ? "true" : "false");
		break;
	default:
		n = plist_node_new (TU_PLIST_NULL);
		break;
	}
	return n;
}

static TuPlistNode *
read_json (const char *buf, gsize len, const char *path, GError **error)
{
	guint line = 0;
	if (tu_json_check_nesting (buf, len, MAX_DEPTH, FALSE, &line) != TU_JSON_NESTING_OK) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: nested deeper than %u",
			     path, line, MAX_DEPTH);
		return NULL;
	}
	g_autofree char *repaired = NULL;
	if (!g_utf8_validate (buf, (gssize) len, NULL)) {
		gsize n = 0;
		repaired = tu_json_repair_utf8 (buf, len, &n);
		buf = repaired;
		len = n;
	}
	g_autoptr(JsonParser) parser = json_parser_new_immutable ();
	g_autoptr(GError) local = NULL;
	if (!json_parser_load_from_data (parser, buf, (gssize) len, &local)) {
		const char *msg = local->message;
		if (g_str_has_prefix (msg, "<data>:"))
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%s", path,
				     msg + 7);
		else
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:1: %s", path, msg);
		return NULL;
	}
	JsonNode *root = json_parser_get_root (parser);
	if (root == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:1: empty JSON", path);
		return NULL;
	}
	guint n_nodes = 0;
	TuPlistNode *pl = pl_from_json (root, &n_nodes);
	if (pl == NULL)
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:1: more than %u values",
			     path, MAX_NODES);
	return pl;
}

/* A property list in any of its syntaxes, told apart by the first bytes. */
TuPlistNode *
tu_plist_parse (const guint8 *buf, gsize len, const char *path, gboolean allow_json, GError **error)
{
	if (len >= 8 && memcmp (buf, "bplist00", 8) == 0)
		return read_binary_plist (buf, len, path, error);
	if (len >= 6 && memcmp (buf, "bplist", 6) == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_UNSUPPORTED,
			     "%s: byte 6: binary plist version \"%.2s\" (only 00 is known)", path,
			     (const char *) buf + 6);
		return NULL;
	}
	gsize i = 0;
	if (len >= 3 && memcmp (buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && g_ascii_isspace (buf[i]))
		i++;
	if (allow_json && i < len && (buf[i] == '{' || buf[i] == '['))
		return read_json ((const char *) buf, len, path, error);
	if (i >= len) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:1: empty file", path);
		return NULL;
	}
	return read_xml_plist ((const char *) buf, len, path, error);
}
