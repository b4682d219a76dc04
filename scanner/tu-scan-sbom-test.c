/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SBOMs: CycloneDX 1.5 and SPDX 2.3 made by a real tool (`npm sbom`, npm 11) for a small npm
 * project, the two compared with each other and with the project's package-lock.json, plus
 * hand-written edge cases of both formats (nesting, 1.2 and 1.6 fields, images, operating
 * systems, DESCRIBES relationships) and broken input.
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"
#include "tu-test-util.h"

typedef gboolean (*ParseFunc) (const char *, gsize, const char *, GPtrArray *, GError **);

static GPtrArray *
parse_file (ParseFunc parse, const char *rel, GError **error)
{
	g_autofree char *path = tu_test_source_path (rel);
	g_autoptr(GBytes) b = tu_test_read (path);
	GPtrArray *hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	if (!parse (g_bytes_get_data (b, NULL), g_bytes_get_size (b), path, hosts, error)) {
		g_ptr_array_unref (hosts);
		return NULL;
	}
	return hosts;
}

static GPtrArray *
parse_text (ParseFunc parse, const char *text, GError **error)
{
	GPtrArray *hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	if (!parse (text, strlen (text), "bom.json", hosts, error)) {
		g_assert_cmpuint (hosts->len, ==, 0);
		g_ptr_array_unref (hosts);
		return NULL;
	}
	return hosts;
}

static const TuRecord *
find (TuHostScan *scan, const char *name)
{
	for (guint i = 0; i < tu_record_list_len (scan->records); i++) {
		const TuRecord *r = tu_record_list_get (scan->records, i);
		if (g_strcmp0 (r->raw_name, name) == 0)
			return r;
	}
	return NULL;
}

/* Both of npm's SBOMs list exactly the packages of package-lock.json, with their versions. */
static void
check_against_lock (TuHostScan *scan)
{
	g_autofree char *lock = tu_test_source_path ("tests/fixtures/sbom/npm-project.package-lock.json");
	g_autoptr(JsonParser) parser = json_parser_new ();
	g_autoptr(GError) error = NULL;
	json_parser_load_from_file (parser, lock, &error);
	g_assert_no_error (error);
	JsonObject *pkgs = json_object_get_object_member (
		json_node_get_object (json_parser_get_root (parser)), "packages");
	guint n = 0;
	GList *members = json_object_get_members (pkgs);
	for (GList *l = members; l != NULL; l = l->next) {
		const char *key = l->data;
		if (*key == '\0')
			continue; /* the project itself: the host */
		const char *name = strrchr (key, '/') ? key + strlen ("node_modules/") : key;
		const TuRecord *r = find (scan, name);
		g_assert_nonnull (r);
		g_assert_cmpstr (r->raw_version, ==,
				 json_object_get_string_member (json_object_get_object_member (pkgs, key),
								"version"));
		n++;
	}
	g_list_free (members);
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, n);
	g_assert_cmpuint (n, ==, 7);
	g_assert_null (find (scan, "sbomproj"));
	g_assert_cmpstr (scan->facts.hostname, ==, "sbomproj");
}

static void
test_npm_cyclonedx (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hosts =
		parse_file (tu_cyclonedx_parse, "tests/fixtures/sbom/npm-sbom.cdx.json", &error);
	g_assert_no_error (error);
	g_assert_cmpuint (hosts->len, ==, 1);
	TuHostScan *scan = g_ptr_array_index (hosts, 0);
	g_assert_cmpuint (scan->warnings->len, ==, 0);
	check_against_lock (scan);
	const TuRecord *types = find (scan, "@types/node");
	g_assert_cmpint (types->source, ==, TU_SOURCE_CYCLONEDX);
	g_assert_cmpstr (types->purl, ==, "pkg:npm/%40types/node@20.11.0");
	g_assert_cmpstr (types->license, ==, "MIT");
	g_assert_null (types->raw_publisher);
	g_assert_cmpstr (find (scan, "debug")->raw_publisher, ==, "Josh Junon <josh.junon@protonmail.com>");
}

static void
test_npm_spdx (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hosts =
		parse_file (tu_spdx_parse, "tests/fixtures/sbom/npm-sbom.spdx.json", &error);
	g_assert_no_error (error);
	TuHostScan *scan = g_ptr_array_index (hosts, 0);
	g_assert_cmpuint (scan->warnings->len, ==, 0);
	check_against_lock (scan);
	const TuRecord *semver = find (scan, "semver");
	g_assert_cmpint (semver->source, ==, TU_SOURCE_SPDX);
	g_assert_cmpstr (semver->purl, ==, "pkg:npm/semver@7.6.0");
	g_assert_cmpstr (semver->license, ==, "ISC");
}

static void
test_cyclonedx_edges (void)
{
	/* 1.2 with author, nested components, a file, an OS, a container as the subject */
	const char *bom =
		"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.2\",\"version\":1,"
		"\"metadata\":{\"timestamp\":\"2024-05-01T10:00:00Z\",\"component\":{\"type\":\"container\","
		"\"name\":\"registry.example.com/shop/web\",\"version\":\"2.4.1\"}},"
		"\"components\":["
		"{\"type\":\"operating-system\",\"name\":\"debian\",\"version\":\"12.5\","
		"\"supplier\":{\"name\":\"Debian\"}},"
		"{\"type\":\"application\",\"name\":\"nginx\",\"version\":\"1.22.1-9\",\"author\":\"Nginx Team\","
		"\"cpe\":\"cpe:2.3:a:nginx:nginx:1.22.1:*:*:*:*:*:*:*\","
		"\"licenses\":[{\"license\":{\"id\":\"BSD-2-Clause\"}},{\"license\":{\"name\":\"Custom\"}}],"
		"\"components\":[{\"type\":\"library\",\"name\":\"nginx-module-njs\",\"version\":\"0.8.0\","
		"\"publisher\":\"F5\",\"components\":[{\"type\":\"file\",\"name\":\"/usr/lib/njs.so\"}]}]},"
		"{\"type\":\"framework\",\"name\":\"spring-core\",\"group\":\"org.springframework\","
		"\"version\":\"6.1.5\",\"purl\":\"pkg:maven/org.springframework/spring-core@6.1.5\","
		"\"licenses\":[{\"expression\":\"Apache-2.0\"}]},"
		"{\"type\":\"firmware\",\"name\":\"bios\",\"version\":\"2.19.1\","
		"\"manufacturer\":{\"name\":\"Dell Inc.\"}},"
		"{\"type\":\"library\",\"name\":\"x\",\"authors\":[{\"name\":\"A. Author\"}]}"
		"]}";
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hosts = parse_text (tu_cyclonedx_parse, bom, &error);
	g_assert_no_error (error);
	TuHostScan *scan = g_ptr_array_index (hosts, 0);
	g_assert_cmpstr (scan->facts.hostname, ==, "registry.example.com/shop/web:2.4.1");
	g_assert_cmpstr (scan->facts.os_name, ==, "debian");
	g_assert_cmpstr (scan->facts.os_version, ==, "12.5");
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 6);
	g_assert_cmpstr (find (scan, "debian")->raw_publisher, ==, "Debian");
	const TuRecord *nginx = find (scan, "nginx");
	g_assert_cmpstr (nginx->raw_publisher, ==, "Nginx Team");
	g_assert_cmpstr (nginx->cpe, ==, "cpe:2.3:a:nginx:nginx:1.22.1:*:*:*:*:*:*:*");
	g_assert_cmpstr (nginx->license, ==, "BSD-2-Clause AND Custom");
	g_assert_cmpstr (find (scan, "nginx-module-njs")->raw_publisher, ==, "F5");
	g_assert_null (find (scan, "/usr/lib/njs.so"));
	g_assert_cmpstr (find (scan, "spring-core")->license, ==, "Apache-2.0");
	g_assert_cmpstr (find (scan, "bios")->raw_publisher, ==, "Dell Inc.");
	g_assert_cmpstr (find (scan, "x")->raw_publisher, ==, "A. Author");

	/* no subject: named after the file, with a warning; a future 1.7 is read with one */
	g_autoptr(GPtrArray) h2 = parse_text (
		tu_cyclonedx_parse,
		"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.7\",\"components\":[]}", &error);
	g_assert_no_error (error);
	TuHostScan *s2 = g_ptr_array_index (h2, 0);
	g_assert_cmpstr (s2->facts.hostname, ==, "bom");
	g_assert_cmpuint (s2->warnings->len, ==, 2);
}

static void
test_spdx_edges (void)
{
	/* described by relationship only, suppliers and originators, CPE, an OS, NOASSERTION */
	const char *doc =
		"{\"spdxVersion\":\"SPDX-2.2\",\"SPDXID\":\"SPDXRef-DOCUMENT\",\"name\":\"doc\","
		"\"packages\":["
		"{\"SPDXID\":\"SPDXRef-img\",\"name\":\"alpine\",\"versionInfo\":\"3.19\","
		"\"primaryPackagePurpose\":\"CONTAINER\"},"
		"{\"SPDXID\":\"SPDXRef-os\",\"name\":\"alpine\",\"versionInfo\":\"3.19.1\","
		"\"primaryPackagePurpose\":\"OPERATING-SYSTEM\",\"supplier\":\"Organization: Alpine Linux\"},"
		"{\"SPDXID\":\"SPDXRef-a\",\"name\":\"musl\",\"versionInfo\":\"1.2.4_git20230717-r4\","
		"\"supplier\":\"Person: Timo Teräs\",\"licenseConcluded\":\"NOASSERTION\","
		"\"licenseDeclared\":\"MIT\",\"externalRefs\":["
		"{\"referenceCategory\":\"SECURITY\",\"referenceType\":\"cpe23Type\","
		"\"referenceLocator\":\"cpe:2.3:a:musl-libc:musl:1.2.4:*:*:*:*:*:*:*\"},"
		"{\"referenceCategory\":\"PACKAGE-MANAGER\",\"referenceType\":\"purl\","
		"\"referenceLocator\":\"pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64\"}]},"
		"{\"SPDXID\":\"SPDXRef-b\",\"name\":\"busybox\",\"versionInfo\":\"NOASSERTION\","
		"\"supplier\":\"NOASSERTION\",\"originator\":\"Organization: BusyBox\"}],"
		"\"relationships\":[{\"spdxElementId\":\"SPDXRef-DOCUMENT\",\"relationshipType\":\"DESCRIBES\","
		"\"relatedSpdxElement\":\"SPDXRef-img\"}]}";
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) hosts = parse_text (tu_spdx_parse, doc, &error);
	g_assert_no_error (error);
	TuHostScan *scan = g_ptr_array_index (hosts, 0);
	g_assert_cmpstr (scan->facts.hostname, ==, "alpine:3.19");
	g_assert_cmpstr (scan->facts.os_version, ==, "3.19.1");
	g_assert_cmpuint (tu_record_list_len (scan->records), ==, 3);
	const TuRecord *musl = find (scan, "musl");
	g_assert_cmpstr (musl->raw_publisher, ==, "Timo Teräs");
	g_assert_cmpstr (musl->license, ==, "MIT");
	g_assert_cmpstr (musl->cpe, ==, "cpe:2.3:a:musl-libc:musl:1.2.4:*:*:*:*:*:*:*");
	g_assert_cmpstr (musl->purl, ==, "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64");
	const TuRecord *bb = find (scan, "busybox");
	g_assert_null (bb->raw_version);
	g_assert_cmpstr (bb->raw_publisher, ==, "BusyBox");

	/* nothing described: the document's name, with a warning */
	g_autoptr(GPtrArray) h2 = parse_text (
		tu_spdx_parse, "{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"web01\",\"packages\":[]}", &error);
	g_assert_no_error (error);
	g_assert_cmpstr (((TuHostScan *) g_ptr_array_index (h2, 0))->facts.hostname, ==, "web01");
}

static void
expect_error (ParseFunc parse, const char *text, gssize len, const char *needle)
{
	g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	g_autoptr(GError) error = NULL;
	gsize n = len < 0 ? strlen (text) : (gsize) len;
	g_assert_false (parse (text, n, "bom.json", hosts, &error));
	g_assert_nonnull (error);
	if (strstr (error->message, needle) == NULL)
		g_error ("\"%s\" does not contain \"%s\"", error->message, needle);
	g_assert_cmpuint (hosts->len, ==, 0);
}

static void
test_corrupt (void)
{
#define CDX "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\","
	expect_error (tu_cyclonedx_parse, CDX "\n\"components\":[{\"name\":}]}", -1, "bom.json:2:");
	expect_error (tu_cyclonedx_parse, CDX "\"components\":[{\"type\":\"library\"}]}", -1,
		      "bom.json: components[0]: name missing");
	expect_error (tu_cyclonedx_parse,
		      CDX "\"components\":[{\"name\":\"a\",\"components\":[{\"name\":\"b\"},3]}]}", -1,
		      "bom.json: components[0].components[1]: not an object");
	expect_error (tu_cyclonedx_parse, CDX "\"components\":{}}", -1, "components: not an array");
	expect_error (tu_cyclonedx_parse, "{\"bomFormat\":\"SPDX\"}", -1, "not a CycloneDX BOM");
	expect_error (tu_cyclonedx_parse, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"2.0\"}", -1,
		      "specVersion 2.0 is not supported");
	expect_error (tu_cyclonedx_parse, "[]", -1, "not an SBOM");
	expect_error (tu_cyclonedx_parse, "", 0, "empty JSON document");
	expect_error (tu_cyclonedx_parse, CDX "\"x\":\"\xc3\x28\"}", -1, "bom.json:1: not valid UTF-8");
	expect_error (tu_spdx_parse, "{\"spdxVersion\":\"SPDX-2.3\",\"packages\":[{\"versionInfo\":\"1\"}]}",
		      -1, "bom.json: packages[0]: name missing");
	expect_error (tu_spdx_parse, "{\"spdxVersion\":\"SPDX-3.0\"}", -1, "SPDX-3.0 documents are not");
	expect_error (tu_spdx_parse, "{\"name\":\"x\"}", -1, "no spdxVersion");
	expect_error (tu_spdx_parse, "{\"spdxVersion\":\"SPDX-2.3\",\"packages\":[1]}", -1,
		      "packages[0]: not an object");
	GString *deep = g_string_new (CDX "\"components\":");
	for (guint i = 0; i < 20000; i++)
		g_string_append (deep, "[{\"name\":\"a\",\"components\":");
	expect_error (tu_cyclonedx_parse, deep->str, (gssize) deep->len, "nested deeper than");
	g_string_free (deep, TRUE);
#undef CDX
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/scan/sbom/npm-cyclonedx-equals-lockfile", test_npm_cyclonedx);
	g_test_add_func ("/trueup/scan/sbom/npm-spdx-equals-lockfile", test_npm_spdx);
	g_test_add_func ("/trueup/scan/sbom/cyclonedx-nesting-publishers-images-os", test_cyclonedx_edges);
	g_test_add_func ("/trueup/scan/sbom/spdx-described-suppliers-refs-os", test_spdx_edges);
	g_test_add_func ("/trueup/scan/sbom/corrupt-is-error-naming-field", test_corrupt);
	return g_test_run ();
}
