/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The plain-text format of trueup's rule files (the .rules files of data/fingerprints): stanzas that start
 * with an unindented "KIND ARGUMENT" line, followed by indented "KEY VALUE" lines. '#' starts a
 * comment line; blank lines are ignored. Values run to the end of the line (so patterns need
 * no quoting) with surrounding blanks trimmed. Every stanza and line keeps its line number so
 * that errors point at file:line.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	char *key;
	char *value;
	guint line;
} TuStanzaLine;

typedef struct {
	char *kind;	 /* "rule", "publisher", "product", "binary" */
	char *arg;	 /* the rest of the first line */
	char *file;	 /* display path */
	guint line;
	GPtrArray *lines; /* TuStanzaLine* */
} TuStanza;

/* Parse @buf. @file is the path shown in messages. (transfer full): TuStanza* */
GPtrArray *tu_stanza_parse (const char *file, const char *buf, gsize len, GError **error);

/* Split a test line's value into words: shell-like quoting ("a b", 'a b', \x), no expansion.
 * (transfer full) */
char **tu_stanza_split_words (const char *value, GError **error);

G_END_DECLS
