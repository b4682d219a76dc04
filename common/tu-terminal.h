/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trueup's own diagnostics stream. The embedded MariaDB server writes its messages to file
 * descriptor 2 at any time (start-up, "Got ERROR" lines on a full disk, shutdown), under any
 * prefix. Once it runs, fd 2 points at the store's server.log for good, and trueup's own
 * messages go to tu_terminal(), a stream on the original standard error. Everything trueup
 * prints for the user goes through tu_terminal(), never through stderr directly.
 */
#pragma once

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

/* The user's standard error: stderr until tu_terminal_divert() ran. (transfer none) */
FILE *tu_terminal (void);
/* The file descriptor of tu_terminal() (for isatty). */
int tu_terminal_fd (void);

/* Point fd 2 at @log_path (appending) for the rest of the process and keep the original
 * standard error for tu_terminal(). Once per process; later calls only return TRUE. */
gboolean tu_terminal_divert (const char *log_path, GError **error);

G_END_DECLS
