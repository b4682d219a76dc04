/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The libyaml event loop, once (see tu-yaml.h). A stack of open collections; each event
 * becomes a node attached to the collection on top, or a new document's root. The limits are
 * checked as the events come, so a hostile buffer is refused before it costs more than its
 * own size.
 */
#include "config.h"

#include <string.h>
#include <yaml.h>

#include "tu-error.h"
#include "tu-yaml.h"

#define DEFAULT_MAX_DEPTH 64
#define CLIP_CHARS	  60

void
tu_yaml_node_free (TuYamlNode *n)
{
	if (n == NULL)
		return;
	g_free (n->value);
	if (n->items != NULL)
		g_ptr_array_unref (n->items);
	g_free (n);
}

static TuYamlNode *
node_new (TuYamlKind kind, guint line)
{
	TuYamlNode *n = g_new0 (TuYamlNode, 1);
	n->kind = kind;
	n->line = line;
	if (kind == TU_YAML_SEQUENCE || kind == TU_YAML_MAPPING)
		n->items = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_yaml_node_free);
	return n;
}

const TuYamlNode *
tu_yaml_map_get (const TuYamlNode *map, const char *key)
{
	if (map == NULL || map->kind != TU_YAML_MAPPING)
		return NULL;
	for (guint i = 0; i + 1 < map->items->len; i += 2) {
		const TuYamlNode *k = g_ptr_array_index (map->items, i);
		if (k->kind == TU_YAML_SCALAR && strcmp (k->value, key) == 0)
			return g_ptr_array_index (map->items, i + 1);
	}
	return NULL;
}

static gboolean
is_null_scalar (const yaml_event_t *ev)
{
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return FALSE;
	const char *v = (const char *) ev->data.scalar.value;
	return ev->data.scalar.length == 0 || strcmp (v, "~") == 0 || strcmp (v, "null") == 0 ||
	       strcmp (v, "Null") == 0 || strcmp (v, "NULL") == 0;
}

/* Is @node, about to go into @map, a key that is already there? */
static gboolean
is_duplicate_key (const TuYamlNode *map, const TuYamlNode *node)
{
	if (map->items->len % 2 != 0 || node->kind != TU_YAML_SCALAR)
		return FALSE;
	return tu_yaml_map_get (map, node->value) != NULL;
}

/* Attach @node (transfer full) to the collection on top of @stack or as a new document. */
static gboolean
attach (GPtrArray *stack, GPtrArray *docs, TuYamlNode *node, const TuYamlOptions *o,
	const char *path, GError **error)
{
	if (stack->len == 0) {
		g_ptr_array_add (docs, node);
		return TRUE;
	}
	TuYamlNode *top = g_ptr_array_index (stack, stack->len - 1);
	if (top->kind == TU_YAML_MAPPING && top->items->len % 2 == 0) {
		if (node->kind == TU_YAML_SEQUENCE || node->kind == TU_YAML_MAPPING) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: a collection used as a mapping key", path, node->line);
			tu_yaml_node_free (node);
			return FALSE;
		}
		if (o->refuse_duplicate_keys && is_duplicate_key (top, node)) {
			g_autofree char *k = g_utf8_substring (
				node->value, 0, MIN (g_utf8_strlen (node->value, -1), CLIP_CHARS));
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: duplicate key \"%s\"", path, node->line, k);
			tu_yaml_node_free (node);
			return FALSE;
		}
	}
	g_ptr_array_add (top->items, node);
	return TRUE;
}

GPtrArray *
tu_yaml_parse (const char *buf, gsize len, const char *path, const TuYamlOptions *options,
	       GError **error)
{
	static const TuYamlOptions defaults = {0};
	const TuYamlOptions *o = options != NULL ? options : &defaults;
	guint max_depth = o->max_depth ? o->max_depth : DEFAULT_MAX_DEPTH;
	guint first_line = o->first_line ? o->first_line : 1;
	yaml_parser_t parser;
	if (!yaml_parser_initialize (&parser)) {
		g_set_error (error, TU_ERROR, TU_ERROR_FAILED, "%s: cannot start the YAML parser",
			     path);
		return NULL;
	}
	yaml_parser_set_input_string (&parser, (const unsigned char *) buf, len);
	g_autoptr(GPtrArray) docs =
		g_ptr_array_new_with_free_func ((GDestroyNotify) tu_yaml_node_free);
	g_autoptr(GPtrArray) stack = g_ptr_array_new (); /* open collections, borrowed */
	guint n_nodes = 0;
	gboolean done = FALSE, ok = TRUE;
	while (!done && ok) {
		yaml_event_t ev;
		if (!yaml_parser_parse (&parser, &ev)) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: %s: %s%s%s",
				     path, first_line + (guint) parser.problem_mark.line,
				     o->syntax_label ? o->syntax_label : "not valid YAML",
				     parser.problem ? parser.problem : "syntax error",
				     parser.context ? " " : "",
				     parser.context ? parser.context : "");
			ok = FALSE;
			break;
		}
		guint line = first_line + (guint) ev.start_mark.line;
		TuYamlNode *node = NULL;
		switch (ev.type) {
		case YAML_SCALAR_EVENT:
			if (memchr (ev.data.scalar.value, '\0', ev.data.scalar.length) != NULL) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: a scalar with a NUL character", path, line);
				ok = FALSE;
				break;
			}
			node = node_new (TU_YAML_SCALAR, line);
			node->is_null = is_null_scalar (&ev);
			node->value = node->is_null
					      ? g_strdup ("")
					      : g_strndup ((const char *) ev.data.scalar.value,
							   ev.data.scalar.length);
			break;
		case YAML_ALIAS_EVENT:
			node = node_new (TU_YAML_ALIAS, line);
			node->value = g_strdup ((const char *) ev.data.alias.anchor);
			break;
		case YAML_SEQUENCE_START_EVENT:
			node = node_new (TU_YAML_SEQUENCE, line);
			break;
		case YAML_MAPPING_START_EVENT:
			node = node_new (TU_YAML_MAPPING, line);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (stack->len > 0)
				g_ptr_array_remove_index (stack, stack->len - 1);
			break;
		case YAML_DOCUMENT_END_EVENT:
			done = o->first_document_only;
			break;
		case YAML_STREAM_END_EVENT:
			done = TRUE;
			break;
		default:
			break;
		}
		yaml_event_delete (&ev);
		if (node == NULL)
			continue;
		if (o->max_nodes > 0 && ++n_nodes > o->max_nodes) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: more than %u YAML nodes", path, line, o->max_nodes);
			tu_yaml_node_free (node);
			ok = FALSE;
			break;
		}
		gboolean is_collection =
			node->kind == TU_YAML_SEQUENCE || node->kind == TU_YAML_MAPPING;
		if (!attach (stack, docs, node, o, path, error)) {
			ok = FALSE;
			break;
		}
		if (is_collection) {
			if (stack->len >= max_depth) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: nested deeper than %u levels", path, line,
					     max_depth);
				ok = FALSE;
				break;
			}
			g_ptr_array_add (stack, node);
		}
	}
	yaml_parser_delete (&parser);
	if (!ok)
		return NULL;
	return g_steal_pointer (&docs);
}
