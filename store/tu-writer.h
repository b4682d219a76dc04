/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The batched writer every importer uses. Rows are buffered and written as one multi-row
 * INSERT (optionally IGNORE or ON DUPLICATE KEY UPDATE) or as LOAD DATA LOCAL INFILE fed from
 * memory, whichever the caller picks (tu_writer_new picks the measured faster one for plain
 * inserts). Memory is bounded by the batch size: the buffer is flushed when it holds
 * batch_rows rows or about 4 MB. Every value is escaped by the connection; nothing reaches
 * SQL text raw.
 *
 * The writer does not open transactions: callers wrap it in tu_db_transaction() when a set of
 * batches must land together, and retry the whole set on a transient error.
 */
#pragma once

#include <glib.h>

#include "tu-db.h"

G_BEGIN_DECLS

typedef enum {
	TU_WRITER_INSERT,	 /* plain INSERT: duplicates are an error */
	TU_WRITER_INSERT_IGNORE, /* keep the existing row on a duplicate key */
	TU_WRITER_UPSERT,	 /* INSERT ... ON DUPLICATE KEY UPDATE the update columns */
} TuWriterMode;

typedef enum {
	TU_WRITER_METHOD_AUTO,	    /* LOAD DATA where the mode allows it, else INSERT */
	TU_WRITER_METHOD_INSERT,    /* multi-row INSERT statements */
	TU_WRITER_METHOD_LOAD_DATA, /* LOAD DATA LOCAL INFILE from memory (not for UPSERT) */
} TuWriterMethod;

typedef struct _TuWriter TuWriter;

/* @columns: NULL-terminated column names (fixed strings in the code).
 * @update_columns: for TU_WRITER_UPSERT, the NULL-terminated columns to overwrite on a
 * duplicate key; NULL: all of @columns. (transfer full) */
TuWriter *tu_writer_new (TuDb *db, const char *table, const char *const *columns,
			 TuWriterMode mode, const char *const *update_columns);
void tu_writer_free (TuWriter *writer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuWriter, tu_writer_free)

void tu_writer_set_method (TuWriter *writer, TuWriterMethod method);
void tu_writer_set_batch_rows (TuWriter *writer, guint rows);

/* A value of @column that every row of the next batches has, sent once a batch instead of in
 * each row: LOAD DATA takes it as "SET column = value" (the server then neither reads nor
 * parses it row by row: measured, a tenth of the server's work for an installation row whose
 * two times and two scan ids are the host's); an INSERT batch repeats it in each row. Not for
 * UPSERT. Set it while no row is buffered (after tu_writer_new or a flush); a later call for
 * the same column replaces the value. @value NULL: SQL NULL. */
void tu_writer_set_const_str (TuWriter *writer, const char *column, const char *value);
void tu_writer_set_const_uint (TuWriter *writer, const char *column, guint64 value);

/* Values of the current row, in column order (the constant columns are not among them). */
void tu_writer_add_str (TuWriter *writer, const char *value); /* NULL: SQL NULL */
void tu_writer_add_int (TuWriter *writer, gint64 value);
void tu_writer_add_uint (TuWriter *writer, guint64 value);
void tu_writer_add_double (TuWriter *writer, double value);
void tu_writer_add_null (TuWriter *writer);
/* The value, or NULL when @present is FALSE (unknown, none). */
void tu_writer_add_int_or_null (TuWriter *writer, gint64 value, gboolean present);
/* A Julian day as 'YYYY-MM-DD', or NULL for 0 (no date). */
void tu_writer_add_date (TuWriter *writer, guint32 julian);
/* A raw SQL expression for INSERT batches only (UTC_TIMESTAMP(6)); must be a fixed string. */
void tu_writer_add_expr (TuWriter *writer, const char *fixed_sql);

/* Close the row; flushes when the batch is full. */
gboolean tu_writer_end_row (TuWriter *writer, GError **error);
/* Write what is buffered. */
gboolean tu_writer_flush (TuWriter *writer, GError **error);
/* Forget what is buffered (after a rolled-back transaction, before a retry). */
void tu_writer_reset (TuWriter *writer);

guint64 tu_writer_rows_written (TuWriter *writer);

G_END_DECLS
