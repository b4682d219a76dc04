/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared helpers; see tu-util.h for the contracts. The hash is MurmurHash64A (public domain,
 * Austin Appleby), chosen because it is fast, portable and has no dependency.
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tu-error.h"
#include "tu-util.h"

static gint saved_umask = -1;

void
tu_umask_save (void)
{
	mode_t m = umask (022);
	umask (m);
	g_atomic_int_set (&saved_umask, (gint) m);
}

guint
tu_user_file_mode (void)
{
	if (g_atomic_int_get (&saved_umask) < 0)
		tu_umask_save ();
	return 0666u & ~(guint) g_atomic_int_get (&saved_umask);
}

const char *
tu_file_type_name (guint mode)
{
	switch (mode & S_IFMT) {
	case S_IFIFO:
		return "a named pipe (FIFO)";
	case S_IFSOCK:
		return "a socket";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	case S_IFDIR:
		return "a directory";
	case S_IFLNK:
		return "a symbolic link";
	default:
		return "not a regular file";
	}
}

int
tu_file_open_regular (const char *path, int flags, GError **error)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer, nor a device for its carrier */
	int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | flags);
	if (fd < 0) {
		int saved = errno;
		if (saved == ELOOP && (flags & O_NOFOLLOW) != 0)
			g_set_error (error, TU_ERROR, TU_ERROR_IO,
				     "%s: a symbolic link; refused (not followed here)", path);
		else
			g_set_error (error, TU_ERROR,
				     saved == ENOENT ? TU_ERROR_NOT_FOUND : TU_ERROR_IO, "%s: %s",
				     path, g_strerror (saved));
		return -1;
	}
	if (!tu_file_check_regular (fd, path, error)) {
		close (fd);
		return -1;
	}
	return fd;
}

gboolean
tu_file_check_regular (int fd, const char *name, GError **error)
{
	struct stat st;
	if (fstat (fd, &st) != 0) {
		int saved = errno;
		g_set_error (error, TU_ERROR, TU_ERROR_IO, "%s: %s", name, g_strerror (saved));
		return FALSE;
	}
	if (!S_ISREG (st.st_mode)) {
		g_set_error (error, TU_ERROR, TU_ERROR_IO, "%s: %s, not a regular file; refused",
			     name, tu_file_type_name (st.st_mode));
		return FALSE;
	}
	/* a regular file: reads may block again (they never wait for long on one) */
	int fl = fcntl (fd, F_GETFL);
	if (fl >= 0 && (fl & O_NONBLOCK) != 0)
		(void) fcntl (fd, F_SETFL, fl & ~O_NONBLOCK);
	return TRUE;
}

GBytes *
tu_file_read (const char *path, gsize max_size, GError **error)
{
	int fd = tu_file_open_regular (path, 0, error);
	if (fd < 0)
		return NULL;
	return tu_file_read_fd (fd, path, max_size, error);
}

GBytes *
tu_file_read_fd (int fd, const char *name, gsize max_size, GError **error)
{
	struct stat st;
	if (!tu_file_check_regular (fd, name, error) || fstat (fd, &st) != 0) {
		if (error != NULL && *error == NULL)
			g_set_error (error, TU_ERROR, TU_ERROR_IO, "%s: %s", name, g_strerror (errno));
		close (fd);
		return NULL;
	}
	const char *path = name;
	if (max_size > 0 && (guint64) st.st_size > max_size) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: file is %" G_GUINT64_FORMAT " bytes, more than the %" G_GSIZE_FORMAT
			     " allowed",
			     path, (guint64) st.st_size, max_size);
		close (fd);
		return NULL;
	}
	/* Read to EOF rather than trusting st_size: /proc and /sys files report 0 or 4096. */
	gsize cap = st.st_size > 0 ? (gsize) st.st_size + 1 : 4096;
	gsize len = 0;
	char *buf = g_malloc (cap + 1);
	for (;;) {
		if (len == cap) {
			if (max_size > 0 && cap >= max_size + 1) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s: file grew past the %" G_GSIZE_FORMAT " bytes allowed",
					     path, max_size);
				g_free (buf);
				close (fd);
				return NULL;
			}
			cap *= 2;
			buf = g_realloc (buf, cap + 1);
		}
		ssize_t n = read (fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int saved = errno;
			g_set_error (error, TU_ERROR, TU_ERROR_IO, "%s: %s", path, g_strerror (saved));
			g_free (buf);
			close (fd);
			return NULL;
		}
		if (n == 0)
			break;
		len += (gsize) n;
	}
	close (fd);
	buf[len] = '\0';
	return g_bytes_new_take (buf, len);
}

gboolean
tu_parse_int64 (const char *s, gint64 min, gint64 max, gint64 *out, const char *what,
		GError **error)
{
	g_autoptr(GError) local = NULL;
	if (s == NULL || *s == '\0') {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: empty, expected a number",
			     what);
		return FALSE;
	}
	if (!g_ascii_string_to_signed (s, 10, min, max, out, &local)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: \"%s\" is not a whole number between %" G_GINT64_FORMAT
			     " and %" G_GINT64_FORMAT,
			     what, s, min, max);
		return FALSE;
	}
	return TRUE;
}

gboolean
tu_parse_double (const char *s, double *out, const char *what, GError **error)
{
	if (s == NULL || *s == '\0') {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: empty, expected a number",
			     what);
		return FALSE;
	}
	for (const char *p = s; *p; p++) {
		if (!g_ascii_isdigit (*p) && *p != '.' && *p != '-' && *p != '+') {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: \"%s\" is not a number", what, s);
			return FALSE;
		}
	}
	char *end = NULL;
	errno = 0;
	double v = g_ascii_strtod (s, &end);
	if (end == s || *end != '\0' || errno != 0 || !isfinite (v)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: \"%s\" is not a number",
			     what, s);
		return FALSE;
	}
	*out = v;
	return TRUE;
}

gboolean
tu_parse_bool (const char *s, gboolean *out, const char *what, GError **error)
{
	static const char *const yes[] = {"yes", "true", "1", "y", "on"};
	static const char *const no[] = {"no", "false", "0", "n", "off"};
	for (guint i = 0; s != NULL && i < G_N_ELEMENTS (yes); i++) {
		if (g_ascii_strcasecmp (s, yes[i]) == 0) {
			*out = TRUE;
			return TRUE;
		}
		if (g_ascii_strcasecmp (s, no[i]) == 0) {
			*out = FALSE;
			return TRUE;
		}
	}
	g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: \"%s\" is not yes or no", what,
		     s ? s : "");
	return FALSE;
}

static gboolean
parse_fixed_digits (const char *s, guint n, guint *out)
{
	guint v = 0;
	for (guint i = 0; i < n; i++) {
		if (!g_ascii_isdigit (s[i]))
			return FALSE;
		v = v * 10 + (guint) (s[i] - '0');
	}
	*out = v;
	return TRUE;
}

gboolean
tu_date_parse (const char *s, guint32 *out_julian, const char *what, GError **error)
{
	guint y, m, d;
	if (s == NULL || strlen (s) < 10 || !parse_fixed_digits (s, 4, &y) || s[4] != '-' ||
	    !parse_fixed_digits (s + 5, 2, &m) || s[7] != '-' ||
	    !parse_fixed_digits (s + 8, 2, &d) ||
	    (s[10] != '\0' && s[10] != 'T' && s[10] != ' ')) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: \"%s\" is not a date (YYYY-MM-DD)", what, s ? s : "");
		return FALSE;
	}
	if (y < 1 || m < 1 || m > 12 || d < 1 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m,
								     (GDateYear) y)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: \"%s\" is not a valid date",
			     what, s);
		return FALSE;
	}
	GDate date;
	g_date_clear (&date, 1);
	g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
	*out_julian = g_date_get_julian (&date);
	return TRUE;
}

char *
tu_date_format (guint32 julian)
{
	GDate date;
	g_date_clear (&date, 1);
	g_date_set_julian (&date, julian);
	return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&date),
				(guint) g_date_get_month (&date), g_date_get_day (&date));
}

guint32
tu_date_today (void)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
	GDate date;
	g_date_clear (&date, 1);
	g_date_set_dmy (&date, (GDateDay) g_date_time_get_day_of_month (now),
			(GDateMonth) g_date_time_get_month (now),
			(GDateYear) g_date_time_get_year (now));
	return g_date_get_julian (&date);
}

guint64
tu_hash64 (const void *key, gsize len, guint64 seed)
{
	const guint64 m = G_GUINT64_CONSTANT (0xc6a4a7935bd1e995);
	const int r = 47;
	guint64 h = seed ^ (len * m);
	const guint8 *data = key;
	const guint8 *end = data + (len / 8) * 8;

	while (data != end) {
		guint64 k;
		memcpy (&k, data, sizeof k);
		k = GUINT64_FROM_LE (k);
		data += 8;
		k *= m;
		k ^= k >> r;
		k *= m;
		h ^= k;
		h *= m;
	}
	switch (len & 7) {
	case 7:
		h ^= (guint64) data[6] << 48;
		/* fall through */
	case 6:
		h ^= (guint64) data[5] << 40;
		/* fall through */
	case 5:
		h ^= (guint64) data[4] << 32;
		/* fall through */
	case 4:
		h ^= (guint64) data[3] << 24;
		/* fall through */
	case 3:
		h ^= (guint64) data[2] << 16;
		/* fall through */
	case 2:
		h ^= (guint64) data[1] << 8;
		/* fall through */
	case 1:
		h ^= (guint64) data[0];
		h *= m;
	}
	h ^= h >> r;
	h *= m;
	h ^= h >> r;
	return h;
}

guint64
tu_hash_strings (const char *const *strings, guint n_strings)
{
	guint64 h = G_GUINT64_CONSTANT (0x7472756575700001); /* "trueup" */
	for (guint i = 0; i < n_strings; i++) {
		const char *s = strings[i];
		guint64 len = s ? strlen (s) : G_MAXUINT64;
		h = tu_hash64 (&len, sizeof len, h);
		if (s != NULL)
			h = tu_hash64 (s, (gsize) len, h);
	}
	/* never 0, top bit clear */
	h &= G_GUINT64_CONSTANT (0x7fffffffffffffff);
	return h ? h : 1;
}

char *
tu_utf8_clean (const char *s, gssize len, gsize max_bytes, gboolean *changed)
{
	if (s == NULL)
		return NULL;
	gsize n = len < 0 ? strlen (s) : (gsize) len;
	GString *out = g_string_sized_new (MIN (n, max_bytes) + 1);
	gboolean did_change = FALSE;
	const char *p = s;
	const char *end = s + n;

	while (p < end) {
		const char *valid_end = NULL;
		g_utf8_validate (p, end - p, &valid_end);
		/* copy the valid run, char by char, dropping controls and honouring the cap */
		const char *q = p;
		while (q < valid_end) {
			gunichar c = g_utf8_get_char (q);
			const char *next = g_utf8_next_char (q);
			gsize clen = (gsize) (next - q);
			if ((c < 0x20 && c != '\t') || c == 0x7f) {
				did_change = TRUE;
			} else {
				if (out->len + clen > max_bytes) {
					did_change = TRUE;
					goto done;
				}
				g_string_append_len (out, q, (gssize) clen);
			}
			q = next;
		}
		p = valid_end;
		if (p < end) {
			/* one invalid byte (or an embedded NUL) becomes U+FFFD */
			did_change = TRUE;
			if (*p != '\0') {
				if (out->len + 3 > max_bytes)
					goto done;
				g_string_append (out, "\xef\xbf\xbd");
			}
			p++;
		}
	}
done:
	if (changed != NULL)
		*changed = did_change;
	return g_string_free (out, FALSE);
}

gboolean
tu_cell_is_formula_like (const char *s)
{
	return s != NULL &&
	       (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
		s[0] == '\r');
}

void
tu_tsv_append_field (GString *out, const char *s)
{
	if (s == NULL)
		return;
	for (const char *p = s; *p; p++) {
		switch (*p) {
		case '\\':
			g_string_append (out, "\\\\");
			break;
		case '\t':
			g_string_append (out, "\\t");
			break;
		case '\n':
			g_string_append (out, "\\n");
			break;
		case '\r':
			g_string_append (out, "\\r");
			break;
		default:
			g_string_append_c (out, *p);
		}
	}
}

void
tu_csv_append_field (GString *out, const char *s)
{
	if (s == NULL)
		return;
	gboolean guard = tu_cell_is_formula_like (s);
	gboolean quote = guard || strpbrk (s, ",\"\r\n") != NULL || s[0] == ' ' ||
			 (s[0] != '\0' && s[strlen (s) - 1] == ' ');
	if (quote)
		g_string_append_c (out, '"');
	if (guard)
		g_string_append_c (out, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			g_string_append_c (out, '"');
		g_string_append_c (out, *p);
	}
	if (quote)
		g_string_append_c (out, '"');
}

gboolean
tu_str_equal_fold (const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	if (g_ascii_strcasecmp (a, b) == 0)
		return TRUE;
	g_autofree char *fa = g_utf8_casefold (a, -1);
	g_autofree char *fb = g_utf8_casefold (b, -1);
	return g_strcmp0 (fa, fb) == 0;
}

gboolean
tu_str_has_suffix_ci (const char *s, const char *suffix)
{
	gsize n = strlen (s), m = strlen (suffix);
	return n >= m && g_ascii_strcasecmp (s + n - m, suffix) == 0;
}

char *
tu_strstrip (char *s)
{
	return g_strstrip (s);
}

guint
tu_str_distance (const char *a, const char *b, guint cap)
{
	gsize n = strlen (a), m = strlen (b);
	if (n > 256 || m > 256)
		return cap;
	g_autofree guint *prev = g_new (guint, m + 1);
	g_autofree guint *cur = g_new (guint, m + 1);
	for (gsize j = 0; j <= m; j++)
		prev[j] = (guint) j;
	for (gsize i = 1; i <= n; i++) {
		cur[0] = (guint) i;
		guint best = cur[0];
		for (gsize j = 1; j <= m; j++) {
			guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;
			guint v = MIN (MIN (prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
			cur[j] = v;
			best = MIN (best, v);
		}
		if (best >= cap)
			return cap;
		guint *t = prev;
		prev = cur;
		cur = t;
	}
	return MIN (prev[m], cap);
}

double
tu_now_seconds (void)
{
	return (double) g_get_monotonic_time () / G_USEC_PER_SEC;
}

void
tu_remove_tree (const char *path)
{
	g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
	if (dir != NULL) {
		const char *name;
		while ((name = g_dir_read_name (dir)) != NULL) {
			g_autofree char *child = g_build_filename (path, name, NULL);
			if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
			    !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
				tu_remove_tree (child);
			else
				g_unlink (child);
		}
	}
	g_rmdir (path);
}
