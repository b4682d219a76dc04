/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * macOS: application bundles and system_profiler exports.
 *
 *  - An application bundle's Contents/Info.plist, in XML or binary ("bplist00") form, on a
 *    mounted disk or an SSH snapshot: one record per bundle. Name: CFBundleDisplayName, else
 *    CFBundleName, else CFBundleExecutable, else the bundle's folder name, else (as Syft does)
 *    CFBundleIdentifier; version: CFBundleShortVersionString, else CFBundleVersion. A bundle
 *    without any version is still an installation and is recorded without one. The
 *    identifier's organisation part ("com.tinyspeck...") names no publisher; a publisher is
 *    only taken from a copyright line (NSHumanReadableCopyright, CFBundleGetInfoString) whose
 *    holder can be read off reliably.
 *  - `system_profiler SPApplicationsDataType -json` and `-xml` output, and the JSON written
 *    by scanner/collectors/macos.sh: one host per file, with the host facts of the collector
 *    (or of SPHardwareDataType / SPSoftwareDataType sections) when present, else a host named
 *    after the file. Publishers as GLPI Agent derives them: "Apple" for Apple's own software,
 *    the Developer ID certificate's name, else the copyright holder of the "info" string.
 *  - `system_profiler SPApplicationsDataType` text output (no -json, no -xml): the same
 *    records from its indented "Name:" blocks and "Key: value" lines, but for the install date,
 *    which is the host's local date there (the text has no time zone; see below).
 *
 * Everything is first read into one small property-list tree (PlNode), whatever the syntax:
 * XML through GMarkup, binary plists through the reader below, JSON through json-glib. The
 * binary reader checks every offset, count and reference against the buffer, refuses cycles
 * and bounds depth and the number of objects decoded (a plist may share an object between
 * many parents, so a small file can describe a very large tree).
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "tu-common.h"
#include "tu-json.h"
#include "tu-plist.h"
#include "tu-sources.h"

/* ------------------------------------------------------------ publishers --------------- */

/* The holder of a copyright line, when it can be read off:
 *   "©2026 Slack Technologies LLC, a Salesforce company. All rights reserved." -> "Slack
 *   Technologies LLC"; "17.4.1, Copyright © 2003-2024 Apple Inc." -> "Apple Inc." */
static char *
copyright_holder (const char *s)
{
	if (s == NULL)
		return NULL;
	static const char *const markers[] = {"\xc2\xa9", "(c)", "(C)", "Copyright", "COPYRIGHT",
					      "copyright", NULL};
	const char *p = NULL;
	for (guint i = 0; markers[i] != NULL; i++) {
		const char *at = strstr (s, markers[i]);
		if (at != NULL && (p == NULL || at < p))
			p = at;
	}
	if (p == NULL)
		return NULL;
	/* skip markers, years ("2003-2024", "2003, 2024"), blanks and "by" */
	for (;;) {
		gboolean moved = FALSE;
		for (guint i = 0; markers[i] != NULL; i++) {
			if (g_str_has_prefix (p, markers[i])) {
				p += strlen (markers[i]);
				moved = TRUE;
			}
		}
		while (*p == ' ' || *p == '\t' || *p == ',' || *p == '-' || g_ascii_isdigit (*p) ||
		       g_str_has_prefix (p, "\xe2\x80\x93")) {
			p += g_str_has_prefix (p, "\xe2\x80\x93") ? 3 : 1;
			moved = TRUE;
		}
		if (g_ascii_strncasecmp (p, "by ", 3) == 0) {
			p += 3;
			moved = TRUE;
		}
		if (!moved)
			break;
	}
	gsize n = strcspn (p, ",;\n");
	const char *all = NULL;
	for (const char *q = p; q < p + n && all == NULL; q++) {
		if (g_ascii_strncasecmp (q, "all rights", 10) == 0)
			all = q;
	}
	if (all != NULL)
		n = (gsize) (all - p);
	g_autofree char *holder = tu_scan_clean_field (p, (gssize) n);
	g_strstrip (holder);
	gsize hl = strlen (holder);
	if (hl == 0 || hl > 128 || !g_unichar_isalpha (g_utf8_get_char (holder)))
		return NULL;
	return g_steal_pointer (&holder);
}

/* "Developer ID Application: Microsoft Corporation (UBF8T346G9)" -> "Microsoft Corporation" */
static char *
developer_id_name (const char *first)
{
	if (first == NULL || !g_str_has_prefix (first, "Developer ID Application: "))
		return NULL;
	const char *name = first + strlen ("Developer ID Application: ");
	const char *paren = strrchr (name, '(');
	gsize n = paren != NULL && paren > name ? (gsize) (paren - name) : strlen (name);
	g_autofree char *out = tu_scan_clean_field (name, (gssize) n);
	g_strstrip (out);
	return *out != '\0' ? g_steal_pointer (&out) : NULL;
}

/* "2024-02-26T05:47:45Z" -> "2024-02-26" */
static char *
date_part (const char *s)
{
	if (s == NULL || strlen (s) < 10)
		return NULL;
	for (guint i = 0; i < 10; i++) {
		if (i == 4 || i == 7 ? s[i] != '-' : !g_ascii_isdigit (s[i]))
			return NULL;
	}
	return g_strndup (s, 10);
}

/* system_profiler's arch_kind (and the runtime_environment of old releases) */
static const char *
arch_of (const TuPlistNode *item)
{
	static const struct {
		const char *kind;
		const char *arch;
	} kinds[] = {{"arch_arm_i64", "universal"}, {"arch_i32_i64", "universal"},
		     {"arch_arm", "arm64"},	    {"arch_ios", "arm64"},
		     {"arch_i64", "x86_64"},	    {"arch_i32", "i386"},
		     {"arch_ppc", "ppc"}};
	const char *kind = tu_plist_get_text (item, "arch_kind");
	for (guint i = 0; kind != NULL && i < G_N_ELEMENTS (kinds); i++) {
		if (strcmp (kind, kinds[i].kind) == 0)
			return kinds[i].arch;
	}
	const char *env = tu_plist_get_text (item, "runtime_environment");
	if (g_strcmp0 (env, "arch_x86") == 0) {
		const char *has64 = tu_plist_get_text (item, "has64BitIntelCode");
		return g_strcmp0 (has64, "yes") == 0 ? "x86_64" : "i386";
	}
	if (g_strcmp0 (env, "arch_ppc") == 0)
		return "ppc";
	if (g_strcmp0 (env, "universal") == 0) /* PowerPC and Intel in one bundle */
		return "universal";
	return NULL;
}

/* ------------------------------------------------------------ Info.plist --------------- */

/* "Applications/Slack.app/Contents/Info.plist" -> "Applications/Slack.app"; NULL otherwise */
static char *
bundle_of (const char *path)
{
	const char *suffix = "/Contents/Info.plist";
	if (!g_str_has_suffix (path, suffix))
		return NULL;
	return g_strndup (path, strlen (path) - strlen (suffix));
}

static gboolean
parse_info_plist (const guint8 *buf, gsize len, const char *path, const char *location,
		  TuHostScan *scan, GError **error)
{
	g_autoptr(TuPlistNode) root = tu_plist_parse (buf, len, path, FALSE, error);
	if (root == NULL)
		return FALSE;
	if (root->type != TU_PLIST_DICT) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:1: the property list is not a dictionary",
			     path);
		return FALSE;
	}
	g_autofree char *bundle = bundle_of (path);
	g_autofree char *folder_name = NULL;
	if (bundle != NULL) {
		g_autofree char *base = g_path_get_basename (bundle);
		if (g_str_has_suffix (base, ".app") && strlen (base) > 4)
			folder_name = g_strndup (base, strlen (base) - 4);
	}
	const char *name = tu_plist_get_text (root, "CFBundleDisplayName");
	if (name == NULL)
		name = tu_plist_get_text (root, "CFBundleName");
	if (name == NULL)
		name = tu_plist_get_text (root, "CFBundleExecutable");
	if (name == NULL)
		name = folder_name;
	if (name == NULL)
		name = tu_plist_get_text (root, "CFBundleIdentifier");
	if (name == NULL) {
		g_debug ("%s: no bundle name, executable or identifier: not an application", path);
		return TRUE;
	}
	const char *version = tu_plist_get_text (root, "CFBundleShortVersionString");
	if (version == NULL)
		version = tu_plist_get_text (root, "CFBundleVersion");
	g_autofree char *publisher =
		copyright_holder (tu_plist_get_text (root, "NSHumanReadableCopyright"));
	if (publisher == NULL)
		publisher = copyright_holder (tu_plist_get_text (root, "CFBundleGetInfoString"));
	g_autofree char *derived = NULL;
	if (location == NULL)
		location = derived = bundle ? g_strdup (bundle) : g_path_get_dirname (path);

	TuRecord r = TU_RECORD_INIT;
	r.source = TU_SOURCE_MACOS;
	r.raw_name = name;
	r.raw_version = version;
	r.raw_publisher = publisher;
	r.location = location;
	r.kind = g_str_has_prefix (location, "/System/") || g_str_has_prefix (location, "System/")
			 ? "system"
			 : NULL;
	tu_record_list_add (scan->records, &r);
	return TRUE;
}

gboolean
tu_macos_parse_info_plist (const guint8 *buf, gsize len, const char *path, TuHostScan *scan,
			   GError **error)
{
	return parse_info_plist (buf, len, path, NULL, scan, error);
}

void
tu_source_macos (TuFs *fs, TuHostScan *scan, const TuScanOptions *options)
{
	static const char *const globs[] = {"Applications/*.app/Contents/Info.plist",
					    "Applications/*/*.app/Contents/Info.plist",
					    "System/Applications/*.app/Contents/Info.plist",
					    "Users/*/Applications/*.app/Contents/Info.plist", NULL};
	for (guint i = 0; globs[i] != NULL; i++) {
		g_autoptr(GPtrArray) files = tu_fs_glob (fs, globs[i], 0);
		for (guint f = 0; f < files->len; f++) {
			const char *file = g_ptr_array_index (files, f);
			g_autoptr(GError) error = NULL;
			g_autoptr(GBytes) bytes = tu_fs_read (fs, file, TU_SCAN_MAX_META_BYTES, &error);
			if (bytes == NULL) {
				tu_host_scan_warn (scan, "%s (skipped)", error->message);
				continue;
			}
			g_autofree char *shown = tu_fs_display (fs, file);
			g_autofree char *bundle = bundle_of (file);
			g_autofree char *location = g_strdup_printf ("/%s", bundle);
			if (!parse_info_plist (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), shown,
					       location, scan, &error))
				tu_host_scan_warn (scan, "%s (skipped)", error->message);
		}
	}
}

/* ------------------------------------------------------------ system_profiler ---------- */

/* The first item of a system_profiler data type: JSON {"SPHardwareDataType": [{...}]} or
 * -xml [{"_dataType": "SPHardwareDataType", "_items": [{...}]}, ...]. */
static const TuPlistNode *
data_type_items (const TuPlistNode *root, const char *type)
{
	if (tu_plist_is (root, TU_PLIST_DICT)) {
		const TuPlistNode *a = tu_plist_get (root, type);
		return tu_plist_is (a, TU_PLIST_ARRAY) ? a : NULL;
	}
	if (!tu_plist_is (root, TU_PLIST_ARRAY))
		return NULL;
	for (guint i = 0; i < root->items->len; i++) {
		const TuPlistNode *section = g_ptr_array_index (root->items, i);
		if (g_strcmp0 (tu_plist_get_text (section, "_dataType"), type) == 0) {
			const TuPlistNode *a = tu_plist_get (section, "_items");
			return tu_plist_is (a, TU_PLIST_ARRAY) ? a : NULL;
		}
	}
	return NULL;
}

static const TuPlistNode *
first_item (const TuPlistNode *root, const char *type)
{
	const TuPlistNode *a = data_type_items (root, type);
	if (a == NULL || a->items->len == 0)
		return NULL;
	const TuPlistNode *d = g_ptr_array_index (a->items, 0);
	return tu_plist_is (d, TU_PLIST_DICT) ? d : NULL;
}

static void
set_if_unset (char **field, const char *value)
{
	if (*field == NULL && value != NULL && *value != '\0')
		tu_host_facts_set (field, value);
}

/* "16 GB", "8192 MB" -> bytes (system_profiler's units are binary) */
static gint64
memory_bytes_of (const char *s)
{
	if (s == NULL)
		return -1;
	char *end = NULL;
	guint64 v = g_ascii_strtoull (s, &end, 10);
	if (end == s || v == 0)
		return -1;
	while (*end == ' ')
		end++;
	guint shift = g_str_has_prefix (end, "TB") ? 40 : g_str_has_prefix (end, "GB") ? 30
						      : g_str_has_prefix (end, "MB") ? 20 : 0;
	if (shift == 0 || v > (guint64) G_MAXINT64 >> shift)
		return -1;
	return (gint64) (v << shift);
}

/* "proc 10:8:2" (Apple silicon: all, performance, efficiency) or an integer -> cores */
static gint
cores_of (const TuPlistNode *n)
{
	const char *s = tu_plist_text (n);
	if (s == NULL)
		return -1;
	if (g_str_has_prefix (s, "proc "))
		s += 5;
	guint64 v = g_ascii_strtoull (s, NULL, 10);
	return v > 0 && v < 100000 ? (gint) v : -1;
}

static gint
count_of (const TuPlistNode *n)
{
	const char *s = tu_plist_text (n);
	if (s == NULL)
		return -1;
	char *end = NULL;
	guint64 v = g_ascii_strtoull (s, &end, 10);
	return end != s && *end == '\0' && v > 0 && v < 1000000 ? (gint) v : -1;
}

static void
facts_from_hardware (const TuPlistNode *hw, TuHostFacts *f)
{
	if (hw == NULL)
		return;
	set_if_unset (&f->machine_id, tu_plist_get_text (hw, "platform_UUID"));
	set_if_unset (&f->dmi_serial, tu_plist_get_text (hw, "serial_number"));
	set_if_unset (&f->dmi_model, tu_plist_get_text (hw, "machine_model"));
	set_if_unset (&f->dmi_vendor, "Apple Inc.");
	const char *chip = tu_plist_get_text (hw, "chip_type");
	set_if_unset (&f->cpu_model, chip ? chip : tu_plist_get_text (hw, "cpu_type"));
	if (f->memory_bytes < 0)
		f->memory_bytes = memory_bytes_of (tu_plist_get_text (hw, "physical_memory"));
	if (f->cores < 0)
		f->cores = cores_of (tu_plist_get (hw, "number_processors"));
	if (f->sockets < 0)
		f->sockets = chip != NULL ? 1 : count_of (tu_plist_get (hw, "packages"));
	if (f->arch == NULL && chip != NULL && g_str_has_prefix (chip, "Apple "))
		tu_host_facts_set (&f->arch, "arm64");
	const char *model = tu_plist_get_text (hw, "machine_model");
	if (f->is_virtual < 0 && model != NULL) {
		static const struct {
			const char *prefix;
			const char *hypervisor;
		} virt[] = {{"VMware", "vmware"}, {"VirtualMac", "apple"}, {"Parallels", "parallels"}};
		f->is_virtual = 0;
		for (guint i = 0; i < G_N_ELEMENTS (virt); i++) {
			if (g_str_has_prefix (model, virt[i].prefix)) {
				f->is_virtual = 1;
				set_if_unset (&f->hypervisor, virt[i].hypervisor);
			}
		}
	}
}

/* "macOS 14.4.1 (23E224)", "Mac OS X 10.8.5 (12F45)" */
static void
facts_from_software (const TuPlistNode *sw, TuHostFacts *f)
{
	if (sw == NULL)
		return;
	const char *os = tu_plist_get_text (sw, "os_version");
	if (os != NULL) {
		set_if_unset (&f->os_pretty, os);
		const char *digit = os;
		while (*digit != '\0' && !g_ascii_isdigit (*digit))
			digit++;
		if (digit > os) {
			g_autofree char *name = g_strndup (os, (gsize) (digit - os));
			set_if_unset (&f->os_name, g_strstrip (name));
		}
		gsize vlen = strspn (digit, "0123456789.");
		if (vlen > 0) {
			g_autofree char *v = g_strndup (digit, vlen);
			set_if_unset (&f->os_version, v);
			set_if_unset (&f->os_version_id, v);
		}
		const char *open = strchr (digit, '(');
		const char *close = open ? strchr (open, ')') : NULL;
		if (close != NULL) {
			g_autofree char *build = g_strndup (open + 1, (gsize) (close - open - 1));
			set_if_unset (&f->os_edition, build);
		}
	}
	const char *kernel = tu_plist_get_text (sw, "kernel_version");
	if (kernel != NULL)
		set_if_unset (&f->kernel, g_str_has_prefix (kernel, "Darwin ") ? kernel + 7 : kernel);
	set_if_unset (&f->hostname, tu_plist_get_text (sw, "local_host_name"));
}

/* The "host" section of scanner/collectors/macos.sh's JSON. */
static void
facts_from_collector (const TuPlistNode *host, TuHostFacts *f)
{
	set_if_unset (&f->hostname, tu_plist_get_text (host, "hostname"));
	set_if_unset (&f->hostname, tu_plist_get_text (host, "computer_name"));
	set_if_unset (&f->fqdn, tu_plist_get_text (host, "fqdn"));
	set_if_unset (&f->machine_id, tu_plist_get_text (host, "machine_id"));
	set_if_unset (&f->dmi_serial, tu_plist_get_text (host, "serial"));
	set_if_unset (&f->dmi_model, tu_plist_get_text (host, "model"));
	set_if_unset (&f->dmi_vendor, tu_plist_get_text (host, "manufacturer"));
	set_if_unset (&f->os_name, tu_plist_get_text (host, "os_name"));
	set_if_unset (&f->os_version, tu_plist_get_text (host, "os_version"));
	set_if_unset (&f->os_version_id, tu_plist_get_text (host, "os_version"));
	set_if_unset (&f->os_edition, tu_plist_get_text (host, "os_build"));
	set_if_unset (&f->kernel, tu_plist_get_text (host, "kernel"));
	set_if_unset (&f->arch, tu_plist_get_text (host, "arch"));
	set_if_unset (&f->hypervisor, tu_plist_get_text (host, "hypervisor"));
	const TuPlistNode *mem = tu_plist_get (host, "memory_bytes");
	if (tu_plist_is (mem, TU_PLIST_INTEGER) && mem->integer > 0)
		f->memory_bytes = mem->integer;
	const TuPlistNode *virt = tu_plist_get (host, "is_virtual");
	if (tu_plist_is (virt, TU_PLIST_BOOL) || tu_plist_is (virt, TU_PLIST_INTEGER))
		f->is_virtual = virt->integer != 0;
	const TuPlistNode *cpu = tu_plist_get (host, "cpu");
	if (tu_plist_is (cpu, TU_PLIST_DICT)) {
		f->sockets = count_of (tu_plist_get (cpu, "sockets"));
		f->cores = count_of (tu_plist_get (cpu, "cores"));
		f->threads = count_of (tu_plist_get (cpu, "threads"));
		set_if_unset (&f->cpu_model, tu_plist_get_text (cpu, "model"));
	}
	const TuPlistNode *ips = tu_plist_get (host, "ip_addresses");
	if (tu_plist_is (ips, TU_PLIST_ARRAY)) {
		g_autoptr(GString) all = g_string_new (NULL);
		for (guint i = 0; i < ips->items->len; i++) {
			const char *ip = tu_plist_text (g_ptr_array_index (ips->items, i));
			if (ip == NULL || strchr (ip, ',') != NULL)
				continue;
			if (all->len > 0)
				g_string_append_c (all, ',');
			g_string_append (all, ip);
		}
		set_if_unset (&f->ip_addresses, all->str);
	}
	const TuPlistNode *sp = tu_plist_get (host, "system_profiler");
	facts_from_hardware (first_item (sp, "SPHardwareDataType"), f);
	facts_from_software (first_item (sp, "SPSoftwareDataType"), f);
}

/* GLPI Agent's test for the Windows applications Parallels shows: "^\S+, [A-Z]:\\" */
static gboolean
is_windows_app_info (const char *info)
{
	if (info == NULL)
		return FALSE;
	gsize word = strcspn (info, " \t\r\n\f\v");
	if (word < 2 || info[word - 1] != ',')
		return FALSE;
	const char *p = info + word;
	return p[0] == ' ' && p[1] >= 'A' && p[1] <= 'Z' && p[2] == ':' && p[3] == '\\';
}

/* One application of SPApplicationsDataType, whichever syntax it came in. */
typedef struct {
	const char *name;
	const char *version;
	const char *info;	  /* the "Get Info String" */
	const char *location;
	gboolean is_from_apple;	  /* obtained from Apple */
	const char *signer;	  /* the first certificate of the signature */
	const char *install_date; /* YYYY-MM-DD */
	const char *arch;
} SpApp;

static void
add_application (const SpApp *app, const char *path, TuHostScan *scan)
{
	/* Windows applications of a Parallels virtual machine ("Notepad, C:\..."): the VM's */
	if (is_windows_app_info (app->info)) {
		g_debug ("%s: %s is a Windows application of a virtual machine: skipped", path,
			 app->name);
		return;
	}
	const char *location = app->location;
	g_autofree char *publisher = NULL;
	if (app->is_from_apple ||
	    (location != NULL && (g_str_has_prefix (location, "/System/Library/CoreServices/") ||
				  g_str_has_prefix (location, "/System/Library/Frameworks/"))))
		publisher = g_strdup ("Apple");
	if (publisher == NULL)
		publisher = developer_id_name (app->signer);
	if (publisher == NULL)
		publisher = copyright_holder (app->info);

	TuRecord r = TU_RECORD_INIT;
	r.source = TU_SOURCE_MACOS;
	r.raw_name = app->name;
	r.raw_version = app->version;
	r.raw_publisher = publisher;
	r.arch = app->arch;
	r.location = location;
	r.install_date = app->install_date;
	r.kind = location != NULL && g_str_has_prefix (location, "/System/") ? "system" : NULL;
	tu_record_list_add (scan->records, &r);
}

/* One item of SPApplicationsDataType's -xml or -json array. */
static void
emit_application (const TuPlistNode *item, guint index, const char *path, TuHostScan *scan)
{
	if (!tu_plist_is (item, TU_PLIST_DICT)) {
		tu_host_scan_warn (scan,
				   "%s: SPApplicationsDataType item %u: not a dictionary (skipped)",
				   path, index);
		return;
	}
	SpApp app = {0};
	app.name = tu_plist_get_text (item, "_name");
	if (app.name == NULL) {
		tu_host_scan_warn (scan, "%s: SPApplicationsDataType item %u: no _name (skipped)",
				   path, index);
		return;
	}
	const TuPlistNode *signed_by = tu_plist_get (item, "signed_by");
	if (!tu_plist_is (signed_by, TU_PLIST_ARRAY))
		app.signer = tu_plist_text (signed_by);
	else if (signed_by->items->len > 0)
		app.signer = tu_plist_text (g_ptr_array_index (signed_by->items, 0));
	g_autofree char *date = date_part (tu_plist_get_text (item, "lastModified"));
	app.version = tu_plist_get_text (item, "version");
	app.info = tu_plist_get_text (item, "info");
	app.location = tu_plist_get_text (item, "path");
	app.is_from_apple = g_strcmp0 (tu_plist_get_text (item, "obtained_from"), "apple") == 0;
	app.install_date = date;
	app.arch = arch_of (item);
	add_application (&app, path, scan);
}

/* "mac01.json", "sample5.SPApplicationsDataType-xml" -> "mac01", "sample5" */
static char *
host_name_from_path (const char *path)
{
	g_autofree char *base = g_path_get_basename (path);
	static const char *const suffixes[] = {".json", ".xml", ".plist", ".bplist", ".spx", ".txt",
					       NULL};
	for (guint i = 0; suffixes[i] != NULL; i++) {
		if (tu_str_has_suffix_ci (base, suffixes[i]) && strlen (base) > strlen (suffixes[i])) {
			base[strlen (base) - strlen (suffixes[i])] = '\0';
			break;
		}
	}
	char *sp = strstr (base, "SPApplicationsDataType");
	if (sp != NULL && sp > base) {
		*sp = '\0';
		gsize n = strlen (base);
		while (n > 0 && (base[n - 1] == '.' || base[n - 1] == '_' || base[n - 1] == '-'))
			base[--n] = '\0';
	}
	return tu_scan_clean_field (base, -1);
}

/* An export that names no host: the host is named after the file, with a warning. */
static gboolean
name_host_after_file (TuHostScan *scan, const char *path, GError **error)
{
	if (scan->facts.hostname != NULL)
		return TRUE;
	g_autofree char *name = host_name_from_path (path);
	if (name == NULL || *name == '\0') {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: the export names no host and the file name gives none", path);
		return FALSE;
	}
	tu_host_facts_set (&scan->facts.hostname, name);
	tu_host_scan_warn (scan,
			   "%s: the export names no host: host name \"%s\" taken from the file "
			   "name",
			   path, name);
	return TRUE;
}

/* ------------------------------------------------------------ system_profiler text ------ */

/*
 * `system_profiler SPApplicationsDataType` without -json or -xml:
 *
 *	Applications:
 *
 *	    Wish:
 *
 *	      Version: 8.5.7
 *	      Last Modified: 23/07/09 05:45
 *	      Get Info String: Wish Shell 8.5.7,
 *	Copyright © 1989-2009 Tcl Core Team,
 *	      Location: /System/Library/Frameworks/Tk.framework/Versions/8.5/Resources/Wish.app
 *
 * An application is a line at the indentation of the first one that ends in ':' (the name may
 * hold colons of its own); its fields are the more indented "Key: value" lines under it; any
 * other line right under a field continues it (the lines of a multi-line Get Info String start
 * at column 0), elsewhere it is skipped with a warning. Every block is an installation, as
 * every -xml item is: the same name at two locations is two. The keys are English whatever
 * the Mac's language; names and dates are not.
 * "Last Modified" is local time in the locale's short format, day or month first: the order is
 * read off the file's own dates (a first or second number above 12), and the local date is
 * kept, where the -xml path keeps the UTC one (the text gives no time zone).
 */

enum {
	F_VERSION,
	F_MODIFIED,
	F_KIND,
	F_BITS64,
	F_INFO,
	F_LOCATION,
	F_OBTAINED,
	F_SIGNED_BY,
	N_TEXT_FIELDS
};

static const char *const text_keys[N_TEXT_FIELDS] = {
	[F_VERSION] = "Version",	      [F_MODIFIED] = "Last Modified",
	[F_KIND] = "Kind",		      [F_BITS64] = "64-Bit (Intel)",
	[F_INFO] = "Get Info String",	      [F_LOCATION] = "Location",
	[F_OBTAINED] = "Obtained from",	      [F_SIGNED_BY] = "Signed by",
};

typedef struct {
	char *name; /* NULL: a line ":" without a name */
	guint line;
	guint modified_line;
	gboolean has_fields;
	GString *fields[N_TEXT_FIELDS]; /* raw values, continuation lines joined with '\n' */
} TextApp;

static void
text_app_free (TextApp *app)
{
	g_free (app->name);
	for (guint i = 0; i < N_TEXT_FIELDS; i++) {
		if (app->fields[i] != NULL)
			g_string_free (app->fields[i], TRUE);
	}
	g_free (app);
}

/* The value of a field, cleaned as the plist readers clean theirs (so the newlines of a
 * multi-line value go, as they go from an -xml <string>); NULL when absent or empty.
 * (transfer full) */
static char *
text_field (const TextApp *app, guint field)
{
	const GString *v = app->fields[field];
	if (v == NULL || v->len == 0)
		return NULL;
	return tu_scan_clean_field (v->str, (gssize) v->len);
}

/* Does the text start with a line "Applications:" (any first line ending in ':' is taken for
 * system_profiler text, so that another data type is named in the error)? */
static gboolean
is_profiler_text (const char *buf, gsize len)
{
	const char *p = buf;
	const char *end = buf + len;
	if (len >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end && g_ascii_isspace (*p))
		p++;
	if (p == end || !g_ascii_isalpha (*p) || (end - p >= 6 && memcmp (p, "bplist", 6) == 0))
		return FALSE;
	const char *nl = memchr (p, '\n', (gsize) (end - p));
	const char *eol = nl != NULL ? nl : end;
	while (eol > p && (eol[-1] == '\r' || eol[-1] == ' ' || eol[-1] == '\t'))
		eol--;
	return eol > p && eol[-1] == ':';
}

/* "Developer ID Application: Zoom Video Communications, Inc. (BJ4HAAB9B3), Developer ID
 * Certification Authority, Apple Root CA": the certificate chain as one line, whose first
 * certificate's name may hold a comma of its own. (transfer full) */
static char *
first_certificate (const char *chain)
{
	if (chain == NULL)
		return NULL;
	const char *cut = strstr (chain, ", Developer ID Certification Authority");
	if (cut == NULL)
		cut = strstr (chain, ", ");
	return cut != NULL ? g_strndup (chain, (gsize) (cut - chain)) : g_strdup (chain);
}

/* "Kind" (and the "64-Bit (Intel)" of Mac OS X 10.6 to 10.8) as the arch of the -xml path */
static const char *
arch_of_kind (const char *kind, const char *bits64)
{
	if (kind == NULL)
		return NULL;
	if (strcmp (kind, "Intel") == 0) /* 10.8: runtime_environment; since 11: arch_i64 */
		return g_strcmp0 (bits64, "No") == 0 ? "i386" : "x86_64";
	static const struct {
		const char *kind;
		const char *arch;
	} kinds[] = {{"Universal", "universal"}, {"32/64-bit", "universal"}, {"64-bit", "x86_64"},
		     {"Apple Silicon", "arm64"},  {"iOS", "arm64"},	     {"PowerPC", "ppc"}};
	for (guint i = 0; i < G_N_ELEMENTS (kinds); i++) {
		if (strcmp (kind, kinds[i].kind) == 0)
			return kinds[i].arch;
	}
	if (g_str_has_prefix (kind, "32-bit")) /* "32-bit (Unsupported)" */
		return "i386";
	return NULL;
}

typedef enum { ORDER_UNKNOWN, ORDER_DAY_FIRST, ORDER_MONTH_FIRST, ORDER_MIXED } DateOrder;

/* The three numbers of a short date ("04/09/11 22:43", "6/27/09 8:18 AM", "30/05/2023 14:36",
 * "30.05.23, 14:36", "2023-05-30 14:36") and how many digits each has. */
static gboolean
short_date_parts (const char *s, guint n[3], guint digits[3])
{
	char sep = 0;
	for (guint i = 0; i < 3; i++) {
		guint d = 0;
		guint v = 0;
		while (g_ascii_isdigit (*s) && d < 5) {
			v = v * 10 + (guint) (*s - '0');
			s++;
			d++;
		}
		if (d == 0 || d > 4)
			return FALSE;
		n[i] = v;
		digits[i] = d;
		if (i == 2)
			break;
		if (sep == 0 && (*s == '/' || *s == '.' || *s == '-'))
			sep = *s;
		if (sep == 0 || *s != sep)
			return FALSE;
		s++;
	}
	return TRUE;
}

/* The short date of @s as YYYY-MM-DD; NULL when it is not one or the order is unknown. */
static char *
short_date_iso (const char *s, DateOrder order)
{
	guint n[3], digits[3];
	if (s == NULL || !short_date_parts (s, n, digits))
		return NULL;
	guint year, month, day;
	if (digits[0] == 4) {
		year = n[0];
		month = n[1];
		day = n[2];
	} else if (order == ORDER_DAY_FIRST || order == ORDER_MONTH_FIRST) {
		day = order == ORDER_DAY_FIRST ? n[0] : n[1];
		month = order == ORDER_DAY_FIRST ? n[1] : n[0];
		if (digits[2] == 2)
			year = n[2] < 69 ? 2000 + n[2] : 1900 + n[2]; /* POSIX %y */
		else if (digits[2] == 4)
			year = n[2];
		else
			return NULL;
	} else {
		return NULL;
	}
	if (year < 1 || year > 9999 || day > 31 || month > 12 ||
	    !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
		return NULL;
	return g_strdup_printf ("%04u-%02u-%02u", year, month, day);
}

/* The day/month order of the file's dates: a first number above 12 is a day, a second one too.
 * When every date starts with its year, no order is needed and either will do. */
static DateOrder
date_order_of (GPtrArray *apps)
{
	gboolean day_first = FALSE, month_first = FALSE, is_needed = FALSE;
	for (guint i = 0; i < apps->len; i++) {
		const TextApp *app = g_ptr_array_index (apps, i);
		const GString *v = app->fields[F_MODIFIED];
		guint n[3], digits[3];
		if (v == NULL || !short_date_parts (v->str, n, digits) || digits[0] == 4)
			continue;
		is_needed = TRUE;
		day_first |= n[0] > 12;
		month_first |= n[1] > 12;
	}
	if (!is_needed)
		return ORDER_DAY_FIRST;
	if (day_first && month_first)
		return ORDER_MIXED;
	return day_first ? ORDER_DAY_FIRST : month_first ? ORDER_MONTH_FIRST : ORDER_UNKNOWN;
}

/* The end of @key in "Key: value" or "Key:" (a colon followed by a blank or the line's end);
 * NULL when the line is not one. */
static const char *
text_key_end (const char *text, gsize len)
{
	for (gsize i = 1; i < len; i++) {
		if (text[i] == ':' && (i + 1 == len || text[i + 1] == ' '))
			return text + i;
	}
	return NULL;
}

static void
emit_text_application (const TextApp *t, DateOrder order, const char *path, TuHostScan *scan)
{
	if (t->name == NULL) {
		tu_scan_warn_at (scan, path, t->line, "an application without a name (skipped)");
		return;
	}
	g_autofree char *version = text_field (t, F_VERSION);
	g_autofree char *modified = text_field (t, F_MODIFIED);
	g_autofree char *kind = text_field (t, F_KIND);
	g_autofree char *bits64 = text_field (t, F_BITS64);
	g_autofree char *info = text_field (t, F_INFO);
	g_autofree char *location = text_field (t, F_LOCATION);
	g_autofree char *obtained = text_field (t, F_OBTAINED);
	g_autofree char *chain = text_field (t, F_SIGNED_BY);
	g_autofree char *signer = first_certificate (chain);
	g_autofree char *date = short_date_iso (modified, order);
	if (modified != NULL && date == NULL && order != ORDER_UNKNOWN && order != ORDER_MIXED)
		tu_scan_warn_at (scan, path, t->modified_line,
				 "Last Modified: \"%s\" is not a date", modified);
	SpApp app = {0};
	app.name = t->name;
	app.version = version;
	app.info = info;
	app.location = location;
	app.is_from_apple = g_strcmp0 (obtained, "Apple") == 0;
	app.signer = signer;
	app.install_date = date;
	app.arch = arch_of_kind (kind, bits64);
	add_application (&app, path, scan);
}

/* One line: its text without the indent, line end and trailing blanks. */
typedef struct {
	const char *start;
	const char *text;
	gsize len; /* of text */
	guint indent;
} TextLine;

/* The start of a line, cleaned, for messages. (transfer full) */
static char *
line_excerpt (const TextLine *l)
{
	return tu_scan_clean_field (l->text, (gssize) MIN (l->len, 64u));
}

/* "Key: value" under @app: the fields the records need are kept, the first of a repeated key
 * as in a plist dictionary. Returns where continuation lines of the value go (NULL: nowhere). */
static GString *
text_app_set (TextApp *app, const TextLine *l, const char *key_end, guint line_no)
{
	gsize key_len = (gsize) (key_end - l->text);
	const char *value = key_end + 1;
	const char *end = l->text + l->len;
	while (value < end && *value == ' ')
		value++;
	app->has_fields = TRUE;
	for (guint i = 0; i < N_TEXT_FIELDS; i++) {
		if (strlen (text_keys[i]) != key_len ||
		    memcmp (text_keys[i], l->text, key_len) != 0)
			continue;
		if (app->fields[i] != NULL)
			return NULL;
		gsize n = MIN ((gsize) (end - value), TU_SCAN_MAX_FIELD_BYTES);
		app->fields[i] = g_string_new_len (value, (gssize) n);
		if (i == F_MODIFIED)
			app->modified_line = line_no;
		return app->fields[i];
	}
	return NULL;
}

static gboolean
parse_profiler_text (const char *buf, gsize len, const char *path, GPtrArray *hosts, GError **error)
{
	g_autofree char *target = g_strdup_printf ("import:%s", path);
	g_autoptr(TuHostScan) scan = tu_host_scan_new (target);
	tu_host_facts_set (&scan->facts.os_id, "macos");
	tu_host_facts_set (&scan->facts.os_name, "macOS");
	if (!name_host_after_file (scan, path, error))
		return FALSE;

	const char *p = buf;
	const char *end = buf + len;
	if (len >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	g_autoptr(GPtrArray) apps = g_ptr_array_new_with_free_func ((GDestroyNotify) text_app_free);
	TextApp *app = NULL;	   /* the last application, owned by @apps */
	GString *field = NULL;	   /* where continuation lines go (NULL: dropped) */
	gboolean in_field = FALSE; /* the line above was a field or a continuation of one */
	gboolean has_header = FALSE;
	gboolean prev_blank = TRUE;
	gboolean is_cut_short = FALSE; /* another data type follows */
	guint header_indent = 0;
	guint header_line = 0;
	guint app_indent = 0; /* 0 until the first application */
	guint line_no = 0;
	while (p < end) {
		const char *nl = memchr (p, '\n', (gsize) (end - p));
		TextLine l = {p, p, (gsize) ((nl != NULL ? nl : end) - p), 0};
		line_no++;
		p = nl != NULL ? nl + 1 : end;
		while (l.len > 0 && strchr (" \t\r", l.text[l.len - 1]) != NULL)
			l.len--;
		while (l.len > 0 && (*l.text == ' ' || *l.text == '\t')) {
			l.text++;
			l.len--;
			l.indent++;
		}
		if (l.len == 0) {
			prev_blank = TRUE;
			in_field = FALSE;
			continue;
		}
		if (nl == NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: the file ends in the middle of a line (truncated?)",
				     path, line_no);
			return FALSE;
		}
		gboolean ends_in_colon = l.text[l.len - 1] == ':';
		gboolean was_blank = prev_blank;
		prev_blank = FALSE;
		if (!has_header) {
			if (l.len != 13 || memcmp (l.text, "Applications:", 13) != 0) {
				g_autofree char *shown = line_excerpt (&l);
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: \"%s\": not `system_profiler "
					     "SPApplicationsDataType` output (\"Applications:\" "
					     "first)",
					     path, line_no, shown);
				return FALSE;
			}
			has_header = TRUE;
			header_indent = l.indent;
			header_line = line_no;
			continue;
		}
		/* another data type ("Frameworks:"): the applications end here */
		if (l.indent <= header_indent && ends_in_colon && was_blank) {
			g_autofree char *shown = line_excerpt (&l);
			tu_scan_warn_at (scan, path, line_no,
					 "\"%s\" and what follows not read (only Applications is)",
					 shown);
			is_cut_short = TRUE;
			break;
		}
		/* an application's name */
		if (ends_in_colon &&
		    (app_indent == 0 ? l.indent > header_indent : l.indent == app_indent)) {
			app_indent = l.indent;
			app = g_new0 (TextApp, 1);
			app->line = line_no;
			g_autofree char *name = tu_scan_clean_field (l.text, (gssize) (l.len - 1));
			g_strstrip (name);
			if (*name != '\0')
				app->name = g_steal_pointer (&name);
			g_ptr_array_add (apps, app);
			field = NULL;
			in_field = FALSE;
			continue;
		}
		/* "Key: value", only under an application */
		const char *key_end = NULL;
		if (app_indent > 0 && l.indent > app_indent)
			key_end = text_key_end (l.text, l.len);
		if (app == NULL) {
			g_autofree char *shown = line_excerpt (&l);
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: \"%s\" before the first application's name", path,
				     line_no, shown);
			return FALSE;
		}
		if (key_end != NULL) {
			field = text_app_set (app, &l, key_end, line_no);
			in_field = TRUE;
			continue;
		}
		/* the next line of a multi-line value, as it is, indent and all */
		if (in_field) {
			if (field != NULL && field->len < TU_SCAN_MAX_FIELD_BYTES) {
				gsize n = (gsize) (l.text + l.len - l.start);
				g_string_append_c (field, '\n');
				g_string_append_len (field, l.start,
						     (gssize) MIN (n, TU_SCAN_MAX_FIELD_BYTES));
			}
			continue;
		}
		g_autofree char *shown = line_excerpt (&l);
		tu_scan_warn_at (scan, path, line_no,
				 "\"%s\": neither an application's name nor a field (skipped)",
				 shown);
	}
	if (!has_header) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:1: empty file", path);
		return FALSE;
	}
	/* no application, or a name and nothing under it at the very end: the rest is missing
	 * (storing it would record every application as removed) */
	if (apps->len == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: no application under \"Applications:\" (truncated?)", path,
			     header_line);
		return FALSE;
	}
	if (app != NULL && !app->has_fields && !is_cut_short) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%u: \"%s\" has no fields and the file ends there (truncated?)",
			     path, app->line, app->name != NULL ? app->name : "");
		return FALSE;
	}

	DateOrder order = date_order_of (apps);
	if (order == ORDER_UNKNOWN)
		tu_scan_warn_at (scan, path, 0,
				 "no Last Modified date says whether the day or the month comes "
				 "first (none after the 12th): install dates left out");
	else if (order == ORDER_MIXED)
		tu_scan_warn_at (scan, path, 0,
				 "Last Modified dates with the day first and others with the month "
				 "first: install dates left out");
	for (guint i = 0; i < apps->len; i++)
		emit_text_application (g_ptr_array_index (apps, i), order, path, scan);
	scan->finished_us = g_get_real_time ();
	g_ptr_array_add (hosts, g_steal_pointer (&scan));
	return TRUE;
}

gboolean
tu_macos_parse_system_profiler (const char *buf, gsize len, const char *path, GPtrArray *hosts,
				GError **error)
{
	if (is_profiler_text (buf, len))
		return parse_profiler_text (buf, len, path, hosts, error);
	g_autoptr(TuPlistNode) root = tu_plist_parse ((const guint8 *) buf, len, path, TRUE, error);
	if (root == NULL)
		return FALSE;
	const TuPlistNode *host = NULL;
	const TuPlistNode *apps = NULL;
	const char *collector = tu_plist_get_text (root, "trueup_collector");
	if (collector != NULL) {
		if (strcmp (collector, "macos") != 0) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: written by the \"%s\" collector, not macOS's", path, collector);
			return FALSE;
		}
		const TuPlistNode *version = tu_plist_get (root, "version");
		if (!tu_plist_is (version, TU_PLIST_INTEGER) || version->integer != 1) {
			g_set_error (error, TU_ERROR, TU_ERROR_UNSUPPORTED,
				     "%s: collector format version %s is not known (1 is)", path,
				     tu_plist_text (version) ? tu_plist_text (version) : "(none)");
			return FALSE;
		}
		host = tu_plist_get (root, "host");
		if (!tu_plist_is (host, TU_PLIST_DICT)) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: host: missing or not an object",
				     path);
			return FALSE;
		}
		const TuPlistNode *a = tu_plist_get (root, "applications");
		if (tu_plist_is (a, TU_PLIST_ARRAY))
			apps = a;
		else
			apps = data_type_items (a, "SPApplicationsDataType");
		if (apps == NULL) {
			/* system_profiler failed on the host: storing nothing beats storing an empty
			 * list, which would record every application as removed */
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: applications: missing (system_profiler SPApplicationsDataType "
				     "failed on the host?)",
				     path);
			return FALSE;
		}
	} else {
		apps = data_type_items (root, "SPApplicationsDataType");
		if (apps == NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: no SPApplicationsDataType data: not `system_profiler "
				     "SPApplicationsDataType -json` or `-xml` output",
				     path);
			return FALSE;
		}
	}

	g_autofree char *target = g_strdup_printf ("import:%s", path);
	g_autoptr(TuHostScan) scan = tu_host_scan_new (target);
	TuHostFacts *f = &scan->facts;
	tu_host_facts_set (&f->os_id, "macos");
	if (host != NULL)
		facts_from_collector (host, f);
	facts_from_hardware (first_item (root, "SPHardwareDataType"), f);
	facts_from_software (first_item (root, "SPSoftwareDataType"), f);
	set_if_unset (&f->os_name, "macOS");
	if (!name_host_after_file (scan, path, error))
		return FALSE;
	for (guint i = 0; i < apps->items->len; i++)
		emit_application (g_ptr_array_index (apps->items, i), i, path, scan);
	/* the operating system itself, for patch levels */
	if (f->os_version != NULL) {
		TuRecord r = TU_RECORD_INIT;
		r.source = TU_SOURCE_MACOS;
		r.raw_name = f->os_name;
		r.raw_version = f->os_version;
		r.raw_publisher = "Apple";
		r.arch = f->arch;
		r.kind = "system";
		tu_record_list_add (scan->records, &r);
	}
	scan->finished_us = g_get_real_time ();
	g_ptr_array_add (hosts, g_steal_pointer (&scan));
	return TRUE;
}
