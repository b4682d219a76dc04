/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SSH transport against hostile remotes, played by a fake `ssh` first on PATH (a shell
 * script written into a temporary directory): a remote that streams without end is cut at
 * the byte cap while reading; one that hangs, with children holding the pipes (in ssh's
 * process group or escaped from it with setsid), is stopped at the deadline with its group
 * killed; a cancel stops it at once; and host facts with terminal escapes and invalid UTF-8
 * are cleaned as records are.
 */
#include <errno.h>
#include <gio/gio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "tu-common.h"
#include "tu-scan.h"
#include "tu-test-util.h"

static char *fake_dir;

/* The fake takes the remote command line as its last argument: "sh -s -- TOKEN GLOB...". */
static void
write_fake (const char *body)
{
	g_autofree char *path = g_build_filename (fake_dir, "ssh", NULL);
	g_autofree char *script = g_strdup_printf ("#!/bin/sh\n"
						   "for a; do last=$a; done\n"
						   "set -- $last\n"
						   "T=$4\n"
						   "cat > /dev/null\n"
						   "%s\n",
						   body);
	g_assert_true (g_file_set_contents (path, script, -1, NULL));
	g_assert_cmpint (g_chmod (path, 0755), ==, 0);
}

static TuHostScan *
scan_with (guint timeout, gsize cap, GCancellable *cancellable, double *seconds)
{
	TuScanOptions o = {.timeout = timeout, .no_binaries = TRUE, .ssh_max_bytes = cap,
			   .cancellable = cancellable};
	double t0 = tu_now_seconds ();
	TuHostScan *scan = tu_scan_ssh ("fake.example", &o);
	*seconds = tu_now_seconds () - t0;
	return scan;
}

static gboolean
has_control_or_invalid (const char *s)
{
	if (s == NULL)
		return FALSE;
	if (!g_utf8_validate (s, -1, NULL))
		return TRUE;
	for (const char *p = s; *p; p++) {
		if ((guchar) *p < 0x20 || *p == 0x7f)
			return TRUE;
	}
	return FALSE;
}

static void
test_hostile_facts (void)
{
	write_fake ("printf '@@%s file /.trueup/cmd/hostname\\n\\033]0;owned\\007web\\033[2J\\37701\\n@@%s end\\n' $T $T\n"
		    "printf '@@%s file /etc/os-release\\nID=debian\\nPRETTY_NAME=\"Debian \\033[31mred\\377\"\\n\\n@@%s end\\n' $T $T\n"
		    "printf '@@%s file /.trueup/cmd/uname-m\\nx86_64\\033[0m\\n@@%s end\\n' $T $T");
	double secs;
	g_autoptr(TuHostScan) scan = scan_with (30, 0, NULL, &secs);
	g_assert_no_error (scan->error);
	g_assert_nonnull (scan->facts.hostname);
	g_test_message ("hostname '%s', pretty '%s'", scan->facts.hostname, scan->facts.os_pretty);
	g_assert_false (has_control_or_invalid (scan->facts.hostname));
	g_assert_false (has_control_or_invalid (scan->facts.os_pretty));
	g_assert_false (has_control_or_invalid (scan->facts.arch));
	g_assert_nonnull (strstr (scan->facts.hostname, "web"));
	g_assert_nonnull (strstr (scan->facts.os_pretty, "red"));
}

static void
test_output_cap (void)
{
	/* a valid first frame, then bytes without end */
	write_fake ("printf '@@%s file /etc/hostname\\nweb01\\n@@%s end\\n' $T $T\n"
		    "exec cat /dev/zero");
	double secs;
	g_autoptr(TuHostScan) scan = scan_with (60, 4 * 1024 * 1024, NULL, &secs);
	g_assert_nonnull (scan->error);
	g_test_message ("%.2f s: %s", secs, scan->error->message);
	g_assert_nonnull (strstr (scan->error->message, "more than 4 MB"));
	g_assert_cmpfloat (secs, <, 30);
}

static gboolean
is_gone (const char *pid_file)
{
	g_autofree char *text = NULL;
	if (!g_file_get_contents (pid_file, &text, NULL, NULL))
		return FALSE;
	g_autofree char *stat_path = g_strdup_printf ("/proc/%s/stat", g_strstrip (text));
	g_autofree char *stat = NULL;
	for (int i = 0; i < 50; i++) {
		g_clear_pointer (&stat, g_free);
		if (!g_file_get_contents (stat_path, &stat, NULL, NULL))
			return TRUE;
		const char *close = strrchr (stat, ')');
		if (close != NULL && close[1] == ' ' && (close[2] == 'Z' || close[2] == 'X'))
			return TRUE; /* killed; waiting for its reaper */
		g_usleep (100000);
	}
	return FALSE;
}

static void
kill_from (const char *pid_file)
{
	g_autofree char *text = NULL;
	if (g_file_get_contents (pid_file, &text, NULL, NULL)) {
		gint64 pid = g_ascii_strtoll (text, NULL, 10);
		if (pid > 1)
			kill ((pid_t) pid, SIGKILL);
	}
}

/* A ProxyCommand-like child that keeps the pipes, and ssh itself hanging: the deadline kills
 * the group and the scan ends on time, saying so. */
static void
test_timeout_kills_group (void)
{
	g_autofree char *pid_file = g_build_filename (fake_dir, "child.pid", NULL);
	g_autofree char *body = g_strdup_printf ("sleep 300 & echo $! > '%s'\nexec sleep 300",
						 pid_file);
	write_fake (body);
	double secs;
	g_autoptr(TuHostScan) scan = scan_with (2, 0, NULL, &secs);
	g_assert_error (scan->error, TU_ERROR, TU_ERROR_TIMEOUT);
	g_test_message ("%.2f s: %s", secs, scan->error->message);
	g_assert_nonnull (strstr (scan->error->message, "timed out after 2 s"));
	g_assert_cmpfloat (secs, <, 4.5);
	gboolean gone = is_gone (pid_file);
	kill_from (pid_file);
	g_assert_true (gone);
}

/* A child that left the group (setsid) cannot be killed with it, but it no longer keeps the
 * scan alive: reading stops at the deadline. */
static void
test_timeout_escaped_child (void)
{
	g_autofree char *pid_file = g_build_filename (fake_dir, "escaped.pid", NULL);
	g_autofree char *body = g_strdup_printf (
		"setsid sh -c 'echo $$ > \"%s\"; exec sleep 300' &\nsleep 0.2\nexit 0", pid_file);
	write_fake (body);
	double secs;
	g_autoptr(TuHostScan) scan = scan_with (2, 0, NULL, &secs);
	kill_from (pid_file);
	g_assert_nonnull (scan->error);
	g_test_message ("%.2f s: %s", secs, scan->error->message);
	g_assert_cmpfloat (secs, <, 4.5);
}

static gboolean
cancel_cb (gpointer data)
{
	g_cancellable_cancel (data);
	return G_SOURCE_REMOVE;
}

static gpointer
cancel_later (gpointer data)
{
	g_usleep (500000);
	cancel_cb (data);
	return NULL;
}

/* No deadline at all (--timeout 0): a cancel (the first SIGTERM) still stops a hung host. */
static void
test_cancel_stops_hung_host (void)
{
	write_fake ("exec sleep 300");
	g_autoptr(GCancellable) c = g_cancellable_new ();
	GThread *t = g_thread_new ("cancel", cancel_later, c);
	double secs;
	g_autoptr(TuHostScan) scan = scan_with (0, 0, c, &secs);
	g_thread_join (t);
	g_assert_error (scan->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_cmpfloat (secs, <, 3);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	fake_dir = tu_test_mkdtemp ();
	g_autofree char *path = g_strdup_printf ("%s:%s", fake_dir, g_getenv ("PATH"));
	g_setenv ("PATH", path, TRUE);
	g_test_add_func ("/ssh/hostile-facts", test_hostile_facts);
	g_test_add_func ("/ssh/output-cap", test_output_cap);
	g_test_add_func ("/ssh/timeout-kills-group", test_timeout_kills_group);
	g_test_add_func ("/ssh/timeout-escaped-child", test_timeout_escaped_child);
	g_test_add_func ("/ssh/cancel-stops-hung-host", test_cancel_stops_hung_host);
	int rc = g_test_run ();
	tu_test_rmtree (fake_dir);
	g_free (fake_dir);
	return rc;
}
