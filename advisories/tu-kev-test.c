/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CISA's known-exploited list in the embedded store: the JSON and the CSV of the same
 * catalogue (shared/data/kev, 2025-08-25) give the same 1404 rows, field for field, through a
 * real CSV parser (quoted commas, curly quotes); malformed files are errors naming the file,
 * the line and the field, and leave the stored list as it was.
 */
#include <string.h>

#include "tu-common.h"
#include "tu-migrate.h"
#include "tu-osv.h"
#include "tu-test-store.h"
#include "tu-test-util.h"

static gint64
count (TuDb *db, const char *sql)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(MYSQL_RES) res = tu_db_query (db, sql, &error);
	g_assert_no_error (error);
	MYSQL_ROW row = mysql_fetch_row (res);
	g_assert_nonnull (row);
	return tu_row_int (row, 0, -1);
}

/* The stored list as text, one line per CVE, every column but the import time. */
static char *
dump_kev (TuDb *db)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(MYSQL_RES) res = tu_db_query (
		db, "SELECT cve, vendor, product, name, date_added, due_date, ransomware, notes "
		    "FROM kev ORDER BY cve",
		&error);
	g_assert_no_error (error);
	GString *out = g_string_new (NULL);
	MYSQL_ROW row;
	while ((row = mysql_fetch_row (res)) != NULL) {
		for (guint i = 0; i < 8; i++) {
			if (i > 0)
				g_string_append_c (out, '\t');
			g_string_append (out, row[i] ? row[i] : "\\N");
		}
		g_string_append_c (out, '\n');
	}
	return g_string_free (out, FALSE);
}

static char *
row_field (TuDb *db, const char *column, const char *cve)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *sql = g_strdup_printf ("SELECT %s FROM kev WHERE cve = ?", column);
	g_autoptr(TuSql) q = tu_sql_new (db, sql);
	tu_sql_bind_str (q, cve);
	g_autoptr(MYSQL_RES) res = tu_db_query (db, tu_sql_get (q), &error);
	g_assert_no_error (error);
	MYSQL_ROW row = mysql_fetch_row (res);
	g_assert_nonnull (row);
	return g_strdup (row[0]);
}

static void
test_json_and_csv_agree (void)
{
	g_autofree char *json = tu_test_shared_path ("kev/known_exploited_vulnerabilities.json");
	g_autofree char *csv = tu_test_shared_path ("kev/known_exploited_vulnerabilities.csv");
	if (json == NULL || csv == NULL) {
		g_test_skip ("shared/data is not on this machine");
		return;
	}
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autoptr(GError) error = NULL;
	guint n = 0;
	g_assert_true (tu_kev_import (db, json, &n, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (n, ==, 1404);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM kev"), ==, 1404);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM kev WHERE ransomware = 'Known'"), ==,
			 293);
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM kev WHERE ransomware = 'Unknown'"), ==,
			 1111);
	g_autofree char *from_json = dump_kev (db);

	g_assert_true (tu_kev_import (db, csv, &n, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (n, ==, 1404);
	g_autofree char *from_csv = dump_kev (db);
	g_assert_cmpuint (strlen (from_csv), >, 100000);
	g_assert_cmpstr (from_json, ==, from_csv);

	/* the first row of both files: quoted fields with commas and a curly apostrophe */
	g_autofree char *vendor = row_field (db, "vendor", "CVE-2025-48384");
	g_autofree char *name = row_field (db, "name", "CVE-2025-48384");
	g_autofree char *added = row_field (db, "date_added", "CVE-2025-48384");
	g_autofree char *due = row_field (db, "due_date", "CVE-2025-48384");
	g_autofree char *notes = row_field (db, "notes", "CVE-2025-48384");
	g_assert_cmpstr (vendor, ==, "Git");
	g_assert_cmpstr (name, ==, "Git Link Following Vulnerability");
	g_assert_cmpstr (added, ==, "2025-08-25");
	g_assert_cmpstr (due, ==, "2025-09-15");
	g_assert_true (g_str_has_prefix (notes, "This vulnerability affects a common open-source "
						"component, third-party library, or a protocol"));
	g_autofree char *product = row_field (db, "product", "CVE-2024-8068");
	g_assert_cmpstr (product, ==, "Session Recording");
	/* CVE ids of 4 to 7 digits */
	g_assert_cmpint (count (db, "SELECT COUNT(*) FROM kev WHERE LENGTH(cve) >= 15"), ==, 6);
}

/* Each malformed file is an error naming the file, the line and the field; the list stays. */
static void
test_malformed_files (void)
{
	static const struct {
		const char *name;
		const char *text;
		const char *says;
	} bad[] = {
	    {"bad-date.csv",
	     "cveID,vendorProject,product,vulnerabilityName,dateAdded,dueDate\n"
	     "CVE-2099-0001,A,B,C,2099-01-01,2099-01-21\n"
	     "CVE-2099-0002,A,\"B, the product\",C,2099-02-30,2099-03-01\n",
	     "bad-date.csv:3: field dateAdded: \"2099-02-30\" is not a date"},
	    {"bad-cve.csv",
	     "cveID,vendorProject,product,vulnerabilityName,dateAdded\n"
	     "CVE-99-1,A,B,C,2099-01-01\n",
	     "bad-cve.csv:2: field cveID: \"CVE-99-1\" is not a CVE id"},
	    {"dup.csv",
	     "cveID,vendorProject,product,vulnerabilityName,dateAdded\n"
	     "CVE-2099-0001,A,B,C,2099-01-01\n"
	     "\"CVE-2099-0001\",A,B,\"C\nover two lines\",2099-01-01\n",
	     "dup.csv:3: field cveID: CVE-2099-0001 is already on line 2"},
	    {"missing-column.csv", "cveID,vendorProject,product\nCVE-2099-0001,A,B\n",
	     "required column \"vulnerabilityName\" is missing"},
	    {"unknown-column.csv",
	     "cveID,vendorProject,product,vulnerabilityName,dateAdded,epss\n"
	     "CVE-2099-0001,A,B,C,2099-01-01,0.5\n",
	     "unknown column \"epss\""},
	    {"unterminated.csv",
	     "cveID,vendorProject,product,vulnerabilityName,dateAdded\n"
	     "CVE-2099-0001,A,\"B,C,2099-01-01\n",
	     "unterminated.csv"},
	    {"header-only.csv", "cveID,vendorProject,product,vulnerabilityName,dateAdded\n",
	     "no vulnerabilities"},
	    {"syntax.json",
	     "{\n  \"count\": 1,\n  \"vulnerabilities\": [\n    {\"cveID\": }\n  ]\n}\n",
	     "syntax.json:4:"},
	    {"not-kev.json", "{\"id\": \"GHSA-1\", \"affected\": []}",
	     "not a KEV catalogue: no \"vulnerabilities\" array"},
	    {"bad-type.json",
	     "{\"vulnerabilities\": [\n {\"cveID\": \"CVE-2099-0001\", \"dateAdded\": "
	     "\"2099-01-01\"},\n"
	     " {\"cveID\": \"CVE-2099-0002\", \"dateAdded\": 20990101}\n]}",
	     "bad-type.json:3: field dateAdded: not a string"},
	    {"no-cve.json",
	     "{\"vulnerabilities\": [\n {\"vendorProject\": \"A\", \"dateAdded\": "
	     "\"2099-01-01\"}]}",
	     "no-cve.json:2: field cveID: must not be empty"},
	    {"count.json",
	     "{\"count\": 2, \"vulnerabilities\": [{\"cveID\": \"CVE-2099-0001\", \"dateAdded\": "
	     "\"2099-01-01\"}]}",
	     "field count: says 2 vulnerabilities but the file has 1"},
	    {"too-long.json",
	     "{\"vulnerabilities\": [{\"cveID\": \"CVE-2099-0001\", \"dateAdded\": \"2099-01-01\", "
	     "\"knownRansomwareCampaignUse\": \"Known, and then some more words\"}]}",
	     "field knownRansomwareCampaignUse: longer than 16 characters"},
	    {"empty.json", "  \n", "the file is empty"},
	    {"two.json",
	     "{\"vulnerabilities\": [{\"cveID\": \"CVE-2099-0001\", \"dateAdded\": "
	     "\"2099-01-01\"}]}\n"
	     "{\"vulnerabilities\": [{\"cveID\": \"CVE-2099-0002\", \"dateAdded\": "
	     "\"2099-01-01\"}]}\n",
	     "more than one JSON value"},
	};
	TuDb *db = tu_test_store_get ();
	if (db == NULL)
		return;
	g_autofree char *dir = tu_test_mkdtemp ();
	/* a known list first, to see that failures keep it */
	tu_test_write (
	    dir, "good.csv",
	    "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,"
	    "requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes\n"
	    "CVE-2099-0001,Acme,\"Widget, Pro\",Acme Widget RCE,2099-01-01,\"It \"\"works\"\"\","
	    "Patch,2099-01-22,Unknown,,\"CWE-1, CWE-2\"\n"
	    "CVE-2099-10001,Acme,Gadget,Acme Gadget,2099-01-02,d,a,,Known,\"a\nb\",\n",
	    -1);
	g_autofree char *good = g_build_filename (dir, "good.csv", NULL);
	g_autoptr(GError) error = NULL;
	guint n = 0;
	g_assert_true (tu_kev_import (db, good, &n, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (n, ==, 2);
	/* the CSV reader drops the newline of a quoted field ("a\nb"): JSON values get the same */
	g_autofree char *before = dump_kev (db);
	g_assert_cmpstr (
	    before, ==,
	    "CVE-2099-0001\tAcme\tWidget, Pro\tAcme Widget RCE\t2099-01-01\t2099-01-22\t"
	    "Unknown\t\\N\n"
	    "CVE-2099-10001\tAcme\tGadget\tAcme Gadget\t2099-01-02\t\\N\tKnown\tab\n");

	for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
		tu_test_write (dir, bad[i].name, bad[i].text, -1);
		g_autofree char *path = g_build_filename (dir, bad[i].name, NULL);
		g_assert_false (tu_kev_import (db, path, &n, &error));
		g_assert_error (error, TU_ERROR, TU_ERROR_INVALID_DATA);
		g_test_message ("%s", error->message);
		g_assert_nonnull (strstr (error->message, bad[i].name));
		if (strstr (error->message, bad[i].says) == NULL)
			g_error ("%s: \"%s\" does not say \"%s\"", bad[i].name, error->message,
				 bad[i].says);
		g_clear_error (&error);
		g_autofree char *after = dump_kev (db);
		g_assert_cmpstr (after, ==, before);
	}
	g_autofree char *missing = g_build_filename (dir, "missing.json", NULL);
	g_assert_false (tu_kev_import (db, missing, &n, &error));
	g_assert_nonnull (error);
	tu_test_rmtree (dir);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/trueup/kev/json-and-csv-give-the-same-1404", test_json_and_csv_agree);
	g_test_add_func ("/trueup/kev/malformed-files-named-and-harmless", test_malformed_files);
	int rc = g_test_run ();
	tu_test_store_close ();
	return rc;
}
