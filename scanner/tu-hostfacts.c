/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host facts from a target's files: os-release, machine-id, hostname, and on live systems
 * (the local root and SSH snapshots, never a disk image) /proc/cpuinfo, /proc/meminfo, the
 * kernel release and DMI. What cannot be read stays unknown (-1 / NULL): licence metrics
 * must never mistake "unknown" for 0.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-scan.h"

static char *
read_small (TuFs *fs, const char *path)
{
	g_autoptr(GBytes) b = tu_fs_read (fs, path, 1024 * 1024, NULL);
	if (b == NULL)
		return NULL;
	return tu_scan_clean_field (g_bytes_get_data (b, NULL), (gssize) g_bytes_get_size (b));
}

static char *
first_line (TuFs *fs, const char *path)
{
	g_autoptr(GBytes) b = tu_fs_read (fs, path, 1024 * 1024, NULL);
	if (b == NULL)
		return NULL;
	const char *d = g_bytes_get_data (b, NULL);
	gsize n = g_bytes_get_size (b);
	const char *nl = memchr (d, '\n', n);
	g_autofree char *l = tu_scan_clean_field (d, nl ? nl - d : (gssize) n);
	g_strstrip (l);
	return *l ? g_steal_pointer (&l) : NULL;
}

/* os-release values: VALUE, "VALUE" or 'VALUE' with \ escapes in double quotes */
static char *
unquote (const char *v)
{
	gsize n = strlen (v);
	if (n >= 2 && ((v[0] == '"' && v[n - 1] == '"') || (v[0] == '\'' && v[n - 1] == '\''))) {
		GString *out = g_string_new (NULL);
		for (gsize i = 1; i + 1 < n; i++) {
			if (v[0] == '"' && v[i] == '\\' && i + 2 < n)
				i++;
			g_string_append_c (out, v[i]);
		}
		return g_string_free (out, FALSE);
	}
	return g_strdup (v);
}

void
tu_host_facts_parse_os_release (const char *buf, gsize len, TuHostFacts *f)
{
	g_autofree char *text = tu_utf8_clean (buf, (gssize) len, 1024 * 1024, NULL);
	/* tu_utf8_clean drops control characters, newlines included: split the raw text */
	g_autofree char *copy = g_strndup (buf, len);
	g_auto(GStrv) lines = g_strsplit_set (copy, "\r\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		char *eq = strchr (lines[i], '=');
		if (eq == NULL || lines[i][0] == '#')
			continue;
		*eq = '\0';
		g_autofree char *key = g_strstrip (g_strdup (lines[i]));
		g_autofree char *raw = g_strstrip (g_strdup (eq + 1));
		g_autofree char *uq = unquote (raw);
		g_autofree char *value = tu_scan_clean_field (uq, -1);
		if (g_strcmp0 (key, "ID") == 0)
			tu_host_facts_set (&f->os_id, value);
		else if (g_strcmp0 (key, "ID_LIKE") == 0)
			tu_host_facts_set (&f->os_like, value);
		else if (g_strcmp0 (key, "NAME") == 0)
			tu_host_facts_set (&f->os_name, value);
		else if (g_strcmp0 (key, "VERSION") == 0)
			tu_host_facts_set (&f->os_version, value);
		else if (g_strcmp0 (key, "VERSION_ID") == 0)
			tu_host_facts_set (&f->os_version_id, value);
		else if (g_strcmp0 (key, "PRETTY_NAME") == 0)
			tu_host_facts_set (&f->os_pretty, value);
	}
	(void) text;
}

void
tu_host_facts_parse_cpuinfo (const char *buf, gsize len, TuHostFacts *f)
{
	g_autofree char *copy = g_strndup (buf, len);
	g_auto(GStrv) lines = g_strsplit (copy, "\n", -1);
	g_autoptr(GHashTable) sockets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) cores_per_socket = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
									 NULL);
	g_autoptr(GHashTable) core_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	gint processors = 0;
	gboolean hypervisor = FALSE, saw_flags = FALSE;
	char *cur_socket = NULL;
	for (guint i = 0; lines[i] != NULL; i++) {
		char *colon = strchr (lines[i], ':');
		if (colon == NULL)
			continue;
		*colon = '\0';
		g_autofree char *key = g_strstrip (g_strdup (lines[i]));
		g_autofree char *value = g_strstrip (g_strdup (colon + 1));
		if (g_strcmp0 (key, "processor") == 0) {
			processors++;
			cur_socket = NULL;
		} else if (g_strcmp0 (key, "physical id") == 0) {
			g_hash_table_add (sockets, g_strdup (value));
			cur_socket = g_hash_table_lookup (sockets, value);
		} else if (g_strcmp0 (key, "core id") == 0 && cur_socket != NULL) {
			g_hash_table_add (core_ids, g_strdup_printf ("%s/%s", cur_socket, value));
		} else if (g_strcmp0 (key, "cpu cores") == 0 && cur_socket != NULL) {
			g_hash_table_replace (cores_per_socket, g_strdup (cur_socket),
					      GINT_TO_POINTER ((gint) g_ascii_strtoll (value, NULL, 10)));
		} else if ((g_strcmp0 (key, "model name") == 0 || g_strcmp0 (key, "Model") == 0) &&
			   f->cpu_model == NULL) {
			tu_host_facts_set (&f->cpu_model, value);
		} else if (g_strcmp0 (key, "flags") == 0 || g_strcmp0 (key, "Features") == 0) {
			saw_flags = TRUE;
			g_auto(GStrv) flags = g_strsplit (value, " ", -1);
			if (g_strv_contains ((const char *const *) flags, "hypervisor"))
				hypervisor = TRUE;
		}
	}
	if (processors > 0)
		f->threads = processors;
	if (g_hash_table_size (sockets) > 0) {
		f->sockets = (gint) g_hash_table_size (sockets);
		gint total = 0;
		GHashTableIter iter;
		gpointer k, v;
		g_hash_table_iter_init (&iter, cores_per_socket);
		while (g_hash_table_iter_next (&iter, &k, &v))
			total += GPOINTER_TO_INT (v);
		if (total > 0)
			f->cores = total;
		else if (g_hash_table_size (core_ids) > 0)
			f->cores = (gint) g_hash_table_size (core_ids);
	}
	if (saw_flags && hypervisor)
		f->is_virtual = 1;
	else if (saw_flags && f->is_virtual < 0)
		f->is_virtual = 0;
}

static void
detect_virtual (TuFs *fs, TuHostFacts *f)
{
	static const struct {
		const char *needle;
		const char *name;
	} known[] = {
		{"KVM", "kvm"},		    {"QEMU", "kvm"},	       {"VMware", "vmware"},
		{"VirtualBox", "virtualbox"}, {"innotek", "virtualbox"}, {"Xen", "xen"},
		{"HVM domU", "xen"},	    {"Virtual Machine", "hyperv"}, {"Microsoft Corporation", "hyperv"},
		{"Amazon EC2", "kvm"},	    {"Google Compute Engine", "kvm"}, {"OpenStack", "kvm"},
		{"Parallels", "parallels"}, {"BHYVE", "bhyve"},
	};
	const char *fields[] = {f->dmi_vendor, f->dmi_model};
	for (guint i = 0; i < G_N_ELEMENTS (fields); i++) {
		for (guint k = 0; fields[i] != NULL && k < G_N_ELEMENTS (known); k++) {
			if (strstr (fields[i], known[k].needle) != NULL) {
				f->is_virtual = 1;
				if (f->hypervisor == NULL)
					f->hypervisor = g_strdup (known[k].name);
			}
		}
	}
	if (tu_fs_is_file (fs, ".dockerenv") || tu_fs_is_file (fs, "run/.containerenv")) {
		f->is_virtual = 1;
		if (f->hypervisor == NULL)
			f->hypervisor = g_strdup ("container");
	}
}

static gint64
meminfo_total (const char *buf, gsize len)
{
	g_autofree char *copy = g_strndup (buf, len);
	const char *p = strstr (copy, "MemTotal:");
	if (p == NULL)
		return -1;
	p += 9;
	while (*p == ' ' || *p == '\t')
		p++;
	guint64 kib = g_ascii_strtoull (p, NULL, 10);
	return kib > 0 ? (gint64) kib * 1024 : -1;
}

void
tu_host_facts_from_fs (TuFs *fs, TuHostFacts *f)
{
	g_autoptr(GBytes) osr = tu_fs_read (fs, "etc/os-release", 1024 * 1024, NULL);
	if (osr == NULL)
		osr = tu_fs_read (fs, "usr/lib/os-release", 1024 * 1024, NULL);
	if (osr != NULL)
		tu_host_facts_parse_os_release (g_bytes_get_data (osr, NULL), g_bytes_get_size (osr), f);
	if (f->os_version_id == NULL && g_strcmp0 (f->os_id, "debian") == 0) {
		/* os-release of Debian testing has no VERSION_ID; debian_version says "12.5" */
		g_autofree char *dv = first_line (fs, "etc/debian_version");
		if (dv != NULL && g_ascii_isdigit (dv[0])) {
			char *dot = strchr (dv, '.');
			if (dot)
				*dot = '\0';
			tu_host_facts_set (&f->os_version_id, dv);
		}
	}
	g_autofree char *mid = first_line (fs, "etc/machine-id");
	if (mid == NULL || strlen (mid) < 16 || g_strcmp0 (mid, "uninitialized") == 0) {
		g_free (mid);
		mid = first_line (fs, "var/lib/dbus/machine-id");
	}
	if (mid != NULL && strlen (mid) >= 16 && g_strcmp0 (mid, "uninitialized") != 0)
		tu_host_facts_set (&f->machine_id, mid);
	g_autofree char *hostname = first_line (fs, "etc/hostname");
	if (hostname != NULL && f->hostname == NULL)
		tu_host_facts_set (&f->hostname, hostname);

	/* live systems only: a disk image's /proc and /sys are not its hardware */
	if (tu_fs_root (fs) != NULL && !tu_fs_is_local_root (fs)) {
		detect_virtual (fs, f);
		return;
	}
	g_autofree char *kernel = first_line (fs, "proc/sys/kernel/osrelease");
	if (kernel != NULL)
		tu_host_facts_set (&f->kernel, kernel);
	g_autoptr(GBytes) cpu = tu_fs_read (fs, "proc/cpuinfo", 16 * 1024 * 1024, NULL);
	if (cpu != NULL)
		tu_host_facts_parse_cpuinfo (g_bytes_get_data (cpu, NULL), g_bytes_get_size (cpu), f);
	g_autoptr(GBytes) mem = tu_fs_read (fs, "proc/meminfo", 1024 * 1024, NULL);
	if (mem != NULL)
		f->memory_bytes = meminfo_total (g_bytes_get_data (mem, NULL), g_bytes_get_size (mem));
	g_autofree char *vendor = first_line (fs, "sys/class/dmi/id/sys_vendor");
	g_autofree char *model = first_line (fs, "sys/class/dmi/id/product_name");
	g_autofree char *serial = first_line (fs, "sys/class/dmi/id/product_serial");
	tu_host_facts_set (&f->dmi_vendor, vendor);
	tu_host_facts_set (&f->dmi_model, model);
	tu_host_facts_set (&f->dmi_serial, serial);
	detect_virtual (fs, f);
	g_free (read_small (fs, "proc/version")); /* nothing kept: kernel release is enough */
}
