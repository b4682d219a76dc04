/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one error domain of trueup. Codes are coarse on purpose: the message carries the
 * context (file, line, field, host), the code only decides the exit status and whether an
 * operation may be retried.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TU_ERROR (tu_error_quark ())

typedef enum {
	TU_ERROR_FAILED,	 /* anything not covered below */
	TU_ERROR_USAGE,		 /* bad option or argument: exit status 2 */
	TU_ERROR_INVALID_DATA,	 /* unparsable or inconsistent input: file, line, field */
	TU_ERROR_NOT_FOUND,	 /* a named thing does not exist */
	TU_ERROR_IO,		 /* reading or writing a file */
	TU_ERROR_DB,		 /* a server error that retrying will not fix */
	TU_ERROR_DB_TRANSIENT,	 /* deadlock, lock wait, lost connection: retry the batch */
	TU_ERROR_LOCKED,	 /* a data directory or run lock is held by another process */
	TU_ERROR_UNSUPPORTED,	 /* a format or feature this build cannot handle */
	TU_ERROR_TIMEOUT,	 /* a remote host or command took too long */
	TU_ERROR_SCHEMA_NEWER,	 /* the database was migrated by a newer trueup */
	TU_ERROR_DB_UNREACHABLE, /* every server of --db stayed unreachable past the failover
				  * window: stop the run */
	TU_ERROR_DISK_FULL,	 /* no space left for the store (ENOSPC, MariaDB 1114/1021): stop the run */
	TU_ERROR_OUT_OF_ORDER,	 /* a scan older than the host's newest stored scan: not stored */
	TU_ERROR_CLOSED_PIPE,	 /* the reader of our output went away (`trueup patch | head`) */
} TuError;

GQuark tu_error_quark (void);

G_END_DECLS
