/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The stanza reader for rule files; see tu-stanza.h. */
#include "tu-stanza.h"

#include <string.h>

#include "tu-error.h"

static void
stanza_line_free (TuStanzaLine *l)
{
	g_free (l->key);
	g_free (l->value);
	g_free (l);
}

static void
stanza_free (TuStanza *s)
{
	g_free (s->kind);
	g_free (s->arg);
	g_free (s->file);
	g_ptr_array_unref (s->lines);
	g_free (s);
}

/* split "KEY   rest of line" */
static void
split_key_value (const char *text, char **key, char **value)
{
	const char *p = text;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	*key = g_strndup (text, (gsize) (p - text));
	while (*p == ' ' || *p == '\t')
		p++;
	*value = g_strchomp (g_strdup (p));
}

GPtrArray *
tu_stanza_parse (const char *file, const char *buf, gsize len, GError **error)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) stanza_free);
	TuStanza *cur = NULL;
	guint lineno = 0;
	const char *p = buf;
	const char *end = buf + len;

	if (!g_utf8_validate (buf, (gssize) len, NULL)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: not valid UTF-8", file);
		return NULL;
	}
	while (p < end) {
		const char *nl = memchr (p, '\n', (gsize) (end - p));
		const char *line_end = nl ? nl : end;
		g_autofree char *line = g_strndup (p, (gsize) (line_end - p));
		p = nl ? nl + 1 : end;
		lineno++;
		g_strchomp (line);
		const char *t = line;
		while (*t == ' ' || *t == '\t')
			t++;
		if (*t == '\0' || *t == '#')
			continue;
		if (t == line) {
			cur = g_new0 (TuStanza, 1);
			split_key_value (line, &cur->kind, &cur->arg);
			cur->file = g_strdup (file);
			cur->line = lineno;
			cur->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) stanza_line_free);
			g_ptr_array_add (out, cur);
			continue;
		}
		if (cur == NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: indented line outside a stanza", file, lineno);
			return NULL;
		}
		TuStanzaLine *l = g_new0 (TuStanzaLine, 1);
		split_key_value (t, &l->key, &l->value);
		l->line = lineno;
		g_ptr_array_add (cur->lines, l);
	}
	return g_steal_pointer (&out);
}

char **
tu_stanza_split_words (const char *value, GError **error)
{
	int argc = 0;
	char **argv = NULL;
	if (value == NULL || *value == '\0')
		return g_new0 (char *, 1);
	if (!g_shell_parse_argv (value, &argc, &argv, error))
		return NULL;
	return argv;
}
