/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SSH transport: the system ssh client in BatchMode (the user's keys and known_hosts; no
 * password or host-key prompts; an unknown host key is an error unless the config accepts new
 * keys), one POSIX sh collector script on the remote's standard input, its framed output
 * turned into a snapshot filesystem, and the same sources as every other target run on it.
 * Nothing is installed on the target.
 *
 * The remote is not trusted: ssh runs in a process group of its own (with a ProxyCommand and
 * whatever it starts), its output is read here with poll() against the per-host deadline, the
 * caller's cancellable and a byte cap, and at any of the three the whole group is killed and
 * reading stops, even when a child that left the group still holds the pipes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tu-common.h"
#include "tu-scan.h"
#include "tu-sources.h"
#include "tu-scanner-resources.h"

#define MAX_STREAM_BYTES (2048u * 1024u * 1024u)
#define MAX_STDERR_BYTES (64u * 1024u)

typedef struct {
	char *user;
	char *host;
	guint port;
} SshTarget;

static void
ssh_target_clear (SshTarget *t)
{
	g_free (t->user);
	g_free (t->host);
}

/* "[ssh://][USER@]HOST[:PORT]", "[v6addr]:port" */
static gboolean
parse_spec (const char *spec, SshTarget *t, GError **error)
{
	memset (t, 0, sizeof *t);
	const char *p = g_str_has_prefix (spec, "ssh://") ? spec + 6 : spec;
	g_autofree char *s = g_strdup (p);
	char *slash = strchr (s, '/');
	if (slash != NULL)
		*slash = '\0';
	char *at = strrchr (s, '@');
	char *host = s;
	if (at != NULL) {
		*at = '\0';
		t->user = g_strdup (s);
		host = at + 1;
	}
	char *port = NULL;
	if (host[0] == '[') {
		char *close = strchr (host, ']');
		if (close == NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "ssh target %s: unbalanced '['", spec);
			return FALSE;
		}
		*close = '\0';
		if (close[1] == ':')
			port = close + 2;
		host++;
	} else {
		char *colon = strchr (host, ':');
		if (colon != NULL) {
			*colon = '\0';
			port = colon + 1;
		}
	}
	if (*host == '\0' || host[0] == '-' || (t->user != NULL && (t->user[0] == '-' || *t->user == '\0'))) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "ssh target %s: no host name", spec);
		return FALSE;
	}
	for (const char *c = host; *c; c++) {
		if (!g_ascii_isalnum (*c) && strchr ("-._:%", *c) == NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
				     "ssh target %s: \"%s\" is not a host name", spec, host);
			return FALSE;
		}
	}
	t->host = g_strdup (host);
	if (port != NULL) {
		guint64 v = 0;
		if (!g_ascii_string_to_unsigned (port, 10, 1, 65535, &v, NULL)) {
			g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "ssh target %s: bad port \"%s\"",
				     spec, port);
			return FALSE;
		}
		t->port = (guint) v;
	}
	return TRUE;
}

/* Parse the collector's frames into @fs. */
static gboolean
parse_stream (const char *buf, gsize len, const char *token, TuFs *fs, TuHostScan *scan,
	      GError **error)
{
	g_autofree char *head = g_strdup_printf ("@@%s ", token);
	g_autofree char *end_marker = g_strdup_printf ("\n@@%s end\n", token);
	gsize head_len = strlen (head), end_len = strlen (end_marker);
	const char *p = buf, *end = buf + len;
	guint n_files = 0;
	while (p < end) {
		const char *nl = memchr (p, '\n', (gsize) (end - p));
		if (nl == NULL)
			break;
		if ((gsize) (nl - p) < head_len || memcmp (p, head, head_len) != 0) {
			/* noise before the first frame (a login banner on stdout): skip the line */
			p = nl + 1;
			continue;
		}
		g_autofree char *line = g_strndup (p + head_len, (gsize) (nl - p - head_len));
		p = nl + 1;
		if (g_str_has_prefix (line, "skip ")) {
			tu_host_scan_warn (scan, "%s: too large to collect, skipped", line + 5);
			continue;
		}
		if (!g_str_has_prefix (line, "file ")) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "collector output: unexpected frame \"%.40s\"", line);
			return FALSE;
		}
		const char *path = line + 5;
		const char *stop = g_strstr_len (p, end - p, end_marker);
		/* a file ending exactly where the stream does: its marker lost (timeout, cut) */
		if (stop == NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "collector output ends inside %s: the connection was cut", path);
			return FALSE;
		}
		g_autoptr(GBytes) data = g_bytes_new (p, (gsize) (stop - p));
		tu_fs_snapshot_add (fs, path[0] == '/' ? path + 1 : path, data);
		n_files++;
		p = stop + end_len;
	}
	if (n_files == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "the collector sent nothing: is /bin/sh a POSIX shell on the host?");
		return FALSE;
	}
	return TRUE;
}

typedef struct {
	GByteArray *out;
	GByteArray *err;
	int status;	     /* waitpid status of ssh */
	gboolean timed_out;
	gboolean cancelled;
	gboolean too_big;
} SshRun;

static void
ssh_run_clear (SshRun *r)
{
	if (r->out != NULL)
		g_byte_array_unref (r->out);
	if (r->err != NULL)
		g_byte_array_unref (r->err);
}

/* In the child, before exec: a process group of its own (so that the deadline can kill ssh,
 * its ProxyCommand and their children at once) and the signals the CLI blocks unblocked. */
static void
child_setup (gpointer data)
{
	(void) data;
	setpgid (0, 0);
	sigset_t none;
	sigemptyset (&none);
	pthread_sigmask (SIG_SETMASK, &none, NULL);
}

/* Write what fits of @data to a pipe whose reader may be gone, without SIGPIPE killing us. */
static ssize_t
write_no_sigpipe (int fd, const guint8 *data, gsize len)
{
	sigset_t pipe_set, old;
	sigemptyset (&pipe_set);
	sigaddset (&pipe_set, SIGPIPE);
	pthread_sigmask (SIG_BLOCK, &pipe_set, &old);
	ssize_t n = write (fd, data, len);
	int saved = errno;
	if (n < 0 && saved == EPIPE) {
		/* consume the SIGPIPE raised for this thread before unblocking */
		struct timespec zero = {0, 0};
		while (sigtimedwait (&pipe_set, NULL, &zero) > 0)
			;
	}
	pthread_sigmask (SIG_SETMASK, &old, NULL);
	errno = saved;
	return n;
}

/* Append what is readable on @fd to @buf (at most @cap bytes kept); FALSE at EOF or error. */
static gboolean
drain (int fd, GByteArray *buf, gsize cap, gboolean *over)
{
	guint8 chunk[65536];
	for (;;) {
		ssize_t n = read (fd, chunk, sizeof chunk);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR;
		if (n == 0)
			return FALSE;
		if (buf->len + (gsize) n > cap) {
			*over = TRUE;
			return TRUE;
		}
		g_byte_array_append (buf, chunk, (guint) n);
	}
}

/*
 * Run @argv with @script on its standard input and collect its output, bounded by
 * @timeout_s (0: none), @cancellable and @max_out bytes of standard output. Returns FALSE
 * only when ssh cannot be started; the run's outcome is in @r.
 */
static gboolean
run_ssh (char **argv, GBytes *script, guint timeout_s, GCancellable *cancellable, gsize max_out,
	 SshRun *r, GError **error)
{
	memset (r, 0, sizeof *r);
	GPid pid = 0;
	int in_fd = -1, out_fd = -1, err_fd = -1;
	if (!g_spawn_async_with_pipes (NULL, argv, NULL,
				       G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, child_setup,
				       NULL, &pid, &in_fd, &out_fd, &err_fd, error))
		return FALSE;
	/* also from here: kill (-pid) must find the group even before the child ran setpgid */
	setpgid (pid, pid);
	r->out = g_byte_array_new ();
	r->err = g_byte_array_new ();
	for (int *fd = (int[]){in_fd, out_fd, err_fd}, i = 0; i < 3; i++)
		fcntl (fd[i], F_SETFL, fcntl (fd[i], F_GETFL) | O_NONBLOCK);

	gint64 deadline = timeout_s ? g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC
				    : G_MAXINT64;
	GPollFD cancel_fd = {-1, 0, 0};
	gboolean has_cancel = cancellable != NULL && g_cancellable_make_pollfd (cancellable, &cancel_fd);
	gsize script_len = 0, script_off = 0;
	const guint8 *script_data = g_bytes_get_data (script, &script_len);
	gboolean reaped = FALSE, killed = FALSE, err_over = FALSE;
	gint64 reaped_at = 0;
	while (out_fd >= 0 || err_fd >= 0 || !reaped) {
		if (g_cancellable_is_cancelled (cancellable)) {
			r->cancelled = TRUE;
			break;
		}
		gint64 now = g_get_monotonic_time ();
		if (now >= deadline) {
			r->timed_out = TRUE;
			break;
		}
		/* ssh is gone but something it started still holds the pipes: a short grace for
		 * the last bytes, then stop reading */
		if (reaped && now - reaped_at > 2 * G_USEC_PER_SEC)
			break;
		struct pollfd fds[4];
		nfds_t n = 0;
		int i_in = -1, i_out = -1, i_err = -1;
		if (in_fd >= 0) {
			i_in = (int) n;
			fds[n++] = (struct pollfd){in_fd, POLLOUT, 0};
		}
		if (out_fd >= 0) {
			i_out = (int) n;
			fds[n++] = (struct pollfd){out_fd, POLLIN, 0};
		}
		if (err_fd >= 0) {
			i_err = (int) n;
			fds[n++] = (struct pollfd){err_fd, POLLIN, 0};
		}
		if (has_cancel)
			fds[n++] = (struct pollfd){cancel_fd.fd, POLLIN, 0};
		gint64 wait_us = deadline == G_MAXINT64 ? 200000 : MIN (deadline - now, 200000);
		if (out_fd < 0 && err_fd < 0)
			wait_us = MIN (wait_us, 2000); /* only the exit status is left to collect */
		int rc = poll (fds, n, (int) ((wait_us + 999) / 1000));
		if (rc < 0 && errno != EINTR)
			break;
		if (i_in >= 0 && fds[i_in].revents != 0) {
			ssize_t w = (fds[i_in].revents & POLLOUT)
					    ? write_no_sigpipe (in_fd, script_data + script_off,
								script_len - script_off)
					    : -1;
			if (w > 0)
				script_off += (gsize) w;
			if ((w < 0 && errno != EAGAIN) || script_off == script_len) {
				close (in_fd);
				in_fd = -1;
			}
		}
		if (i_out >= 0 && fds[i_out].revents != 0) {
			if (!drain (out_fd, r->out, max_out, &r->too_big)) {
				close (out_fd);
				out_fd = -1;
			}
			if (r->too_big)
				break;
		}
		if (i_err >= 0 && fds[i_err].revents != 0) {
			/* stderr beyond the cap is read and dropped: only its last line is shown */
			if (!drain (err_fd, r->err, MAX_STDERR_BYTES, &err_over)) {
				close (err_fd);
				err_fd = -1;
			}
			if (err_over) {
				g_byte_array_remove_range (r->err, 0, r->err->len / 2);
				err_over = FALSE;
			}
		}
		if (!reaped && waitpid (pid, &r->status, WNOHANG) == pid) {
			reaped = TRUE;
			reaped_at = g_get_monotonic_time ();
		}
	}
	if (out_fd >= 0 || err_fd >= 0 || !reaped) {
		/* the deadline, a cancel, the cap, or children that outlived ssh: end the group */
		kill (-pid, SIGKILL);
		killed = TRUE;
	}
	if (has_cancel)
		g_cancellable_release_fd (cancellable);
	for (int *fd = (int[]){in_fd, out_fd, err_fd}, i = 0; i < 3; i++) {
		if (fd[i] >= 0)
			close (fd[i]);
	}
	if (!reaped) {
		while (waitpid (pid, &r->status, 0) < 0 && errno == EINTR)
			;
	}
	g_spawn_close_pid (pid);
	(void) killed;
	return TRUE;
}

static char *
last_line (const char *text)
{
	if (text == NULL)
		return NULL;
	g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
	for (gint i = (gint) g_strv_length (lines) - 1; i >= 0; i--) {
		g_strstrip (lines[i]);
		if (*lines[i] != '\0' && !g_str_has_prefix (lines[i], "Warning: Permanently added"))
			return tu_utf8_clean (lines[i], -1, 400, NULL);
	}
	return NULL;
}

static void
facts_from_commands (TuFs *fs, TuHostFacts *f)
{
	static const char *const names[] = {".trueup/cmd/hostname", ".trueup/cmd/hostname-f",
					    ".trueup/cmd/uname-m", ".trueup/cmd/ip-addr"};
	for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
		g_autoptr(GBytes) b = tu_fs_read (fs, names[i], 1024 * 1024, NULL);
		if (b == NULL)
			continue;
		g_autofree char *text = g_strndup (g_bytes_get_data (b, NULL), g_bytes_get_size (b));
		if (i < 3) {
			g_strstrip (text);
			char *nl = strchr (text, '\n');
			if (nl)
				*nl = '\0';
			if (i == 0)
				tu_host_facts_set (&f->hostname, text);
			else if (i == 1 && strchr (text, '.') != NULL)
				tu_host_facts_set (&f->fqdn, text);
			else if (i == 2)
				tu_host_facts_set (&f->arch, text);
			continue;
		}
		/* "2: eth0    inet 192.0.2.10/24 brd ..." */
		GString *ips = g_string_new (NULL);
		g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
		for (guint l = 0; lines[l] != NULL; l++) {
			g_auto(GStrv) w = g_strsplit_set (lines[l], " \t", -1);
			for (guint k = 0; w[k] != NULL; k++) {
				if ((g_strcmp0 (w[k], "inet") == 0 || g_strcmp0 (w[k], "inet6") == 0) &&
				    w[k + 1] != NULL) {
					g_autofree char *addr = g_strdup (w[k + 1]);
					char *slash = strchr (addr, '/');
					if (slash)
						*slash = '\0';
					if (g_str_has_prefix (addr, "127.") || g_strcmp0 (addr, "::1") == 0 ||
					    g_str_has_prefix (addr, "fe80:"))
						break;
					if (ips->len)
						g_string_append_c (ips, ',');
					g_string_append (ips, addr);
					break;
				}
			}
		}
		g_autofree char *s = g_string_free (ips, FALSE);
		tu_host_facts_set (&f->ip_addresses, s);
	}
}

TuHostScan *
tu_scan_ssh (const char *spec, const TuScanOptions *options)
{
	SshTarget t;
	g_autoptr(GError) error = NULL;
	if (!parse_spec (spec, &t, &error)) {
		TuHostScan *scan = tu_host_scan_new (spec);
		scan->error = g_steal_pointer (&error);
		return scan;
	}
	g_autofree char *target = g_strdup_printf ("ssh://%s%s%s%s%u", t.user ? t.user : "",
						   t.user ? "@" : "", t.host, ":", t.port ? t.port : 22);
	TuHostScan *scan = tu_host_scan_new (target);

	GBytes *script = g_resource_lookup_data (tu_scanner_get_resource (),
						 "/org/trueup/scanner/ssh-collector.sh", 0, &scan->error);
	if (script == NULL) {
		ssh_target_clear (&t);
		return scan;
	}
	g_autofree char *token = g_strdup_printf ("TU%08x%08x%08x", g_random_int (), g_random_int (),
						  g_random_int ());
	/* the remote command line, quoted for the remote shell */
	GString *remote = g_string_new ("sh -s -- ");
	g_string_append (remote, token);
	GPtrArray *globs = NULL;
	if (options->binary_rules != NULL && !options->no_binaries)
		globs = tu_binary_rules_globs (options->binary_rules);
	for (guint i = 0; globs != NULL && i < globs->len; i++) {
		g_autofree char *q = g_shell_quote (g_ptr_array_index (globs, i));
		g_string_append_c (remote, ' ');
		g_string_append (remote, q);
	}
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
	g_ptr_array_add (argv, g_strdup ("ssh"));
	g_ptr_array_add (argv, g_strdup ("-T"));
	g_ptr_array_add (argv, g_strdup ("-C"));
	g_ptr_array_add (argv, g_strdup ("-o"));
	g_ptr_array_add (argv, g_strdup ("BatchMode=yes"));
	g_ptr_array_add (argv, g_strdup ("-o"));
	g_ptr_array_add (argv, g_strdup_printf ("ConnectTimeout=%u",
						options->timeout ? MIN (options->timeout, 30u) : 15u));
	g_ptr_array_add (argv, g_strdup ("-o"));
	g_ptr_array_add (argv, g_strdup (options->ssh_accept_new_host_keys
						 ? "StrictHostKeyChecking=accept-new"
						 : "StrictHostKeyChecking=yes"));
	g_ptr_array_add (argv, g_strdup ("-o"));
	g_ptr_array_add (argv, g_strdup ("LogLevel=ERROR"));
	if (options->ssh_options != NULL) {
		g_auto(GStrv) extra = NULL;
		if (g_shell_parse_argv (options->ssh_options, NULL, &extra, NULL)) {
			for (guint i = 0; extra[i] != NULL; i++)
				g_ptr_array_add (argv, g_strdup (extra[i]));
		}
	}
	if (t.port != 0) {
		g_ptr_array_add (argv, g_strdup ("-p"));
		g_ptr_array_add (argv, g_strdup_printf ("%u", t.port));
	}
	if (t.user != NULL) {
		g_ptr_array_add (argv, g_strdup ("-l"));
		g_ptr_array_add (argv, g_strdup (t.user));
	}
	g_ptr_array_add (argv, g_strdup ("--"));
	g_ptr_array_add (argv, g_strdup (t.host));
	g_ptr_array_add (argv, g_string_free (remote, FALSE));
	g_ptr_array_add (argv, NULL);

	SshRun run;
	gsize max_out = options->ssh_max_bytes ? options->ssh_max_bytes : MAX_STREAM_BYTES;
	gboolean started = run_ssh ((char **) argv->pdata, script, options->timeout,
				    options->cancellable, max_out, &run, &scan->error);
	g_bytes_unref (script);
	if (!started) {
		g_prefix_error (&scan->error, "%s: cannot run ssh: ", t.host);
		ssh_target_clear (&t);
		return scan;
	}
	g_byte_array_append (run.err, (const guint8 *) "", 1); /* NUL-terminated for last_line */

	if (run.timed_out) {
		g_set_error (&scan->error, TU_ERROR, TU_ERROR_TIMEOUT, "%s: timed out after %u s",
			     t.host, options->timeout);
	} else if (run.cancelled) {
		g_set_error (&scan->error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s: cancelled", t.host);
	} else if (run.too_big) {
		g_set_error (&scan->error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: the collector sent more than %" G_GSIZE_FORMAT " MB; stopped reading",
			     t.host, max_out >> 20);
	} else if (!WIFEXITED (run.status) || WEXITSTATUS (run.status) != 0) {
		g_autofree char *why = last_line ((const char *) run.err->data);
		int status = WIFEXITED (run.status) ? WEXITSTATUS (run.status) : -1;
		g_set_error (&scan->error, TU_ERROR, TU_ERROR_IO, "%s: %s", t.host,
			     why ? why
				 : status == 255 ? "ssh failed (unreachable, refused or not authorised)"
						 : "the collector failed");
	} else {
		g_autoptr(TuFs) fs = tu_fs_new_snapshot (t.host);
		if (parse_stream ((const char *) run.out->data, run.out->len, token, fs, scan,
				  &scan->error)) {
			facts_from_commands (fs, &scan->facts);
			tu_scan_fs (fs, scan, options);
			if (scan->facts.hostname == NULL)
				tu_host_facts_set (&scan->facts.hostname, t.host);
		} else {
			g_prefix_error (&scan->error, "%s: ", t.host);
		}
	}
	ssh_run_clear (&run);
	ssh_target_clear (&t);
	return scan;
}
