/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SSH transport: the system ssh client in BatchMode (the user's keys and known_hosts; no
 * password or host-key prompts; an unknown host key is an error unless the config accepts new
 * keys), one POSIX sh collector script on the remote's standard input, its framed output
 * turned into a snapshot filesystem, and the same sources as every other target run on it.
 * Nothing is installed on the target. A watchdog kills ssh when the per-host timeout passes.
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "tu-common.h"
#include "tu-scan.h"
#include "tu-sources.h"
#include "tu-scanner-resources.h"

#define MAX_STREAM_BYTES (2048u * 1024u * 1024u)

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
	GSubprocess *proc;
	guint timeout;
	GMutex lock;
	GCond cond;
	gboolean done;
	gboolean fired;
} Watchdog;

static gpointer
watchdog_thread (gpointer data)
{
	Watchdog *w = data;
	gint64 deadline = g_get_monotonic_time () + (gint64) w->timeout * G_USEC_PER_SEC;
	g_mutex_lock (&w->lock);
	while (!w->done) {
		if (!g_cond_wait_until (&w->cond, &w->lock, deadline)) {
			w->fired = TRUE;
			g_subprocess_force_exit (w->proc);
			break;
		}
	}
	g_mutex_unlock (&w->lock);
	return NULL;
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

	g_autoptr(GSubprocess) proc = g_subprocess_newv ((const char *const *) argv->pdata,
							 G_SUBPROCESS_FLAGS_STDIN_PIPE |
								 G_SUBPROCESS_FLAGS_STDOUT_PIPE |
								 G_SUBPROCESS_FLAGS_STDERR_PIPE,
							 &scan->error);
	if (proc == NULL) {
		g_prefix_error (&scan->error, "%s: cannot run ssh: ", t.host);
		g_bytes_unref (script);
		ssh_target_clear (&t);
		return scan;
	}
	Watchdog w = {.proc = proc, .timeout = options->timeout};
	g_mutex_init (&w.lock);
	g_cond_init (&w.cond);
	GThread *dog = options->timeout ? g_thread_new ("ssh-watchdog", watchdog_thread, &w) : NULL;
	g_autoptr(GBytes) out = NULL;
	g_autoptr(GBytes) err = NULL;
	gboolean ok = g_subprocess_communicate (proc, script, options->cancellable, &out, &err, &error);
	g_bytes_unref (script);
	if (dog != NULL) {
		g_mutex_lock (&w.lock);
		w.done = TRUE;
		g_cond_signal (&w.cond);
		g_mutex_unlock (&w.lock);
		g_thread_join (dog);
	}
	g_mutex_clear (&w.lock);
	g_cond_clear (&w.cond);

	if (w.fired) {
		g_set_error (&scan->error, TU_ERROR, TU_ERROR_TIMEOUT, "%s: timed out after %u s",
			     t.host, options->timeout);
	} else if (!ok) {
		g_propagate_prefixed_error (&scan->error, g_steal_pointer (&error), "%s: ", t.host);
	} else if (!g_subprocess_get_if_exited (proc) || g_subprocess_get_exit_status (proc) != 0) {
		g_autofree char *why = err ? last_line (g_bytes_get_data (err, NULL)) : NULL;
		int status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
		g_set_error (&scan->error, TU_ERROR, TU_ERROR_IO, "%s: %s", t.host,
			     why ? why
				 : status == 255 ? "ssh failed (unreachable, refused or not authorised)"
						 : "the collector failed");
	} else if (g_bytes_get_size (out) > MAX_STREAM_BYTES) {
		g_set_error (&scan->error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: the collector sent more than %u MB", t.host, MAX_STREAM_BYTES >> 20);
	} else {
		g_autoptr(TuFs) fs = tu_fs_new_snapshot (t.host);
		if (parse_stream (g_bytes_get_data (out, NULL), g_bytes_get_size (out), token, fs, scan,
				  &scan->error)) {
			facts_from_commands (fs, &scan->facts);
			tu_scan_fs (fs, scan, options);
			if (scan->facts.hostname == NULL)
				tu_host_facts_set (&scan->facts.hostname, t.host);
		} else {
			g_prefix_error (&scan->error, "%s: ", t.host);
		}
	}
	ssh_target_clear (&t);
	return scan;
}
