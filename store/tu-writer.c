/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The batched writer; see tu-writer.h. Two encodings of the same rows:
 *  - INSERT: "(v1,v2,...),(...)" with each string escaped by mysql_real_escape_string;
 *  - LOAD DATA: tab-separated lines with \t \n \\ escaped and \N for NULL, handed to the server
 *    through a local-infile handler that serves only this buffer, whatever file name the
 *    server asks for.
 * Measured on the embedded store (see README): LOAD DATA from memory is the faster of the two,
 * so AUTO uses it wherever the mode allows.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "tu-common.h"
#include "tu-sql.h"
#include "tu-writer.h"

#define TU_WRITER_MAX_BYTES (4u * 1024u * 1024u)

struct _TuWriter {
	TuDb *db;
	char *table;
	GPtrArray *columns;
	GPtrArray *update_columns;
	TuWriterMode mode;
	TuWriterMethod method;
	gboolean use_load_data;
	guint batch_rows;
	GPtrArray *const_columns;  /* columns every row has the same value of */
	GPtrArray *const_literals; /* their values as SQL literals */
	GString *buf;		   /* rows of the current batch, in the chosen encoding */
	guint n_rows;	 /* rows in buf */
	guint n_values;	 /* values in the current row */
	guint64 n_written;
	/* local-infile feed */
	gsize feed_pos;
};

static GPtrArray *
strv_to_array (const char *const *v)
{
	GPtrArray *a = g_ptr_array_new_with_free_func (g_free);
	for (guint i = 0; v != NULL && v[i] != NULL; i++)
		g_ptr_array_add (a, g_strdup (v[i]));
	return a;
}

static void
choose_method (TuWriter *w)
{
	w->use_load_data = w->mode != TU_WRITER_UPSERT && w->method != TU_WRITER_METHOD_INSERT;
}

TuWriter *
tu_writer_new (TuDb *db, const char *table, const char *const *columns, TuWriterMode mode,
	       const char *const *update_columns)
{
	TuWriter *w = g_new0 (TuWriter, 1);
	w->db = db;
	w->table = g_strdup (table);
	w->columns = strv_to_array (columns);
	w->update_columns = strv_to_array (update_columns ? update_columns : columns);
	w->mode = mode;
	w->method = TU_WRITER_METHOD_AUTO;
	w->batch_rows = 2000;
	w->const_columns = g_ptr_array_new_with_free_func (g_free);
	w->const_literals = g_ptr_array_new_with_free_func (g_free);
	w->buf = g_string_sized_new (64 * 1024);
	choose_method (w);
	return w;
}

void
tu_writer_free (TuWriter *w)
{
	if (w == NULL)
		return;
	g_free (w->table);
	g_ptr_array_unref (w->columns);
	g_ptr_array_unref (w->update_columns);
	g_ptr_array_unref (w->const_columns);
	g_ptr_array_unref (w->const_literals);
	g_string_free (w->buf, TRUE);
	g_free (w);
}

void
tu_writer_set_method (TuWriter *w, TuWriterMethod method)
{
	g_return_if_fail (w->n_rows == 0);
	w->method = method;
	choose_method (w);
}

void
tu_writer_set_batch_rows (TuWriter *w, guint rows)
{
	w->batch_rows = MAX (rows, 1u);
}

static void
set_const (TuWriter *w, const char *column, char *literal)
{
	for (guint i = 0; i < w->const_columns->len; i++) {
		if (strcmp (g_ptr_array_index (w->const_columns, i), column) == 0) {
			g_free (g_ptr_array_index (w->const_literals, i));
			g_ptr_array_index (w->const_literals, i) = literal;
			return;
		}
	}
	g_ptr_array_add (w->const_columns, g_strdup (column));
	g_ptr_array_add (w->const_literals, literal);
}

void
tu_writer_set_const_str (TuWriter *w, const char *column, const char *value)
{
	g_return_if_fail (w->n_rows == 0 && w->n_values == 0);
	g_return_if_fail (w->mode != TU_WRITER_UPSERT);
	if (value == NULL) {
		set_const (w, column, g_strdup ("NULL"));
		return;
	}
	GString *lit = g_string_new (NULL);
	tu_db_append_quoted (w->db, lit, value, -1);
	set_const (w, column, g_string_free (lit, FALSE));
}

void
tu_writer_set_const_uint (TuWriter *w, const char *column, guint64 value)
{
	g_return_if_fail (w->n_rows == 0 && w->n_values == 0);
	g_return_if_fail (w->mode != TU_WRITER_UPSERT);
	set_const (w, column, g_strdup_printf ("%" G_GUINT64_FORMAT, value));
}

static void
begin_value (TuWriter *w)
{
	if (w->use_load_data) {
		if (w->n_values > 0)
			g_string_append_c (w->buf, '\t');
	} else {
		if (w->n_values == 0)
			g_string_append (w->buf, w->n_rows > 0 ? ",(" : "(");
		else
			g_string_append_c (w->buf, ',');
	}
	w->n_values++;
}

void
tu_writer_add_str (TuWriter *w, const char *value)
{
	if (value == NULL) {
		tu_writer_add_null (w);
		return;
	}
	begin_value (w);
	if (w->use_load_data)
		tu_tsv_append_field (w->buf, value); /* LOAD DATA reads TSV's escapes */
	else
		tu_db_append_quoted (w->db, w->buf, value, -1);
}

/* @value in decimal, after a '-' when @negative: a row has several ids, and printf's
 * machinery (a format parsed and a string allocated each time) cost more than the rest of a
 * value's path. */
static void
append_decimal (GString *buf, guint64 value, gboolean negative)
{
	char tmp[24];
	char *p = tmp + sizeof tmp;
	do {
		*--p = (char) ('0' + value % 10);
		value /= 10;
	} while (value != 0);
	if (negative)
		*--p = '-';
	g_string_append_len (buf, p, tmp + sizeof tmp - p);
}

void
tu_writer_add_int (TuWriter *w, gint64 value)
{
	begin_value (w);
	/* the magnitude as unsigned, so that G_MININT64 has one */
	append_decimal (w->buf, value < 0 ? 0 - (guint64) value : (guint64) value, value < 0);
}

void
tu_writer_add_uint (TuWriter *w, guint64 value)
{
	begin_value (w);
	append_decimal (w->buf, value, FALSE);
}

void
tu_writer_add_double (TuWriter *w, double value)
{
	char tmp[G_ASCII_DTOSTR_BUF_SIZE];
	begin_value (w);
	g_string_append (w->buf, g_ascii_dtostr (tmp, sizeof tmp, value));
}

void
tu_writer_add_null (TuWriter *w)
{
	begin_value (w);
	g_string_append (w->buf, w->use_load_data ? "\\N" : "NULL");
}

void
tu_writer_add_int_or_null (TuWriter *w, gint64 value, gboolean present)
{
	if (present)
		tu_writer_add_int (w, value);
	else
		tu_writer_add_null (w);
}

void
tu_writer_add_date (TuWriter *w, guint32 julian)
{
	if (julian == 0) {
		tu_writer_add_null (w);
		return;
	}
	g_autofree char *d = tu_date_format (julian);
	tu_writer_add_str (w, d);
}

void
tu_writer_add_expr (TuWriter *w, const char *fixed_sql)
{
	g_return_if_fail (!w->use_load_data);
	begin_value (w);
	g_string_append (w->buf, fixed_sql);
}

gboolean
tu_writer_end_row (TuWriter *w, GError **error)
{
	if (w->n_values != w->columns->len) {
		g_critical ("writer for %s: row has %u values for %u columns", w->table, w->n_values,
			    w->columns->len);
	}
	if (w->use_load_data) {
		g_string_append_c (w->buf, '\n');
	} else {
		for (guint i = 0; i < w->const_literals->len; i++) {
			g_string_append_c (w->buf, ',');
			g_string_append (w->buf, g_ptr_array_index (w->const_literals, i));
		}
		g_string_append_c (w->buf, ')');
	}
	w->n_values = 0;
	w->n_rows++;
	if (w->n_rows >= w->batch_rows || w->buf->len >= TU_WRITER_MAX_BYTES)
		return tu_writer_flush (w, error);
	return TRUE;
}

void
tu_writer_reset (TuWriter *w)
{
	g_string_truncate (w->buf, 0);
	w->n_rows = 0;
	w->n_values = 0;
}

/* local-infile callbacks: serve w->buf, nothing else */
static int
infile_init (void **ptr, const char *filename, void *userdata)
{
	TuWriter *w = userdata;
	w->feed_pos = 0;
	*ptr = w;
	return 0;
}

static int
infile_read (void *ptr, char *buf, unsigned int buf_len)
{
	TuWriter *w = ptr;
	gsize left = w->buf->len - w->feed_pos;
	gsize n = MIN (left, (gsize) buf_len);
	memcpy (buf, w->buf->str + w->feed_pos, n);
	w->feed_pos += n;
	return (int) n;
}

static void
infile_end (void *ptr)
{
}

static int
infile_error (void *ptr, char *error_msg, unsigned int error_msg_len)
{
	g_strlcpy (error_msg, "trueup writer feed error", error_msg_len);
	return 1;
}

/* (a,b,c) of the row's columns, then for LOAD DATA " SET k = v, ..." of the constant ones,
 * for INSERT the constant columns in the list (their values end each row) */
static void
append_column_list (GString *sql, const TuWriter *w)
{
	g_string_append_c (sql, '(');
	for (guint i = 0; i < w->columns->len; i++) {
		if (i > 0)
			g_string_append_c (sql, ',');
		g_string_append (sql, g_ptr_array_index (w->columns, i));
	}
	for (guint i = 0; !w->use_load_data && i < w->const_columns->len; i++) {
		g_string_append_c (sql, ',');
		g_string_append (sql, g_ptr_array_index (w->const_columns, i));
	}
	g_string_append_c (sql, ')');
	for (guint i = 0; w->use_load_data && i < w->const_columns->len; i++) {
		g_string_append (sql, i == 0 ? " SET " : ", ");
		g_string_append (sql, g_ptr_array_index (w->const_columns, i));
		g_string_append (sql, " = ");
		g_string_append (sql, g_ptr_array_index (w->const_literals, i));
	}
}

static gboolean
check_load_warnings (TuWriter *w, GError **error)
{
	g_autoptr(MYSQL_RES) res = tu_db_query (w->db, "SHOW WARNINGS", error);
	if (res == NULL)
		return FALSE;
	MYSQL_ROW row;
	while ((row = mysql_fetch_row (res)) != NULL) {
		gint64 code = tu_row_int (row, 1, 0);
		if (code == 1062 && w->mode == TU_WRITER_INSERT_IGNORE)
			continue;
		g_set_error (error, TU_ERROR, TU_ERROR_DB, "%s (%" G_GINT64_FORMAT ")",
			     tu_row_str (row, 2), code);
		return FALSE;
	}
	return TRUE;
}

/* The batch as a new file for the server to read (no temporary name and rename: it is read once
 * and removed). FALSE with *errno_out set, and no file left, when it cannot be written. */
static gboolean
write_batch_file (const char *path, const char *data, gsize len, int *errno_out)
{
	int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		*errno_out = errno;
		return FALSE;
	}
	gsize done = 0;
	while (done < len) {
		ssize_t n = write (fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*errno_out = n < 0 ? errno : EIO;
			close (fd);
			g_unlink (path);
			return FALSE;
		}
		done += (gsize) n;
	}
	if (close (fd) != 0) {
		*errno_out = errno;
		g_unlink (path);
		return FALSE;
	}
	return TRUE;
}

gboolean
tu_writer_flush (TuWriter *w, GError **error)
{
	if (w->n_rows == 0)
		return TRUE;
	g_autoptr(GString) sql = g_string_sized_new (256);
	gboolean ok;
	if (w->use_load_data) {
		/* A server reads the batch from this process through the local-infile handler
		 * (which serves this buffer whatever file name it is asked for). The embedded
		 * server has no client side for LOCAL: it reads a file of the batch from its own
		 * load directory instead. */
		const char *load_dir = tu_db_load_dir (w->db);
		g_autofree char *file = NULL;
		if (load_dir != NULL) {
			static gint counter = 0;
			g_autofree char *name = g_strdup_printf ("batch-%d-%d.tsv", (int) getpid (),
								 g_atomic_int_add (&counter, 1));
			file = g_build_filename (load_dir, name, NULL);
			int saved = 0;
			if (!write_batch_file (file, w->buf->str, w->buf->len, &saved)) {
				g_set_error (error, TU_ERROR,
					     saved == ENOSPC ? TU_ERROR_DISK_FULL : TU_ERROR_IO,
					     "writing %u rows to %s: %s%s: %s", w->n_rows, w->table,
					     saved == ENOSPC ? "disk full: " : "", file,
					     g_strerror (saved));
				return FALSE;
			}
			g_string_append (sql, "LOAD DATA INFILE ");
			tu_db_append_quoted (w->db, sql, file, -1);
		} else {
			g_string_append (sql, "LOAD DATA LOCAL INFILE 'trueup-batch'");
		}
		g_string_append_printf (sql,
					" %sINTO TABLE %s CHARACTER SET utf8mb4 FIELDS TERMINATED "
					"BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' ",
					w->mode == TU_WRITER_INSERT_IGNORE ? "IGNORE " : "", w->table);
		append_column_list (sql, w);
		if (file == NULL)
			mysql_set_local_infile_handler (tu_db_handle (w->db), infile_init, infile_read,
							infile_end, infile_error, w);
		ok = tu_db_exec (w->db, sql->str, error);
		if (file == NULL)
			mysql_set_local_infile_default (tu_db_handle (w->db));
		else
			g_unlink (file);
		/* With LOCAL the server cannot stop the transfer, so it treats every load as
		 * IGNORE: duplicates and bad values become warnings. Only duplicates are expected,
		 * and only in IGNORE mode; anything else fails the batch like an INSERT would. */
		if (ok && mysql_warning_count (tu_db_handle (w->db)) > 0)
			ok = check_load_warnings (w, error);
	} else {
		g_string_append_printf (sql, "INSERT %sINTO %s ",
					w->mode == TU_WRITER_INSERT_IGNORE ? "IGNORE " : "", w->table);
		append_column_list (sql, w);
		g_string_append (sql, " VALUES ");
		g_string_append_len (sql, w->buf->str, (gssize) w->buf->len);
		if (w->mode == TU_WRITER_UPSERT) {
			g_string_append (sql, " ON DUPLICATE KEY UPDATE ");
			for (guint i = 0; i < w->update_columns->len; i++) {
				const char *c = g_ptr_array_index (w->update_columns, i);
				g_string_append_printf (sql, "%s%s=VALUES(%s)", i ? "," : "", c, c);
			}
		}
		ok = tu_db_exec (w->db, sql->str, error);
	}
	if (!ok) {
		g_prefix_error (error, "writing %u rows to %s: ", w->n_rows, w->table);
		return FALSE;
	}
	w->n_written += w->n_rows;
	tu_writer_reset (w);
	return TRUE;
}

guint64
tu_writer_rows_written (TuWriter *w)
{
	return w->n_written;
}
