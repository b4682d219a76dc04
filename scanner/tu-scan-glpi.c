/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GLPI Agent JSON inventories (glpi-project/inventory_format): one computer per file.
 *
 * content.softwares[] become records exactly as the agent wrote them (source "glpi"; the
 * agent's own "from" — rpm, deb, registry, uwp... — is not a trueup source). Host facts come
 * from content.hardware (name, uuid = the identity, workgroup, vmsystem), operatingsystem,
 * cpus[] (one entry per socket), memories[] (or hardware.memory, both in MiB), bios and
 * networks[]. content.virtualmachines lists guests hosted by this machine, not whether it is
 * one itself, so only hardware.vmsystem decides is_virtual.
 *
 * What is refused, and why:
 *  - inventories without a softwares section (partial ones, or an agent with the software
 *    category disabled): storing them would record every installed package as removed;
 *    with softwares present the list is complete, even in a partial inventory;
 *  - printers, phones and network equipment: not computers trueup licenses software on.
 *
 * The legacy XML format (FusionInventory and GLPI Agent before JSON, after OCS Inventory NG's:
 * <REQUEST><CONTENT>...<QUERY>INVENTORY</QUERY></REQUEST>) is the same tree in upper case: it
 * is read with GMarkup into the JSON form, as GLPI's own converter does (names lower-cased,
 * repeated elements and the schema's array sections as arrays, empty elements dropped, values
 * left as strings, INSTALLDATE as install_date, an INVENTORY without ITEMTYPE as a Computer,
 * Android agents' too, as GLPI takes them) and then read like JSON; network discoveries and
 * SNMP inventories are refused. Depth and element count are bounded, and errors name the file
 * and line.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "tu-common.h"
#include "tu-json.h"
#include "tu-sources.h"

static char *
member_dup (JsonObject *o, const char *name)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	return tu_scan_clean_field (tu_json_member_text (o, name, buf), -1);
}

/* A non-negative whole number (or numeric string); -1 when absent or not one. */
static gint64
member_int (JsonObject *o, const char *name)
{
	JsonNode *n = o ? json_object_get_member (o, name) : NULL;
	if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
		return -1;
	GType t = json_node_get_value_type (n);
	if (t == G_TYPE_INT64)
		return json_node_get_int (n) >= 0 ? json_node_get_int (n) : -1;
	if (t == G_TYPE_DOUBLE) {
		double d = json_node_get_double (n);
		return d >= 0 && d < 9e18 ? (gint64) d : -1;
	}
	if (t == G_TYPE_STRING) {
		guint64 v = 0;
		if (g_ascii_string_to_unsigned (json_node_get_string (n), 10, 0, G_MAXINT64, &v, NULL))
			return (gint64) v;
	}
	return -1;
}

static JsonObject *
member_object (JsonObject *o, const char *name)
{
	JsonNode *n = o ? json_object_get_member (o, name) : NULL;
	return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
member_array (JsonObject *o, const char *name)
{
	JsonNode *n = o ? json_object_get_member (o, name) : NULL;
	return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static void
set_fact (char **field, JsonObject *o, const char *name)
{
	g_autofree char *v = member_dup (o, name);
	tu_host_facts_set (field, v);
}

/* ---- GLPI ------------------------------------------------------------------------------- */

/* "2019-12-19", "2019-12-19 10:00:00" or the Windows agent's "19/12/2019" -> "2019-12-19" */
static gboolean
iso_date (const char *s, char out[11])
{
	if (s == NULL)
		return FALSE;
	guint y, m, d;
#define D(i) ((guint) (s[i] - '0'))
#define ALL_DIGITS(a, b, c, e) (g_ascii_isdigit (s[a]) && g_ascii_isdigit (s[b]) && g_ascii_isdigit (s[c]) && g_ascii_isdigit (s[e]))
	gsize n = strlen (s);
	if (n >= 10 && s[4] == '-' && s[7] == '-' && ALL_DIGITS (0, 1, 2, 3) &&
	    ALL_DIGITS (5, 6, 8, 9)) {
		y = D (0) * 1000 + D (1) * 100 + D (2) * 10 + D (3);
		m = D (5) * 10 + D (6);
		d = D (8) * 10 + D (9);
	} else if (n == 10 && s[2] == '/' && s[5] == '/' && ALL_DIGITS (0, 1, 3, 4) &&
		   ALL_DIGITS (6, 7, 8, 9)) {
		d = D (0) * 10 + D (1);
		m = D (3) * 10 + D (4);
		y = D (6) * 1000 + D (7) * 100 + D (8) * 10 + D (9);
	} else {
		return FALSE;
	}
#undef D
#undef ALL_DIGITS
	if (y < 1970 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
		return FALSE;
	g_snprintf (out, 11, "%04u-%02u-%02u", y, m, d);
	return TRUE;
}

/* GLPI's system_category -> the record's kind */
static const char *
kind_of (const char *category)
{
	if (category == NULL)
		return NULL;
	if (g_ascii_strcasecmp (category, "system_component") == 0)
		return "system";
	if (g_ascii_strcasecmp (category, "security_update") == 0 ||
	    g_ascii_strcasecmp (category, "update") == 0 || g_ascii_strcasecmp (category, "hotfix") == 0)
		return "update";
	return NULL;
}

static const char *
hypervisor_of (const char *vmsystem)
{
	static const struct {
		const char *glpi, *name;
	} map[] = {
		{"VMware", "vmware"},	   {"KVM", "kvm"},	       {"QEMU", "kvm"},
		{"Xen", "xen"},		   {"HyperV", "hyperv"},       {"Hyper-V", "hyperv"},
		{"Virtual Machine", "hyperv"}, {"VirtualBox", "virtualbox"}, {"Parallels", "parallels"},
		{"Bochs", "bochs"},	   {"lxc", "lxc"},	       {"Docker", "docker"},
		{"OpenVZ", "openvz"},	   {"Virtuozzo", "openvz"},    {"BHYVE", "bhyve"},
		{"AHV", "kvm"},		   {"Nutanix", "kvm"},
	};
	for (guint i = 0; i < G_N_ELEMENTS (map); i++) {
		if (g_ascii_strncasecmp (vmsystem, map[i].glpi, strlen (map[i].glpi)) == 0)
			return map[i].name;
	}
	return NULL;
}

static gboolean
is_useful_address (const char *ip)
{
	return ip != NULL && *ip != '\0' && strcmp (ip, "127.0.0.1") != 0 && strcmp (ip, "::1") != 0 &&
	       g_ascii_strncasecmp (ip, "fe80:", 5) != 0 && strcmp (ip, "0.0.0.0") != 0;
}

static void
host_facts (JsonObject *content, TuHostFacts *f)
{
	JsonObject *hw = member_object (content, "hardware");
	JsonObject *os = member_object (content, "operatingsystem");
	JsonObject *bios = member_object (content, "bios");

	set_fact (&f->hostname, hw, "name");
	set_fact (&f->machine_id, hw, "uuid");
	set_fact (&f->domain, hw, "workgroup");
	if (f->domain == NULL)
		set_fact (&f->domain, os, "dns_domain");
	g_autofree char *fqdn = member_dup (os, "fqdn");
	if (fqdn != NULL && strchr (fqdn, '.') != NULL)
		tu_host_facts_set (&f->fqdn, fqdn);
	if (f->hostname == NULL && f->fqdn != NULL) {
		g_autofree char *short_name = g_strndup (f->fqdn, strcspn (f->fqdn, "."));
		tu_host_facts_set (&f->hostname, short_name);
	}

	set_fact (&f->os_name, os, "name");
	set_fact (&f->os_version, os, "version");
	set_fact (&f->os_pretty, os, "full_name");
	set_fact (&f->kernel, os, "kernel_version");
	set_fact (&f->arch, os, "arch");
	g_autofree char *kernel_name = member_dup (os, "kernel_name");
	if (kernel_name != NULL && g_ascii_strcasecmp (kernel_name, "MSWin32") == 0)
		tu_host_facts_set (&f->os_id, "windows");
	else if (kernel_name != NULL && g_ascii_strcasecmp (kernel_name, "darwin") == 0)
		tu_host_facts_set (&f->os_id, "macos");

	set_fact (&f->dmi_vendor, bios, "smanufacturer");
	if (f->dmi_vendor == NULL)
		set_fact (&f->dmi_vendor, bios, "mmanufacturer");
	set_fact (&f->dmi_model, bios, "smodel");
	set_fact (&f->dmi_serial, bios, "ssn");

	/* one cpus[] entry per socket */
	JsonArray *cpus = member_array (content, "cpus");
	if (cpus != NULL && json_array_get_length (cpus) > 0) {
		guint n = json_array_get_length (cpus);
		gint64 cores = 0, threads = 0;
		gboolean cores_known = TRUE, threads_known = TRUE;
		for (guint i = 0; i < n; i++) {
			JsonNode *node = json_array_get_element (cpus, i);
			JsonObject *cpu = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
			gint64 c = member_int (cpu, "core");
			if (c <= 0)
				c = member_int (cpu, "corecount");
			gint64 t = member_int (cpu, "thread");
			if (c > 0 && c < 65536)
				cores += c;
			else
				cores_known = FALSE;
			if (t > 0 && t < 65536)
				threads += t;
			else
				threads_known = FALSE;
			if (i == 0)
				set_fact (&f->cpu_model, cpu, "name");
		}
		f->sockets = (gint) MIN (n, (guint) G_MAXINT);
		f->cores = cores_known ? (gint) cores : -1;
		f->threads = threads_known ? (gint) threads : -1;
	}

	/* installed memory: the modules, else what the OS sees (both MiB) */
	gint64 mib = 0;
	JsonArray *memories = member_array (content, "memories");
	for (guint i = 0; memories != NULL && i < json_array_get_length (memories); i++) {
		JsonNode *node = json_array_get_element (memories, i);
		gint64 cap = JSON_NODE_HOLDS_OBJECT (node)
				     ? member_int (json_node_get_object (node), "capacity")
				     : -1;
		if (cap > 0 && cap < G_MAXINT32)
			mib += cap;
	}
	if (mib <= 0)
		mib = member_int (hw, "memory");
	if (mib > 0 && mib < G_MAXINT64 / (1024 * 1024))
		f->memory_bytes = mib * 1024 * 1024;

	g_autofree char *vmsystem = member_dup (hw, "vmsystem");
	if (vmsystem != NULL && *vmsystem != '\0') {
		if (g_ascii_strcasecmp (vmsystem, "Physical") == 0) {
			f->is_virtual = 0;
		} else {
			f->is_virtual = 1;
			tu_host_facts_set (&f->hypervisor, hypervisor_of (vmsystem));
		}
	}

	JsonArray *networks = member_array (content, "networks");
	g_autoptr(GString) ips = g_string_new (NULL);
	g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; networks != NULL && i < json_array_get_length (networks); i++) {
		JsonNode *node = json_array_get_element (networks, i);
		if (!JSON_NODE_HOLDS_OBJECT (node))
			continue;
		static const char *const keys[] = {"ipaddress", "ipaddress6"};
		for (guint k = 0; k < G_N_ELEMENTS (keys); k++) {
			g_autofree char *ip = member_dup (json_node_get_object (node), keys[k]);
			if (!is_useful_address (ip) || g_hash_table_contains (seen, ip))
				continue;
			if (ips->len > 0)
				g_string_append_c (ips, ',');
			g_string_append (ips, ip);
			g_hash_table_add (seen, g_steal_pointer (&ip));
		}
	}
	tu_host_facts_set (&f->ip_addresses, ips->str);
}

/* ---- the legacy XML format ---------------------------------------------------------------- */

/* The same bound on elements as on a JSON inventory's size: enough for the biggest real
 * inventories (computer_3.json is 3033 softwares, some 60 000 values), and a few hundred
 * megabytes of tree at most. Depth follows tu-json.h. */
#define GLPI_XML_MAX_ELEMENTS 4000000

typedef struct {
	char *name;	 /* lower-cased */
	JsonObject *obj; /* children, created on the first one */
	GString *text;
	int line; /* of the start tag */
} XmlFrame;

typedef struct {
	GPtrArray *stack; /* XmlFrame* */
	JsonNode *root;	  /* the REQUEST element, once closed */
	guint n_elements;
	const char *path;
	int first_line; /* of the text GMarkup reads */
} XmlBuild;

/* Sections of CONTENT that the JSON format writes as arrays even with one element: the arrays
 * of inventory.schema.json. */
static gboolean
xml_is_list_section (const char *parent, const char *name)
{
	static const char *const lists[] = {
		"antivirus", "batteries", "cameras", "cartridges", "consumables", "controllers",
		"cpus", "databases_services", "drives", "envs", "firewalls", "firmwares", "inputs",
		"licenseinfos", "local_groups", "local_users", "logical_volumes", "memories",
		"modems", "monitors", "network_components", "network_ports", "networks",
		"physical_volumes", "ports", "powersupplies", "printers", "processes",
		"remote_mgmt", "sensors", "simcards", "slots", "softwares", "sounds", "storages",
		"usbdevices", "users", "videos", "virtualmachines", "volume_groups", NULL};
	if (g_strcmp0 (parent, "content") != 0)
		return FALSE;
	for (guint i = 0; lists[i] != NULL; i++) {
		if (strcmp (lists[i], name) == 0)
			return TRUE;
	}
	return FALSE;
}

static void
xml_frame_free (XmlFrame *f)
{
	g_free (f->name);
	if (f->obj != NULL)
		json_object_unref (f->obj);
	g_string_free (f->text, TRUE);
	g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XmlFrame, xml_frame_free)

/* The line of the tag being reported: GMarkup's position is the character after its '>',
 * counted on the next line when it is the newline that ends the tag's line. */
static int
xml_line (GMarkupParseContext *ctx, XmlBuild *b)
{
	int line = 0, column = 0;
	g_markup_parse_context_get_position (ctx, &line, &column);
	if (column == 1 && line > 1)
		line--;
	return line + b->first_line - 1;
}

static void
xml_start (GMarkupParseContext *ctx, const char *element, const char **names, const char **values,
	   gpointer user_data, GError **error)
{
	XmlBuild *b = user_data;
	if (++b->n_elements > GLPI_XML_MAX_ELEMENTS) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%d: more than %u XML elements: refused", b->path,
			     xml_line (ctx, b), GLPI_XML_MAX_ELEMENTS);
		return;
	}
	if (b->stack->len >= TU_JSON_MAX_DEPTH) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s:%d: XML nested deeper than %u levels", b->path, xml_line (ctx, b),
			     TU_JSON_MAX_DEPTH);
		return;
	}
	if (b->stack->len == 0 && g_ascii_strcasecmp (element, "REQUEST") != 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_UNSUPPORTED,
			     "%s:%d: <%s>: not a GLPI inventory (expected <REQUEST>)", b->path,
			     xml_line (ctx, b), element);
		return;
	}
	XmlFrame *f = g_new0 (XmlFrame, 1);
	f->name = g_ascii_strdown (element, -1);
	f->text = g_string_new (NULL);
	f->line = xml_line (ctx, b);
	g_ptr_array_add (b->stack, f);
}

static void
xml_text (GMarkupParseContext *ctx, const char *text, gsize len, gpointer user_data,
	  GError **error)
{
	XmlBuild *b = user_data;
	if (b->stack->len == 0)
		return;
	XmlFrame *f = g_ptr_array_index (b->stack, b->stack->len - 1);
	/* a few bytes over the field limit: tu_scan_clean_field truncates on a character */
	gsize room = TU_SCAN_MAX_FIELD_BYTES + 4;
	if (f->text->len < room)
		g_string_append_len (f->text, text, (gssize) MIN (len, room - f->text->len));
}

static void
xml_end (GMarkupParseContext *ctx, const char *element, gpointer user_data, GError **error)
{
	XmlBuild *b = user_data;
	g_autoptr(XmlFrame) f = g_ptr_array_steal_index (b->stack, b->stack->len - 1);
	XmlFrame *parent = NULL;
	if (b->stack->len > 0)
		parent = g_ptr_array_index (b->stack, b->stack->len - 1);
	const char *key = f->name;
	gboolean is_software = parent != NULL && g_strcmp0 (parent->name, "content") == 0 &&
			       strcmp (key, "softwares") == 0;

	JsonNode *value;
	if (f->obj != NULL) {
		if (is_software && !json_object_has_member (f->obj, "name")) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%d: <SOFTWARES> without a NAME", b->path, f->line);
			return;
		}
		value = json_node_init_object (json_node_alloc (), f->obj);
	} else {
		g_strstrip (f->text->str);
		/* empty elements are dropped, as GLPI's converter does: <SOFTWARES/> is no entry
		 * and <FQDN></FQDN> no value */
		if (f->text->str[0] == '\0')
			return;
		if (is_software) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%d: <SOFTWARES> without a NAME", b->path, f->line);
			return;
		}
		value = json_node_init_string (json_node_alloc (), f->text->str);
	}
	if (parent == NULL) {
		b->root = value;
		return;
	}
	if (parent->obj == NULL)
		parent->obj = json_object_new ();
	if (g_strcmp0 (parent->name, "softwares") == 0 && strcmp (key, "installdate") == 0)
		key = "install_date";
	else if (g_strcmp0 (parent->name, "content") == 0 && strcmp (key, "firewall") == 0)
		key = "firewalls";
	JsonNode *old = json_object_get_member (parent->obj, key);
	if (old != NULL && JSON_NODE_HOLDS_ARRAY (old)) {
		json_array_add_element (json_node_get_array (old), value);
	} else if (old != NULL) {
		JsonArray *a = json_array_new ();
		json_array_add_element (a, json_node_copy (old));
		json_array_add_element (a, value);
		json_object_set_array_member (parent->obj, key, a);
	} else if (xml_is_list_section (parent->name, key)) {
		JsonArray *a = json_array_new ();
		json_array_add_element (a, value);
		json_object_set_array_member (parent->obj, key, a);
	} else {
		json_object_set_member (parent->obj, key, value);
	}
}

/* What a QUERY other than INVENTORY is, for the message that refuses it. */
static const char *
xml_query_kind (const char *query)
{
	if (g_ascii_strcasecmp (query, "NETDISCOVERY") == 0)
		return "a network discovery";
	if (g_ascii_strcasecmp (query, "SNMPQUERY") == 0 || g_ascii_strcasecmp (query, "SNMP") == 0)
		return "a network device's inventory";
	return "not a computer inventory";
}

/* The XML inventory (@buf starts with its first '<', on line @first_line of the file) as the
 * JSON format's tree: {"content": {...}, "deviceid": ..., "itemtype": "Computer"}.
 * Inventories of other things than computers (QUERY NETDISCOVERY, SNMPQUERY; no QUERY and a
 * CONTENT/DEVICE, as GLPI's converter tells them apart) are refused here. (transfer full);
 * NULL with @error. */
static JsonNode *
glpi_xml_to_json (const char *buf, gsize len, const char *path, int first_line, GError **error)
{
	static const GMarkupParser parser = {xml_start, xml_end, xml_text, NULL, NULL};
	XmlBuild b = {0};
	b.stack = g_ptr_array_new_with_free_func ((GDestroyNotify) xml_frame_free);
	b.path = path;
	b.first_line = first_line;
	GMarkupParseContext *ctx = g_markup_parse_context_new (&parser, 0, &b, NULL);
	GError *local = NULL;
	gboolean ok = g_markup_parse_context_parse (ctx, buf, (gssize) len, &local) &&
		      g_markup_parse_context_end_parse (ctx, &local);
	if (!ok && local != NULL && local->domain == G_MARKUP_ERROR) {
		/* "Error on line 3 char 30: ...": GMarkup's line, without the lines before @buf */
		const char *msg = local->message;
		const char *colon = strstr (msg, ": ");
		if (g_str_has_prefix (msg, "Error on line ") && colon != NULL)
			msg = colon + 2;
		int line = 0;
		g_markup_parse_context_get_position (ctx, &line, NULL);
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%d: malformed XML: %s",
			     path, line + first_line - 1, msg);
		g_clear_error (&local);
	} else if (!ok) {
		g_propagate_error (error, local);
	}
	g_markup_parse_context_free (ctx);
	g_ptr_array_unref (b.stack);
	g_autoptr(JsonNode) root = b.root;
	if (!ok)
		return NULL;
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: an empty <REQUEST>",
			     path);
		return NULL;
	}
	JsonObject *top = json_node_get_object (root);
	char nb[G_ASCII_DTOSTR_BUF_SIZE];
	const char *query = tu_json_member_text (top, "query", nb);
	JsonObject *content = member_object (top, "content");
	gboolean is_device = member_object (content, "device") != NULL;
	if ((query != NULL && g_ascii_strcasecmp (query, "INVENTORY") != 0) ||
	    (query == NULL && (is_device || json_object_has_member (top, "query")))) {
		g_autofree char *shown = NULL;
		if (query != NULL)
			shown = g_utf8_substring (query, 0, MIN (g_utf8_strlen (query, -1), 40));
		const char *kind = query != NULL ? xml_query_kind (query)
				   : is_device	 ? "a network device's inventory"
						 : "not a computer inventory";
		g_set_error (error, TU_ERROR, TU_ERROR_UNSUPPORTED,
			     "%s: a GLPI XML inventory with QUERY %s (%s): only computer "
			     "inventories (QUERY INVENTORY) list installed software trueup can use",
			     path, shown != NULL ? shown : "(none)", kind);
		return NULL;
	}
	/* GLPI Agent's XML may say <ITEMTYPE>Phone</ITEMTYPE>; else a computer, as GLPI reads it */
	if (!json_object_has_member (top, "itemtype"))
		json_object_set_string_member (top, "itemtype", "Computer");

	/* agents older than the OPERATINGSYSTEM section (OCS Inventory NG's) name the OS only in
	 * HARDWARE/OSNAME */
	JsonObject *hw = member_object (content, "hardware");
	const char *osname = tu_json_member_text (hw, "osname", nb);
	if (osname != NULL && !json_object_has_member (content, "operatingsystem")) {
		JsonObject *os = json_object_new ();
		json_object_set_string_member (os, "full_name", osname);
		json_object_set_object_member (content, "operatingsystem", os);
	}
	return g_steal_pointer (&root);
}

gboolean
tu_glpi_parse (const char *buf, gsize len, const char *path, GPtrArray *hosts, GError **error)
{
	const char *p = buf;
	const char *end = buf + len;
	if (end - p >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	int first_line = 1;
	for (; p < end && g_ascii_isspace (*p); p++)
		first_line += *p == '\n';
	g_autoptr(JsonParser) parser = NULL;
	g_autoptr(JsonNode) xml_root = NULL;
	JsonNode *root;
	if (p < end && *p == '<') {
		/* from the '<': GMarkup does not count a newline that starts its text */
		xml_root = glpi_xml_to_json (p, (gsize) (end - p), path, first_line, error);
		if (xml_root == NULL)
			return FALSE;
		root = xml_root;
	} else {
		parser = tu_json_load (buf, len, path, 1, error);
		if (parser == NULL)
			return FALSE;
		root = json_parser_get_root (parser);
	}
	if (!JSON_NODE_HOLDS_OBJECT (root)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: not a GLPI inventory (the top level is not an object)", path);
		return FALSE;
	}
	JsonObject *top = json_node_get_object (root);
	char nb[G_ASCII_DTOSTR_BUF_SIZE];
	const char *itemtype = tu_json_member_text (top, "itemtype", nb);
	/* computer_1.json of the format's own examples has no itemtype: a computer */
	if (itemtype != NULL && g_strcmp0 (itemtype, "Computer") != 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_UNSUPPORTED,
			     "%s: a GLPI inventory of itemtype \"%s\": only Computer inventories list "
			     "installed software trueup can use",
			     path, itemtype);
		return FALSE;
	}
	JsonObject *content = member_object (top, "content");
	if (content == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: not a GLPI inventory (no \"content\" object)", path);
		return FALSE;
	}
	gboolean partial = FALSE;
	JsonNode *pn = json_object_get_member (top, "partial");
	if (pn != NULL && JSON_NODE_HOLDS_VALUE (pn) && json_node_get_value_type (pn) == G_TYPE_BOOLEAN)
		partial = json_node_get_boolean (pn);
	JsonNode *softn = json_object_get_member (content, "softwares");
	if (softn == NULL || JSON_NODE_HOLDS_NULL (softn)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     partial ? "%s: a partial GLPI inventory without a softwares section: it "
				       "carries no software list (importing it would record every "
				       "installed package as removed)"
				     : "%s: a GLPI inventory without a softwares section (software "
				       "inventory disabled on the agent?): refused, importing it would "
				       "record every installed package as removed",
			     path);
		return FALSE;
	}
	if (!JSON_NODE_HOLDS_ARRAY (softn)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: content.softwares: not an array", path);
		return FALSE;
	}
	JsonArray *softwares = json_node_get_array (softn);

	g_autofree char *target = g_strdup_printf ("import:%s", path);
	g_autoptr(TuHostScan) scan = tu_host_scan_new (target);
	host_facts (content, &scan->facts);
	if (scan->facts.hostname == NULL) {
		/* the deviceid is "NAME-YYYY-MM-DD-HH-MM-SS" */
		g_autofree char *deviceid = member_dup (top, "deviceid");
		if (deviceid != NULL && strlen (deviceid) > 20) {
			deviceid[strlen (deviceid) - 20] = '\0';
			tu_host_facts_set (&scan->facts.hostname, deviceid);
		}
	}
	if (scan->facts.hostname == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: content.hardware.name: missing (and no deviceid): no host name", path);
		return FALSE;
	}

	for (guint i = 0; i < json_array_get_length (softwares); i++) {
		JsonNode *n = json_array_get_element (softwares, i);
		if (!JSON_NODE_HOLDS_OBJECT (n)) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: content.softwares[%u]: not an object", path, i);
			return FALSE;
		}
		JsonObject *o = json_node_get_object (n);
		g_autofree char *name = member_dup (o, "name");
		if (name == NULL || *name == '\0') {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: content.softwares[%u]: name missing", path, i);
			return FALSE;
		}
		g_autofree char *version = member_dup (o, "version");
		g_autofree char *publisher = member_dup (o, "publisher");
		g_autofree char *arch = member_dup (o, "arch");
		g_autofree char *folder = member_dup (o, "folder");
		g_autofree char *guid = member_dup (o, "guid");
		g_autofree char *category = member_dup (o, "system_category");
		char date_s[G_ASCII_DTOSTR_BUF_SIZE];
		char iso[11];
		TuRecord r = TU_RECORD_INIT;
		r.source = TU_SOURCE_GLPI;
		r.raw_name = name;
		r.raw_version = version;
		r.raw_publisher = publisher;
		r.arch = arch;
		r.location = folder != NULL ? folder : guid;
		r.kind = kind_of (category);
		if (iso_date (tu_json_member_text (o, "install_date", date_s), iso))
			r.install_date = iso;
		gint64 size = member_int (o, "filesize");
		if (size > 0)
			r.size_bytes = size;
		tu_record_list_add (scan->records, &r);
	}
	scan->finished_us = g_get_real_time ();
	g_ptr_array_add (hosts, g_steal_pointer (&scan));
	return TRUE;
}
