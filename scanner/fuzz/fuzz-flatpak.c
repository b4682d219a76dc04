/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness for the flatpak deploy-data parser (GVariant (ssasta{sv})). Seeds:
 * tests/fuzz/flatpak/ (deploy files serialized as flatpak writes them). */
#include <stdint.h>

#include "tu-common.h"
#include "tu-sources.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	TuHostScan *scan = tu_host_scan_new ("fuzz");
	GError *error = NULL;
	tu_flatpak_parse_deploy (data, size, "deploy", "org.example.App", "x86_64", "stable", scan,
				 &error);
	g_clear_error (&error);
	tu_host_scan_free (scan);
	return 0;
}
