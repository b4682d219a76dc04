/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness for the rpm parsers: the input's magic picks the database parser (SQLite,
 * NDB, Berkeley DB hash, either byte order); anything else is fed to the header-blob parser
 * and to the rpm -qa parser. Seeds: tests/fuzz/rpm/.
 */
#include <stdint.h>
#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	TuHostScan *scan = tu_host_scan_new ("fuzz");
	GError *error = NULL;
	static const guint8 bdb_le[4] = {0x61, 0x15, 0x06, 0x00};
	static const guint8 bdb_be[4] = {0x00, 0x06, 0x15, 0x61};
	if (size >= 16 && memcmp (data, "SQLite format 3", 16) == 0)
		tu_rpm_parse_sqlite (data, size, "rpmdb.sqlite", scan, &error);
	else if (size >= 4 && memcmp (data, "RpmP", 4) == 0)
		tu_rpm_parse_ndb (data, size, "Packages.db", scan, &error);
	else if (size >= 16 && (memcmp (data + 12, bdb_le, 4) == 0 || memcmp (data + 12, bdb_be, 4) == 0))
		tu_rpm_parse_bdb (data, size, "Packages", scan, &error);
	else {
		tu_rpm_parse_header (data, size, "blob", scan, &error);
		g_clear_error (&error);
		tu_rpm_parse_qa ((const char *) data, size, "rpm-qa", scan, &error);
	}
	g_clear_error (&error);
	tu_host_scan_free (scan);
	return 0;
}
