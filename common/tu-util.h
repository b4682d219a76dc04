/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small helpers shared by every module: bounded file reads, checked number parsing, ISO dates,
 * a 64-bit hash for stable row identities, UTF-8 repair, and TSV/CSV cell escaping with the
 * spreadsheet formula-injection guard. Nothing here allocates behind the caller's back: every
 * returned pointer is documented as (transfer full) or (transfer none).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Read a whole file, refusing files larger than @max_size bytes (0: no limit).
 * Returns: (transfer full): the contents, NUL-terminated past the end; NULL with @error. */
GBytes *tu_file_read (const char *path, gsize max_size, GError **error);
/* The same for a descriptor already open (it is closed in every case); @name is for messages.
 * Anything but a regular file (a FIFO, a device, a socket, a directory) is refused. */
GBytes *tu_file_read_fd (int fd, const char *name, gsize max_size, GError **error);
/* Open @path for reading without ever blocking in open() (O_NONBLOCK, so a FIFO or a device
 * cannot hang the caller), refusing anything but a regular file; @flags adds to the open
 * flags (O_NOFOLLOW for files found in a directory rather than named by the user).
 * Returns the descriptor (blocking mode restored), or -1 with @error. */
int tu_file_open_regular (const char *path, int flags, GError **error);
/* Remove @path and everything below it; symlinks are removed, never followed. Best effort:
 * what cannot be removed is left. */
void tu_remove_tree (const char *path);
/* Refuse @fd unless it is a regular file, and clear O_NONBLOCK on it. */
gboolean tu_file_check_regular (int fd, const char *name, GError **error);
/* The user's umask, saved first thing in main: the embedded server changes the process's
 * umask (to 0006) when it starts, and files written for the user (reports) must follow the
 * user's, while the store's stay private. tu_user_file_mode () is 0666 less that umask. */
void tu_umask_save (void);
guint tu_user_file_mode (void);
/* "a named pipe (FIFO)", "a directory", ... for a st_mode. (transfer none) */
const char *tu_file_type_name (guint mode);

/* Parse a whole decimal integer in [@min, @max]; leading/trailing blanks are an error.
 * @what names the field for the message ("quantity", "cores"). */
gboolean tu_parse_int64 (const char *s, gint64 min, gint64 max, gint64 *out, const char *what,
			 GError **error);
/* Parse a decimal number ("12", "12.50", "-3.1"); rejects "nan", "inf" and trailing junk. */
gboolean tu_parse_double (const char *s, double *out, const char *what, GError **error);
/* Parse yes/no/true/false/1/0 (case-insensitive). */
gboolean tu_parse_bool (const char *s, gboolean *out, const char *what, GError **error);

/* ISO 8601 calendar date "YYYY-MM-DD" (a time part "THH:MM..." is accepted and ignored).
 * Stores days since 0001-01-01 (GDate's Julian day) in @out_julian. */
gboolean tu_date_parse (const char *s, guint32 *out_julian, const char *what, GError **error);
/* (transfer full): "YYYY-MM-DD" for a Julian day number. */
char *tu_date_format (guint32 julian);
/* Today's date in UTC as a Julian day number. */
guint32 tu_date_today (void);

/* MurmurHash64A: stable across runs and machines, used for row identities of raw discoveries.
 * Not collision resistant against an adversary; the stored fields are compared as well. */
guint64 tu_hash64 (const void *data, gsize len, guint64 seed);
/* Hash a sequence of strings with length framing, so ("ab","c") and ("a","bc") differ.
 * NULL strings hash differently from empty ones. The result has the top bit clear so that it
 * fits a signed BIGINT too. */
guint64 tu_hash_strings (const char *const *strings, guint n_strings);

/* Make @s (of @len bytes, -1: NUL-terminated) valid UTF-8 of at most @max_bytes bytes, with
 * invalid sequences replaced by U+FFFD and control characters other than tab dropped;
 * truncation never splits a character. Sets *@changed when the result differs.
 * Returns: (transfer full). */
char *tu_utf8_clean (const char *s, gssize len, gsize max_bytes, gboolean *changed);

/* TRUE when a spreadsheet would take a cell starting like @s for a formula
 * ('=', '+', '-', '@', tab or CR first). */
gboolean tu_cell_is_formula_like (const char *s);
/* Append @s to @out as one TSV field: backslash, tab, newline and CR escaped as \\ \t \n \r. */
void tu_tsv_append_field (GString *out, const char *s);
/* Append @s as one RFC 4180 CSV field, quoted when needed, with the formula guard applied
 * (a leading apostrophe before formula-like text). */
void tu_csv_append_field (GString *out, const char *s);

/* Whether @a and @b are the same text but for case (Unicode case folding); two NULLs are the
 * same, a NULL and a text are not. */
gboolean tu_str_equal_fold (const char *a, const char *b);
/* Case-insensitive ASCII "ends with". */
gboolean tu_str_has_suffix_ci (const char *s, const char *suffix);
/* Strip ASCII blanks at both ends, in place; returns @s. */
char *tu_strstrip (char *s);
/* Levenshtein distance, for "did you mean" suggestions; capped at @cap. */
guint tu_str_distance (const char *a, const char *b, guint cap);

/* Monotonic time in seconds, for progress and log lines. */
double tu_now_seconds (void);

G_END_DECLS
