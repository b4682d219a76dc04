/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scanner's output: raw discoveries exactly as a source wrote them, and the facts about a
 * host that licence metrics depend on. A TuRecordList owns every string of its records (one
 * GStringChunk), so parsers fill a TuRecord on the stack with borrowed pointers and append it;
 * the list copies. Unknown numeric facts are -1, never 0.
 */
#pragma once

#include <glib.h>

#include "tu-warnings.h"

G_BEGIN_DECLS

typedef enum {
	TU_SOURCE_UNKNOWN = 0,
	TU_SOURCE_DPKG,
	TU_SOURCE_RPM,
	TU_SOURCE_APK,
	TU_SOURCE_PACMAN,
	TU_SOURCE_SNAP,
	TU_SOURCE_FLATPAK,
	TU_SOURCE_PIP,
	TU_SOURCE_NPM,
	TU_SOURCE_SWID,
	TU_SOURCE_WINDOWS,
	TU_SOURCE_MACOS,
	TU_SOURCE_BINARY,
	TU_SOURCE_GLPI,
	TU_SOURCE_OSQUERY,
	TU_SOURCE_CYCLONEDX,
	TU_SOURCE_SPDX,
	TU_SOURCE_CSV,
	TU_SOURCE_LAST
} TuSource;

/* (transfer none): "dpkg", "rpm", ...; "unknown" for TU_SOURCE_UNKNOWN. */
const char *tu_source_to_string (TuSource source);
/* TU_SOURCE_UNKNOWN when @name is not a source name. */
TuSource tu_source_from_string (const char *name);

/* One raw discovery. Strings are borrowed while filling, owned by the list once appended. */
typedef struct {
	TuSource source;
	const char *raw_name;	    /* exactly as the source wrote it */
	const char *raw_version;    /* exactly as written: epoch, revision, build and all */
	const char *raw_publisher;  /* Publisher, Vendor, Maintainer, Author... */
	const char *arch;	    /* amd64, x86_64, noarch, x86 (WOW6432Node), ... */
	const char *location;	    /* install location, or the database or file it came from */
	const char *source_package; /* dpkg Source:, rpm SOURCERPM, ... */
	const char *install_date;   /* YYYY-MM-DD when known */
	const char *state;	    /* NULL: installed; else e.g. "half-installed" (not counted) */
	const char *kind;	    /* NULL; "update" (KB, ParentKeyName), "system" (OS component) */
	const char *purl;	    /* package URL given by the source (SBOMs, npm, pip) */
	const char *cpe;	    /* CPE given by the source */
	const char *license;	    /* licence expression or name given by the source */
	gint64 size_bytes;	    /* -1: unknown */
} TuRecord;

#define TU_RECORD_INIT {.size_bytes = -1}

typedef struct _TuRecordList TuRecordList;

/* (transfer full) */
TuRecordList *tu_record_list_new (void);
void tu_record_list_free (TuRecordList *list);
/* Copy @record (its strings too) into the list; returns the stored copy (transfer none). */
const TuRecord *tu_record_list_add (TuRecordList *list, const TuRecord *record);
guint tu_record_list_len (const TuRecordList *list);
/* (transfer none) */
const TuRecord *tu_record_list_get (const TuRecordList *list, guint i);
/* The stored record, to replace its string fields with strings interned in the list (the
 * store fits over-long values to its columns). (transfer none) */
TuRecord *tu_record_list_get_mutable (TuRecordList *list, guint i);
/* Copy a string into the list's storage; (transfer none), lives as long as the list. */
const char *tu_record_list_intern (TuRecordList *list, const char *s, gssize len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuRecordList, tu_record_list_free)

/* Facts about one host. Strings are owned (g_free); numbers are -1 when unknown. */
typedef struct {
	char *hostname;
	char *fqdn;
	char *machine_id;  /* /etc/machine-id, MachineGuid, hardware UUID: the host's identity */
	char *os_id;	   /* os-release ID: debian, rhel, windows, macos */
	char *os_like;	   /* os-release ID_LIKE */
	char *os_name;	   /* os-release NAME or the product name */
	char *os_version;  /* VERSION or build */
	char *os_version_id;
	char *os_pretty;
	char *os_edition;  /* Windows edition (ServerStandard...), macOS build, ... */
	char *kernel;
	char *arch;
	char *cpu_model;
	char *hypervisor;  /* kvm, vmware, hyperv, xen, ... when virtual */
	char *dmi_vendor;
	char *dmi_model;
	char *dmi_serial;
	char *ip_addresses; /* comma-separated */
	char *domain;	    /* Windows domain or workgroup */
	gint sockets;
	gint cores;	   /* physical cores, all sockets */
	gint threads;	   /* logical processors */
	gint64 memory_bytes;
	gint is_virtual;   /* -1 unknown, 0 physical, 1 virtual */
} TuHostFacts;

void tu_host_facts_init (TuHostFacts *facts);
void tu_host_facts_clear (TuHostFacts *facts);
/* Set a string fact, replacing the old one; NULL or blank clears it. The value is cleaned:
 * control characters dropped, invalid UTF-8 replaced by U+FFFD, at most TU_FACT_MAX_BYTES. */
#define TU_FACT_MAX_BYTES (64 * 1024)
void tu_host_facts_set (char **field, const char *value);
/* Fill unset fields of @dst from @src. */
void tu_host_facts_merge (TuHostFacts *dst, const TuHostFacts *src);

/* The outcome of scanning one host (or one host inside an export): facts, records, the
 * warnings worth showing, and the error when the scan failed. */
typedef struct {
	char *target;	      /* "local", "root:/mnt/img", "ssh://user@host:22", "import:FILE" */
	TuHostFacts facts;
	TuRecordList *records;
	TuWarnings *warnings; /* what the user should see; see tu-warnings.h */
	GError *error;	      /* set: the host's scan failed and nothing of it is stored */
	gint64 started_us;    /* wall clock, g_get_real_time () */
	gint64 finished_us;
} TuHostScan;

/* (transfer full) */
TuHostScan *tu_host_scan_new (const char *target);
void tu_host_scan_free (TuHostScan *scan);
/* A warning about the host's scan as a whole (tu_scan_warn_at names a file and a line). */
void tu_host_scan_warn (TuHostScan *scan, const char *format, ...) G_GNUC_PRINTF (2, 3);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuHostScan, tu_host_scan_free)

G_END_DECLS
