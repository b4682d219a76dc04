/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Warnings with their place (see tu-warnings.h). */
#include "config.h"

#include "tu-warnings.h"

static void
warning_free (TuWarning *w)
{
	g_free (w->file);
	g_free (w->field);
	g_free (w->message);
	g_free (w->text);
	g_free (w);
}

TuWarnings *
tu_warnings_new (void)
{
	return g_ptr_array_new_with_free_func ((GDestroyNotify) warning_free);
}

void
tu_warnings_free (TuWarnings *w)
{
	if (w != NULL)
		g_ptr_array_unref (w);
}

void
tu_warnings_addv (TuWarnings *w, const char *file, guint line, const char *field,
		  const char *format, va_list args)
{
	TuWarning *x = g_new0 (TuWarning, 1);
	x->file = g_strdup (file);
	x->line = line;
	x->field = g_strdup (field);
	x->message = g_strdup_vprintf (format, args);
	GString *t = g_string_new (NULL);
	if (file != NULL) {
		g_string_append (t, file);
		if (line > 0)
			g_string_append_printf (t, ":%u", line);
		g_string_append (t, ": ");
	}
	if (field != NULL)
		g_string_append_printf (t, "%s: ", field);
	g_string_append (t, x->message);
	x->text = g_string_free (t, FALSE);
	g_ptr_array_add (w, x);
}

void
tu_warnings_add (TuWarnings *w, const char *file, guint line, const char *field,
		 const char *format, ...)
{
	va_list args;
	va_start (args, format);
	tu_warnings_addv (w, file, line, field, format, args);
	va_end (args);
}

void
tu_warnings_take (TuWarnings *w, TuWarnings *from)
{
	for (guint i = 0; i < from->len; i++)
		g_ptr_array_add (w, g_ptr_array_index (from, i));
	g_ptr_array_set_free_func (from, NULL);
	g_ptr_array_set_size (from, 0);
	g_ptr_array_set_free_func (from, (GDestroyNotify) warning_free);
}

const TuWarning *
tu_warnings_get (const TuWarnings *w, guint i)
{
	g_return_val_if_fail (i < w->len, NULL);
	return g_ptr_array_index ((GPtrArray *) w, i);
}

const char *
tu_warnings_text (const TuWarnings *w, guint i)
{
	const TuWarning *x = tu_warnings_get (w, i);
	return x != NULL ? x->text : NULL;
}
