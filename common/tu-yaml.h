/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one libyaml walker: a YAML buffer to a small tree of nodes, each with its line, every
 * scalar kept as the text written ("1.30" stays "1.30", "2024-01-01" stays text). Used by the
 * catalogue's front matter, OSV records written as YAML and snap.yaml.
 *
 * Hostile input is bounded: aliases are kept as nodes of their own and never expanded, nesting
 * deeper than max_depth and more than max_nodes nodes are refused, a scalar holding a NUL
 * (libyaml's "\0" escape) is refused, and so is a collection used as a mapping key. Errors
 * name the path and the line.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	TU_YAML_SCALAR,
	TU_YAML_SEQUENCE,
	TU_YAML_MAPPING,
	TU_YAML_ALIAS,
} TuYamlKind;

typedef struct _TuYamlNode TuYamlNode;
struct _TuYamlNode {
	TuYamlKind kind;
	guint line;	  /* 1-based, in the file */
	char *value;	  /* scalars: the text ("" for a null); aliases: the anchor's name */
	gboolean is_null; /* a plain empty, ~, null, Null or NULL scalar */
	GPtrArray *items; /* sequences: TuYamlNode*; mappings: key, value, key, value, ... */
};

void tu_yaml_node_free (TuYamlNode *node);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuYamlNode, tu_yaml_node_free)

typedef struct {
	const char *syntax_label; /* "PATH:LINE: LABEL: problem" on a syntax error; NULL: "not
				   * valid YAML" */
	guint first_line;	  /* the file line the buffer starts on (0: 1) */
	guint max_depth;	  /* 0: 64 */
	guint max_nodes;	  /* 0: no limit but the buffer's size */
	gboolean first_document_only;
	gboolean refuse_duplicate_keys; /* a key twice in one mapping */
} TuYamlOptions;

/* The documents of @buf, each a root node (a stream may hold none). @path names the input
 * in errors. (transfer full): a GPtrArray of TuYamlNode* that frees them */
GPtrArray *tu_yaml_parse (const char *buf, gsize len, const char *path,
			  const TuYamlOptions *options, GError **error);

/* The value of @key in mapping @map (the first, if it is there twice), or NULL.
 * (transfer none) */
const TuYamlNode *tu_yaml_map_get (const TuYamlNode *map, const char *key);

G_END_DECLS
