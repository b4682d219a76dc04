/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one way to report warnings: what the user should see about the input but what does not
 * stop the work (a package line skipped, a catalogue entry ignored, a record of an advisory
 * feed refused, a product priced in two currencies). Each warning has the place it is about
 * (file, line, field: any may be absent) and a message; its text is "FILE:LINE: FIELD:
 * MESSAGE" without the absent parts, made once when it is added.
 *
 * A TuWarnings is a GPtrArray of TuWarning* (so ->len counts them), owned by whoever collects:
 * a host's scan, an import, the licence engine's position. The front end prints them one way
 * (tu_cli_print_warnings); the store keeps a host scan's texts with its scan row.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	char *file;  /* (nullable) */
	guint line;  /* 1-based; 0: none */
	char *field; /* (nullable) */
	char *message;
	char *text; /* "FILE:LINE: FIELD: MESSAGE" */
} TuWarning;

typedef GPtrArray TuWarnings;

/* (transfer full) */
TuWarnings *tu_warnings_new (void);
void tu_warnings_free (TuWarnings *w);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuWarnings, tu_warnings_free)

/* Add a warning about @file (nullable), @line (0: none) and @field (nullable). */
void tu_warnings_add (TuWarnings *w, const char *file, guint line, const char *field,
		      const char *format, ...) G_GNUC_PRINTF (5, 6);
void tu_warnings_addv (TuWarnings *w, const char *file, guint line, const char *field,
		       const char *format, va_list args) G_GNUC_PRINTF (5, 0);
/* Move the warnings of @from (which stays empty) to the end of @w. */
void tu_warnings_take (TuWarnings *w, TuWarnings *from);

/* The warning at @i, and its text. (transfer none) */
const TuWarning *tu_warnings_get (const TuWarnings *w, guint i);
const char *tu_warnings_text (const TuWarnings *w, guint i);

G_END_DECLS
