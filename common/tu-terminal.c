/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trueup's diagnostics stream and fd 2's diversion to the server log; see tu-terminal.h.
 * The terminal stream is unbuffered like stderr, so that messages and the server's lines keep
 * their order in a shared log when standard error is itself redirected to a file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "tu-error.h"
#include "tu-terminal.h"

static FILE *terminal;
static int terminal_fd = -1;

FILE *
tu_terminal (void)
{
	return terminal != NULL ? terminal : stderr;
}

int
tu_terminal_fd (void)
{
	return terminal_fd >= 0 ? terminal_fd : STDERR_FILENO;
}

static void
printerr_to_terminal (const char *message)
{
	fputs (message, tu_terminal ());
}

gboolean
tu_terminal_divert (const char *log_path, GError **error)
{
	if (terminal != NULL)
		return TRUE;
	int log_fd = open (log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (log_fd < 0) {
		int saved = errno;
		g_set_error (error, TU_ERROR, TU_ERROR_IO, "cannot open the server log %s: %s",
			     log_path, g_strerror (saved));
		return FALSE;
	}
	fflush (stderr);
	int saved_fd = fcntl (STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	FILE *f = saved_fd >= 0 ? fdopen (saved_fd, "w") : NULL;
	if (f == NULL) {
		int saved = errno;
		if (saved_fd >= 0)
			close (saved_fd);
		close (log_fd);
		g_set_error (error, TU_ERROR, TU_ERROR_IO, "cannot keep standard error: %s",
			     g_strerror (saved));
		return FALSE;
	}
	setvbuf (f, NULL, _IONBF, 0);
	dup2 (log_fd, STDERR_FILENO);
	close (log_fd);
	terminal = f;
	terminal_fd = saved_fd;
	g_set_printerr_handler (printerr_to_terminal);
	return TRUE;
}
