/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Property lists, whatever their syntax, as one small tree: XML plists (through GMarkup),
 * binary plists ("bplist00", through the reader in tu-plist.c) and, where the caller allows
 * it, JSON (system_profiler -json and the macOS collector write JSON of the same shape).
 * Strings are cleaned to valid UTF-8 of at most TU_PLIST_MAX_STRING_BYTES; dates become ISO
 * 8601 text in UTC; numbers keep their text.
 *
 * The binary reader checks every offset, count and reference against the buffer, refuses
 * cycles and bounds the depth (TU_PLIST_MAX_DEPTH) and the number of objects decoded
 * (TU_PLIST_MAX_NODES: a plist may share one object between many parents, so a small file can
 * describe a very large tree). Errors name the path and the line (XML, JSON) or the byte
 * offset (binary).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TU_PLIST_MAX_DEPTH	  128
#define TU_PLIST_MAX_NODES	  (1u << 18)
#define TU_PLIST_MAX_STRING_BYTES 65536u

typedef enum {
	TU_PLIST_NULL,
	TU_PLIST_BOOL,
	TU_PLIST_INTEGER,
	TU_PLIST_REAL,
	TU_PLIST_DATE,
	TU_PLIST_DATA,
	TU_PLIST_STRING,
	TU_PLIST_UID,
	TU_PLIST_ARRAY,
	TU_PLIST_DICT,
} TuPlistType;

typedef struct _TuPlistNode TuPlistNode;
struct _TuPlistNode {
	TuPlistType type;
	char *str;	   /* the text of strings, numbers and dates (dates as ISO 8601, UTC) */
	gint64 integer;	   /* integers, booleans, UIDs */
	GPtrArray *keys;   /* dict: char* */
	GPtrArray *items;  /* dict values, array items: TuPlistNode* */
	char *pending_key; /* the XML reader's: a <key> waiting for its value */
};

void tu_plist_node_free (TuPlistNode *n);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuPlistNode, tu_plist_node_free)

/* The property list in @buf, told apart by its first bytes: "bplist00" is binary, '{' or '['
 * (after a BOM and white space) JSON when @allow_json, anything else XML. @path names the
 * input in errors. (transfer full) */
TuPlistNode *tu_plist_parse (const guint8 *buf, gsize len, const char *path, gboolean allow_json,
			     GError **error);

/* The value of @key in dictionary @dict, or NULL (also when @dict is not a dictionary).
 * (transfer none) */
TuPlistNode *tu_plist_get (const TuPlistNode *dict, const char *key);
/* The text of a scalar (strings, numbers, dates); NULL for containers, data, null and "". */
const char *tu_plist_text (const TuPlistNode *n);
const char *tu_plist_get_text (const TuPlistNode *dict, const char *key);
gboolean tu_plist_is (const TuPlistNode *n, TuPlistType type);

G_END_DECLS
