/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rpm: the package databases of Red Hat, Fedora, SUSE, Amazon Linux, CBL-Mariner... read
 * directly, without librpm and without running anything per host, in all three on-disk
 * formats rpm has used:
 *  - SQLite (rpm >= 4.16, rpmdb.sqlite): table Packages(hnum, blob), opened from the buffer
 *    with sqlite3_deserialize on a private in-memory connection (no temporary files), with
 *    triggers and views disabled and the work bounded, since the file comes from the target;
 *  - Berkeley DB hash (Packages, rpm < 4.16): the hash pages walked in file order, each value
 *    an inline item or a chain of overflow pages (as go-rpmdb's pkg/bdb does);
 *  - SUSE's NDB (Packages.db): slot pages pointing at blob blocks (as go-rpmdb's pkg/ndb).
 *    Debian's own rpm cannot read NDB at all, which is one reason to read the formats here.
 * plus the SSH collector's `rpm -qa --queryformat` output, preferred when the host has rpm.
 *
 * Every database stores each package as one header blob (tu_rpm_parse_header): big-endian
 * index count and data length, the index entries {tag, type, offset, count}, then the data
 * store. Every offset, count and length is checked against the blob before it is read; a
 * header or database that does not parse fails the host's scan (tu-scan.h). Records follow
 * database order, which is the order `rpm -qa` prints.
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "tu-common.h"
#include "tu-sources.h"

/* --- header blobs ------------------------------------------------------------------------ */

enum {
	RPM_TYPE_NULL = 0,
	RPM_TYPE_CHAR = 1,
	RPM_TYPE_INT8 = 2,
	RPM_TYPE_INT16 = 3,
	RPM_TYPE_INT32 = 4,
	RPM_TYPE_INT64 = 5,
	RPM_TYPE_STRING = 6,
	RPM_TYPE_BIN = 7,
	RPM_TYPE_STRING_ARRAY = 8,
	RPM_TYPE_I18NSTRING = 9,
};

enum {
	TAG_HEADERIMAGE = 61,
	TAG_HEADERSIGNATURES = 62,
	TAG_HEADERIMMUTABLE = 63,
	TAG_NAME = 1000,
	TAG_VERSION = 1001,
	TAG_RELEASE = 1002,
	TAG_EPOCH = 1003,
	TAG_INSTALLTIME = 1008,
	TAG_SIZE = 1009,
	TAG_VENDOR = 1011,
	TAG_LICENSE = 1014,
	TAG_ARCH = 1022,
	TAG_SOURCERPM = 1044,
	TAG_LONGSIZE = 5009,
};

#define ENTRY_SIZE 16u
#define HEADER_MAX_BYTES (256u * 1024u * 1024u) /* rpm's own limit (header.c) */

/* The tags trueup keeps, in the order of Hdr's slots below. */
static const struct {
	gint32 tag;
	const char *name;
	gboolean is_string; /* STRING or I18NSTRING (first string); else INT32 / INT64 */
} wanted[] = {
	{TAG_NAME, "NAME", TRUE},	    {TAG_VERSION, "VERSION", TRUE},
	{TAG_RELEASE, "RELEASE", TRUE},	    {TAG_EPOCH, "EPOCH", FALSE},
	{TAG_INSTALLTIME, "INSTALLTIME", FALSE}, {TAG_SIZE, "SIZE", FALSE},
	{TAG_VENDOR, "VENDOR", TRUE},	    {TAG_LICENSE, "LICENSE", TRUE},
	{TAG_ARCH, "ARCH", TRUE},	    {TAG_SOURCERPM, "SOURCERPM", TRUE},
	{TAG_LONGSIZE, "LONGSIZE", FALSE},
};
enum { W_NAME, W_VERSION, W_RELEASE, W_EPOCH, W_INSTALLTIME, W_SIZE, W_VENDOR, W_LICENSE,
       W_ARCH, W_SOURCERPM, W_LONGSIZE, W_LAST };

typedef struct {
	const char *str[W_LAST];  /* NUL-terminated inside the blob (borrowed) */
	guint64 num[W_LAST];
	gboolean has[W_LAST];
} Hdr;

static inline guint32
rd_be32 (const guint8 *p)
{
	return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static inline guint32
rd_le32 (const guint8 *p)
{
	return ((guint32) p[3] << 24) | ((guint32) p[2] << 16) | ((guint32) p[1] << 8) | p[0];
}

static inline guint16
rd_le16 (const guint8 *p)
{
	return (guint16) (p[0] | (p[1] << 8));
}

static const char *
tag_name (gint32 tag)
{
	for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
		if (wanted[i].tag == tag)
			return wanted[i].name;
	return "?";
}

/* Check the immutable region's trailer (rpm's hdrblobVerifyRegion) when the header has one. */
static gboolean
verify_region (const guint8 *index, guint32 il, const guint8 *data, guint32 dl,
	       const char *where, GError **error)
{
	gint32 tag = (gint32) rd_be32 (index);
	if (tag != TAG_HEADERIMMUTABLE && tag != TAG_HEADERSIGNATURES && tag != TAG_HEADERIMAGE)
		return TRUE; /* a legacy header without a region */
	guint32 type = rd_be32 (index + 4);
	guint32 offset = rd_be32 (index + 8);
	guint32 count = rd_be32 (index + 12);
	if (type != RPM_TYPE_BIN || count != ENTRY_SIZE || offset > dl || dl - offset < ENTRY_SIZE) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: header index entry 0: bad region tag %d (type %u, offset %u, count %u)",
			     where, tag, type, offset, count);
		return FALSE;
	}
	const guint8 *trailer = data + offset;
	gint32 ttag = (gint32) rd_be32 (trailer);
	guint32 ttype = rd_be32 (trailer + 4);
	gint64 toffset = -(gint64) (gint32) rd_be32 (trailer + 8);
	guint32 tcount = rd_be32 (trailer + 12);
	if (tag == TAG_HEADERIMAGE)
		tag = TAG_HEADERSIGNATURES;
	if ((ttag != tag && !(tag == TAG_HEADERSIGNATURES && ttag == TAG_HEADERIMAGE)) ||
	    ttype != RPM_TYPE_BIN || tcount != ENTRY_SIZE || toffset <= 0 ||
	    toffset % ENTRY_SIZE != 0 || toffset / ENTRY_SIZE > il) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: header data byte %u: bad region trailer (tag %d, offset %" G_GINT64_FORMAT
			     ")",
			     where, offset, ttag, -toffset);
		return FALSE;
	}
	return TRUE;
}

/* Index @il entries at @index over @dl bytes of @data; fill @h with the wanted tags (a later
 * entry, e.g. one added outside the immutable region at install time, wins). */
static gboolean
hdr_read (const guint8 *blob, gsize len, const char *where, Hdr *h, GError **error)
{
	memset (h, 0, sizeof *h);
	if (len < 8) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: header of %" G_GSIZE_FORMAT " bytes is truncated (8 bytes at least)",
			     where, len);
		return FALSE;
	}
	guint32 il = rd_be32 (blob);
	guint32 dl = rd_be32 (blob + 4);
	guint64 need = 8 + (guint64) il * ENTRY_SIZE + dl;
	if (il == 0 || il > HEADER_MAX_BYTES / ENTRY_SIZE || dl > HEADER_MAX_BYTES ||
	    need > HEADER_MAX_BYTES) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: header byte 0: implausible header (%u index entries, %u data bytes)",
			     where, il, dl);
		return FALSE;
	}
	if (need > len) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: header is truncated: %u index entries and %u data bytes need %"
			     G_GUINT64_FORMAT " bytes, the blob has %" G_GSIZE_FORMAT,
			     where, il, dl, need, len);
		return FALSE;
	}
	const guint8 *index = blob + 8;
	const guint8 *data = index + (gsize) il * ENTRY_SIZE;
	if (!verify_region (index, il, data, dl, where, error))
		return FALSE;

	for (guint32 i = 0; i < il; i++) {
		const guint8 *e = index + (gsize) i * ENTRY_SIZE;
		gint32 tag = (gint32) rd_be32 (e);
		guint w;
		for (w = 0; w < W_LAST; w++)
			if (wanted[w].tag == tag)
				break;
		if (w == W_LAST)
			continue;
		guint32 type = rd_be32 (e + 4);
		guint32 offset = rd_be32 (e + 8);
		guint32 count = rd_be32 (e + 12);
		gsize at = 8 + (gsize) il * ENTRY_SIZE + offset; /* byte of the blob, for messages */
		if (offset >= dl || count == 0) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: header index entry %u: tag %s (%d): offset %u outside the %u data "
				     "bytes (count %u)",
				     where, i, wanted[w].name, tag, offset, dl, count);
			return FALSE;
		}
		if (wanted[w].is_string) {
			if (type != RPM_TYPE_STRING && type != RPM_TYPE_I18NSTRING &&
			    type != RPM_TYPE_STRING_ARRAY) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s: header index entry %u: tag %s (%d) has type %u, not a string",
					     where, i, wanted[w].name, tag, type);
				return FALSE;
			}
			const guint8 *s = data + offset;
			if (memchr (s, '\0', dl - offset) == NULL) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s: header byte %" G_GSIZE_FORMAT ": tag %s (%d): string runs past "
					     "the end of the data",
					     where, at, wanted[w].name, tag);
				return FALSE;
			}
			h->str[w] = (const char *) s;
		} else {
			guint size = type == RPM_TYPE_INT32 ? 4 : type == RPM_TYPE_INT64 ? 8 : 0;
			if (size == 0 || (w != W_LONGSIZE && type != RPM_TYPE_INT32)) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s: header index entry %u: tag %s (%d) has type %u, not an integer",
					     where, i, wanted[w].name, tag, type);
				return FALSE;
			}
			if (dl - offset < size) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s: header byte %" G_GSIZE_FORMAT ": tag %s (%d): integer runs "
					     "past the end of the data",
					     where, at, wanted[w].name, tag);
				return FALSE;
			}
			const guint8 *p = data + offset;
			h->num[w] = size == 4 ? rd_be32 (p) : ((guint64) rd_be32 (p) << 32) | rd_be32 (p + 4);
		}
		h->has[w] = TRUE;
	}
	return TRUE;
}

/* "util-linux-2.32.1-42.el8_8.src.rpm" -> "util-linux"; NULL when it is not of that form. */
static char *
source_rpm_name (const char *srpm)
{
	const char *end = NULL;
	if (g_str_has_suffix (srpm, ".src.rpm"))
		end = srpm + strlen (srpm) - strlen (".src.rpm");
	else if (g_str_has_suffix (srpm, ".nosrc.rpm"))
		end = srpm + strlen (srpm) - strlen (".nosrc.rpm");
	else
		return NULL;
	/* strip -RELEASE and -VERSION */
	for (guint dashes = 0; dashes < 2; dashes++) {
		while (end > srpm && end[-1] != '-')
			end--;
		if (end == srpm)
			return NULL;
		end--;
	}
	if (end == srpm)
		return NULL;
	return g_strndup (srpm, (gsize) (end - srpm));
}

static char *
unix_date (guint64 secs)
{
	if (secs == 0 || secs > (guint64) G_MAXINT64 / G_USEC_PER_SEC)
		return NULL;
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc ((gint64) secs);
	return dt ? g_date_time_format (dt, "%Y-%m-%d") : NULL;
}

/* Append one record from a parsed header or an rpm -qa line. */
typedef struct {
	const char *name, *epoch, *version, *release, *arch, *vendor, *sourcerpm, *license;
	gint64 size;
	guint64 installtime;
} RpmFields;

static void
rpm_emit (const RpmFields *f, TuHostScan *scan)
{
	g_autofree char *name = tu_scan_clean_field (f->name, -1);
	g_autofree char *evr = NULL;
	if (f->epoch != NULL && *f->epoch != '\0')
		evr = g_strdup_printf ("%s:%s-%s", f->epoch, f->version, f->release);
	else
		evr = g_strdup_printf ("%s-%s", f->version, f->release);
	g_autofree char *version = tu_scan_clean_field (evr, -1);
	/* rpm prints "(none)" for an absent string; some packages store it literally */
	const char *vendor = g_strcmp0 (f->vendor, "(none)") == 0 ? NULL : f->vendor;
	const char *license = g_strcmp0 (f->license, "(none)") == 0 ? NULL : f->license;
	const char *srpm = g_strcmp0 (f->sourcerpm, "(none)") == 0 ? NULL : f->sourcerpm;
	g_autofree char *c_vendor = vendor && *vendor ? tu_scan_clean_field (vendor, -1) : NULL;
	g_autofree char *c_license = license && *license ? tu_scan_clean_field (license, -1) : NULL;
	g_autofree char *c_arch = f->arch && *f->arch ? tu_scan_clean_field (f->arch, -1) : NULL;
	g_autofree char *src = srpm && *srpm ? source_rpm_name (srpm) : NULL;
	g_autofree char *c_src = src ? tu_scan_clean_field (src, -1) : NULL;
	g_autofree char *date = unix_date (f->installtime);

	TuRecord r = TU_RECORD_INIT;
	r.source = TU_SOURCE_RPM;
	r.raw_name = name;
	r.raw_version = version;
	r.raw_publisher = c_vendor;
	r.arch = c_arch;
	r.source_package = c_src;
	r.license = c_license;
	r.install_date = date;
	r.size_bytes = f->size;
	/* the public keys rpm trusts are pseudo-packages, part of the system */
	if (g_strcmp0 (name, "gpg-pubkey") == 0)
		r.kind = "system";
	tu_record_list_add (scan->records, &r);
}

/* Parse one header; @where names it in messages ("FILE: package hnum 12"). */
static gboolean
header_parse (const guint8 *blob, gsize len, const char *where, TuHostScan *scan, GError **error)
{
	Hdr h;
	if (!hdr_read (blob, len, where, &h, error))
		return FALSE;
	static const guint required[] = {W_NAME, W_VERSION, W_RELEASE};
	for (guint i = 0; i < G_N_ELEMENTS (required); i++) {
		guint w = required[i];
		if (h.has[w] && *h.str[w] != '\0')
			continue;
		if (w == W_NAME)
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: header without a NAME tag", where);
		else {
			g_autofree char *name = tu_scan_clean_field (h.str[W_NAME], -1);
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: package %s: %s tag missing", where, name, tag_name (wanted[w].tag));
		}
		return FALSE;
	}
	char epoch[16] = "";
	if (h.has[W_EPOCH])
		g_snprintf (epoch, sizeof epoch, "%" G_GUINT64_FORMAT, h.num[W_EPOCH]);
	RpmFields f = {
		.name = h.str[W_NAME],
		.epoch = epoch,
		.version = h.str[W_VERSION],
		.release = h.str[W_RELEASE],
		.arch = h.str[W_ARCH],
		.vendor = h.str[W_VENDOR],
		.sourcerpm = h.str[W_SOURCERPM],
		.license = h.str[W_LICENSE],
		.size = -1,
		.installtime = h.has[W_INSTALLTIME] ? h.num[W_INSTALLTIME] : 0,
	};
	if (h.has[W_LONGSIZE] && h.num[W_LONGSIZE] <= G_MAXINT64)
		f.size = (gint64) h.num[W_LONGSIZE];
	else if (h.has[W_SIZE])
		f.size = (gint64) h.num[W_SIZE];
	rpm_emit (&f, scan);
	return TRUE;
}

gboolean
tu_rpm_parse_header (const guint8 *blob, gsize len, const char *path, TuHostScan *scan,
		     GError **error)
{
	return header_parse (blob, len, path, scan, error);
}

/* --- SQLite ------------------------------------------------------------------------------ */

typedef struct {
	guint64 calls;
	guint64 max_calls;
} Budget;

static int
sqlite_progress (void *user_data)
{
	Budget *b = user_data;
	return ++b->calls > b->max_calls;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

gboolean
tu_rpm_parse_sqlite (const guint8 *buf, gsize len, const char *path, TuHostScan *scan,
		     GError **error)
{
	static const char magic[16] = "SQLite format 3";
	if (len < 100 || memcmp (buf, magic, sizeof magic) != 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: byte 0: not an SQLite database", path);
		return FALSE;
	}
	g_autoptr(sqlite3) db = NULL;
	if (sqlite3_open_v2 (":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		g_set_error (error, TU_ERROR, TU_ERROR_FAILED, "%s: cannot open SQLite: %s", path,
			     db ? sqlite3_errmsg (db) : "out of memory");
		return FALSE;
	}
	/* the file is the target's: nothing in it may run code or take unbounded work */
	sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
	sqlite3_db_config (db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_limit (db, SQLITE_LIMIT_LENGTH, (int) HEADER_MAX_BYTES);
	sqlite3_limit (db, SQLITE_LIMIT_SQL_LENGTH, 1 << 20);
	Budget budget = {0, 100000 + len / 8};
	sqlite3_progress_handler (db, 1000, sqlite_progress, &budget);

	/* rpm keeps its database in WAL mode, which an in-memory image cannot open: the copy is
	 * marked as a rollback-journal database (header bytes 18-19), the pages are the same */
	guint8 *copy = sqlite3_malloc64 (len);
	if (copy == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_FAILED, "%s: out of memory", path);
		return FALSE;
	}
	memcpy (copy, buf, len);
	if (copy[18] == 2)
		copy[18] = 1;
	if (copy[19] == 2)
		copy[19] = 1;
	int rc = sqlite3_deserialize (db, "main", copy, (sqlite3_int64) len, (sqlite3_int64) len,
				      SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
	if (rc != SQLITE_OK) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: cannot load the database: %s",
			     path, sqlite3_errmsg (db));
		return FALSE;
	}
	g_autoptr(sqlite3_stmt) stmt = NULL;
	rc = sqlite3_prepare_v2 (db, "SELECT hnum, blob FROM Packages ORDER BY hnum", -1, &stmt, NULL);
	if (rc != SQLITE_OK) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: not an rpm database (table Packages(hnum, blob)): %s", path,
			     sqlite3_errmsg (db));
		return FALSE;
	}
	while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
		sqlite3_int64 hnum = sqlite3_column_int64 (stmt, 0);
		g_autofree char *where = g_strdup_printf ("%s: package hnum %lld", path, (long long) hnum);
		if (sqlite3_column_type (stmt, 1) != SQLITE_BLOB) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: blob is not a BLOB", where);
			return FALSE;
		}
		const guint8 *blob = sqlite3_column_blob (stmt, 1);
		int n = sqlite3_column_bytes (stmt, 1);
		if (!header_parse (blob, n > 0 ? (gsize) n : 0, where, scan, error))
			return FALSE;
	}
	if (rc != SQLITE_DONE) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: reading table Packages: %s",
			     path, budget.calls > budget.max_calls ? "too much work, giving up"
								   : sqlite3_errmsg (db));
		return FALSE;
	}
	return TRUE;
}

/* --- Berkeley DB hash -------------------------------------------------------------------- */

#define BDB_HASH_MAGIC 0x061561u
#define BDB_PAGE_HEADER 26u
#define BDB_P_HASH_UNSORTED 2
#define BDB_P_OVERFLOW 7
#define BDB_P_HASHMETA 8
#define BDB_P_HASH 13
#define BDB_H_KEYDATA 1
#define BDB_H_OFFPAGE 3

typedef struct {
	const guint8 *buf;
	gsize len;
	guint32 page_size;
	guint32 last_pgno;
	gboolean swapped; /* written on a big-endian host */
	const char *path;
} Bdb;

static inline guint32
bdb32 (const Bdb *db, const guint8 *p)
{
	return db->swapped ? rd_be32 (p) : rd_le32 (p);
}

static inline guint16
bdb16 (const Bdb *db, const guint8 *p)
{
	return db->swapped ? (guint16) ((p[0] << 8) | p[1]) : rd_le16 (p);
}

/* Concatenate the overflow chain starting at @pgno into @out (exactly @total bytes). */
static gboolean
bdb_overflow (const Bdb *db, guint32 pgno, guint32 total, GByteArray *out, guint32 from_page,
	      GError **error)
{
	g_byte_array_set_size (out, 0);
	guint32 visited = 0;
	while (pgno != 0) {
		if (pgno > db->last_pgno || ++visited > db->last_pgno) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: page %u: overflow chain reaches page %u, outside the file or "
				     "looping",
				     db->path, from_page, pgno);
			return FALSE;
		}
		const guint8 *page = db->buf + (gsize) pgno * db->page_size;
		if (page[25] != BDB_P_OVERFLOW) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: page %u (byte offset %" G_GSIZE_FORMAT "): type %u in an "
				     "overflow chain",
				     db->path, pgno, (gsize) pgno * db->page_size, page[25]);
			return FALSE;
		}
		guint32 n = bdb16 (db, page + 22); /* OV_LEN: bytes used on this page */
		if (n > db->page_size - BDB_PAGE_HEADER || out->len + (guint64) n > total) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: page %u (byte offset %" G_GSIZE_FORMAT "): overflow length %u "
				     "does not fit",
				     db->path, pgno, (gsize) pgno * db->page_size, n);
			return FALSE;
		}
		g_byte_array_append (out, page + BDB_PAGE_HEADER, n);
		pgno = bdb32 (db, page + 16);
	}
	if (out->len != total) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: page %u: overflow chain holds %u bytes, the item says %u", db->path,
			     from_page, out->len, total);
		return FALSE;
	}
	return TRUE;
}

gboolean
tu_rpm_parse_bdb (const guint8 *buf, gsize len, const char *path, TuHostScan *scan,
		  GError **error)
{
	Bdb db = {.buf = buf, .len = len, .path = path};
	if (len < 512) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: byte 0: too short for a Berkeley DB file (%" G_GSIZE_FORMAT " bytes)",
			     path, len);
		return FALSE;
	}
	if (rd_le32 (buf + 12) == BDB_HASH_MAGIC)
		db.swapped = FALSE;
	else if (rd_be32 (buf + 12) == BDB_HASH_MAGIC)
		db.swapped = TRUE;
	else {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: byte 12: not a Berkeley DB hash database (magic %08x)", path,
			     rd_le32 (buf + 12));
		return FALSE;
	}
	db.page_size = bdb32 (&db, buf + 20);
	if (db.page_size < 512 || db.page_size > 65536 || (db.page_size & (db.page_size - 1)) != 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: byte 20: bad page size %u",
			     path, db.page_size);
		return FALSE;
	}
	if (buf[24] != 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_UNSUPPORTED,
			     "%s: byte 24: encrypted Berkeley DB (algorithm %u)", path, buf[24]);
		return FALSE;
	}
	if (buf[25] != BDB_P_HASHMETA) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: byte 25: page 0 has type %u, not hash metadata", path, buf[25]);
		return FALSE;
	}
	db.last_pgno = bdb32 (&db, buf + 32);
	if (((guint64) db.last_pgno + 1) * db.page_size > len) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: truncated: the last page is %u of %u bytes, the file has %" G_GSIZE_FORMAT
			     " bytes",
			     path, db.last_pgno, db.page_size, len);
		return FALSE;
	}
	g_autoptr(GByteArray) value = g_byte_array_new ();
	for (guint32 pgno = 1; pgno <= db.last_pgno; pgno++) {
		const guint8 *page = buf + (gsize) pgno * db.page_size;
		guint8 type = page[25];
		if (type != BDB_P_HASH && type != BDB_P_HASH_UNSORTED)
			continue;
		guint32 n_entries = bdb16 (&db, page + 20);
		if (n_entries % 2 != 0 || BDB_PAGE_HEADER + 2u * n_entries > db.page_size) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: page %u (byte offset %" G_GSIZE_FORMAT "): bad entry count %u",
				     path, pgno, (gsize) pgno * db.page_size, n_entries);
			return FALSE;
		}
		guint32 index_end = BDB_PAGE_HEADER + 2u * n_entries;
		/* items are packed from the end of the page: item i ends where item i-1 starts */
		for (guint32 i = 0; i < n_entries; i += 2) {
			guint32 key_off = bdb16 (&db, page + BDB_PAGE_HEADER + 2 * i);
			guint32 key_end = i == 0 ? db.page_size
						 : bdb16 (&db, page + BDB_PAGE_HEADER + 2 * (i - 1));
			guint32 off = bdb16 (&db, page + BDB_PAGE_HEADER + 2 * (i + 1));
			guint32 end = key_off;
			if (key_off < index_end || key_off >= key_end || key_end > db.page_size ||
			    off < index_end || off >= end) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s: page %u (byte offset %" G_GSIZE_FORMAT "): item %u is out of "
					     "place",
					     path, pgno, (gsize) pgno * db.page_size, i);
				return FALSE;
			}
			g_autofree char *where = g_strdup_printf ("%s: page %u item %u", path, pgno, i + 1);
			const guint8 *item = page + off;
			if (item[0] == BDB_H_OFFPAGE) {
				if (end - off < 12) {
					g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
						     "%s: short off-page item", where);
					return FALSE;
				}
				guint32 first = bdb32 (&db, item + 4);
				guint32 total = bdb32 (&db, item + 8);
				if (total > HEADER_MAX_BYTES) {
					g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
						     "%s: off-page item of %u bytes", where, total);
					return FALSE;
				}
				if (!bdb_overflow (&db, first, total, value, pgno, error))
					return FALSE;
				if (!header_parse (value->data, value->len, where, scan, error))
					return FALSE;
			} else if (item[0] == BDB_H_KEYDATA) {
				/* rpm's record 0 holds the next package number, not a header */
				const guint8 *key = page + key_off;
				gsize key_len = key_end - key_off;
				if (key[0] == BDB_H_KEYDATA && key_len == 5 && memcmp (key + 1, "\0\0\0\0", 4) == 0)
					continue;
				if (!header_parse (item + 1, end - off - 1, where, scan, error))
					return FALSE;
			} else {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s: unsupported item type %u", where, item[0]);
				return FALSE;
			}
		}
	}
	return TRUE;
}

/* --- NDB (SUSE) -------------------------------------------------------------------------- */

#define NDB_HEADER_MAGIC 0x506d7052u /* "RpmP" */
#define NDB_SLOT_MAGIC 0x746f6c53u   /* "Slot" */
#define NDB_BLOB_MAGIC 0x53626c42u   /* "BlbS" */
#define NDB_TAIL_MAGIC 0x45626c42u   /* "BlbE" */
#define NDB_SLOT_PAGE 4096u
#define NDB_BLK 16u

gboolean
tu_rpm_parse_ndb (const guint8 *buf, gsize len, const char *path, TuHostScan *scan,
		  GError **error)
{
	if (len < 32 || rd_le32 (buf) != NDB_HEADER_MAGIC) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: byte 0: not an rpm NDB database",
			     path);
		return FALSE;
	}
	guint32 version = rd_le32 (buf + 4);
	guint32 n_pages = rd_le32 (buf + 12);
	if (version != 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_UNSUPPORTED,
			     "%s: byte 4: NDB version %u is not supported", path, version);
		return FALSE;
	}
	if (n_pages == 0 || n_pages > 2048 || (guint64) n_pages * NDB_SLOT_PAGE > len) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: byte 12: %u slot pages do not fit in %" G_GSIZE_FORMAT " bytes", path,
			     n_pages, len);
		return FALSE;
	}
	gsize slots_end = (gsize) n_pages * NDB_SLOT_PAGE;
	/* the first two slots' room holds the database header */
	for (gsize s = 32; s + 16 <= slots_end; s += 16) {
		const guint8 *slot = buf + s;
		if (rd_le32 (slot) != NDB_SLOT_MAGIC) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: byte %" G_GSIZE_FORMAT ": bad slot magic", path, s);
			return FALSE;
		}
		guint32 pkgidx = rd_le32 (slot + 4);
		guint32 blkoff = rd_le32 (slot + 8);
		guint32 blkcnt = rd_le32 (slot + 12);
		if (pkgidx == 0)
			continue; /* a free slot */
		guint64 start = (guint64) blkoff * NDB_BLK;
		guint64 stop = start + (guint64) blkcnt * NDB_BLK;
		if (start < slots_end || blkcnt < 2 || stop > len) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: byte %" G_GSIZE_FORMAT ": package index %u: blocks %u+%u are "
				     "outside the file",
				     path, s, pkgidx, blkoff, blkcnt);
			return FALSE;
		}
		const guint8 *blob = buf + start;
		guint32 blob_len = rd_le32 (blob + 12);
		if (rd_le32 (blob) != NDB_BLOB_MAGIC || rd_le32 (blob + 4) != pkgidx ||
		    16 + (guint64) blob_len + 12 > stop - start) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: byte %" G_GUINT64_FORMAT ": package index %u: bad blob header",
				     path, start, pkgidx);
			return FALSE;
		}
		const guint8 *tail = buf + stop - 12;
		if (rd_le32 (tail + 8) != NDB_TAIL_MAGIC || rd_le32 (tail + 4) != blob_len) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: byte %" G_GUINT64_FORMAT ": package index %u: bad blob tail",
				     path, stop - 12, pkgidx);
			return FALSE;
		}
		g_autofree char *where = g_strdup_printf ("%s: byte %" G_GUINT64_FORMAT " (package index %u)",
							  path, start + 16, pkgidx);
		if (!header_parse (blob + 16, blob_len, where, scan, error))
			return FALSE;
	}
	return TRUE;
}

/* --- rpm -qa output ---------------------------------------------------------------------- */

gboolean
tu_rpm_parse_qa (const char *buf, gsize len, const char *path, TuHostScan *scan, GError **error)
{
	enum { Q_NAME, Q_EPOCH, Q_VERSION, Q_RELEASE, Q_ARCH, Q_VENDOR, Q_SOURCERPM, Q_SIZE,
	       Q_INSTALLTIME, Q_LICENSE, Q_N };
	static const char *const qnames[] = {"NAME",  "EPOCH",	    "VERSION", "RELEASE",
					     "ARCH",  "VENDOR",	    "SOURCERPM", "SIZE",
					     "INSTALLTIME", "LICENSE"};
	const char *p = buf;
	const char *end = buf + len;
	guint lineno = 0;
	while (p < end) {
		const char *nl = memchr (p, '\n', (gsize) (end - p));
		const char *line_end = nl ? nl : end;
		lineno++;
		gsize n = (gsize) (line_end - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		const char *line = p;
		p = nl ? nl + 1 : end;
		if (n == 0)
			continue;
		if (memchr (line, '\0', n) != NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: NUL byte in line", path,
				     lineno);
			return FALSE;
		}
		/* split in place into Q_N fields (copies: the buffer is const) */
		g_autofree char *copy = g_strndup (line, n);
		char *fields[Q_N];
		guint nf = 0;
		char *f = copy;
		for (;;) {
			char *tab = strchr (f, '\t');
			if (nf < Q_N)
				fields[nf] = f;
			nf++;
			if (tab == NULL)
				break;
			*tab = '\0';
			f = tab + 1;
		}
		if (nf != Q_N) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: %u tab-separated fields, expected %u (NAME EPOCH VERSION RELEASE "
				     "ARCH VENDOR SOURCERPM SIZE INSTALLTIME LICENSE)",
				     path, lineno, nf, (guint) Q_N);
			return FALSE;
		}
		for (guint i = 0; i < Q_N; i++) {
			if ((i == Q_NAME || i == Q_VERSION || i == Q_RELEASE) && *fields[i] == '\0') {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s:%u: %s field empty",
					     path, lineno, qnames[i]);
				return FALSE;
			}
		}
		guint64 v = 0;
		if (*fields[Q_EPOCH] != '\0' &&
		    !g_ascii_string_to_unsigned (fields[Q_EPOCH], 10, 0, G_MAXUINT32, &v, NULL)) {
			g_autofree char *name = tu_scan_clean_field (fields[Q_NAME], -1);
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s:%u: package %s: EPOCH field is not a number", path, lineno, name);
			return FALSE;
		}
		RpmFields rf = {
			.name = fields[Q_NAME],
			.epoch = fields[Q_EPOCH],
			.version = fields[Q_VERSION],
			.release = fields[Q_RELEASE],
			.arch = fields[Q_ARCH],
			.vendor = fields[Q_VENDOR],
			.sourcerpm = fields[Q_SOURCERPM],
			.license = fields[Q_LICENSE],
			.size = -1,
		};
		if (*fields[Q_SIZE] != '\0') {
			if (!g_ascii_string_to_unsigned (fields[Q_SIZE], 10, 0, G_MAXINT64, &v, NULL)) {
				g_autofree char *name = tu_scan_clean_field (fields[Q_NAME], -1);
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: package %s: SIZE field is not a number", path, lineno, name);
				return FALSE;
			}
			rf.size = (gint64) v;
		}
		if (*fields[Q_INSTALLTIME] != '\0' && strcmp (fields[Q_INSTALLTIME], "(none)") != 0) {
			if (!g_ascii_string_to_unsigned (fields[Q_INSTALLTIME], 10, 0, G_MAXINT64, &v, NULL)) {
				g_autofree char *name = tu_scan_clean_field (fields[Q_NAME], -1);
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "%s:%u: package %s: INSTALLTIME field is not a number", path,
					     lineno, name);
				return FALSE;
			}
			rf.installtime = v;
		}
		rpm_emit (&rf, scan);
	}
	return TRUE;
}

/* --- finder ------------------------------------------------------------------------------ */

typedef gboolean (*RpmDbParser) (const guint8 *buf, gsize len, const char *path,
				 TuHostScan *scan, GError **error);

void
tu_source_rpm (TuFs *fs, TuHostScan *scan, const TuScanOptions *options)
{
	static const struct {
		const char *path;
		RpmDbParser parse;
	} dbs[] = {
		{"var/lib/rpm/rpmdb.sqlite", tu_rpm_parse_sqlite},
		{"var/lib/rpm/Packages.db", tu_rpm_parse_ndb},
		{"var/lib/rpm/Packages", tu_rpm_parse_bdb},
		{"usr/lib/sysimage/rpm/rpmdb.sqlite", tu_rpm_parse_sqlite},
		{"usr/lib/sysimage/rpm/Packages.db", tu_rpm_parse_ndb},
		{"usr/lib/sysimage/rpm/Packages", tu_rpm_parse_bdb},
	};
	g_autoptr(GError) error = NULL;

	/* the host's own rpm, run by the SSH collector */
	g_autoptr(GBytes) qa = tu_fs_read (fs, ".trueup/cmd/rpm-qa", TU_SCAN_MAX_DB_BYTES, &error);
	if (qa != NULL) {
		g_autofree char *shown = tu_fs_display (fs, ".trueup/cmd/rpm-qa");
		tu_rpm_parse_qa (g_bytes_get_data (qa, NULL), g_bytes_get_size (qa), shown, scan,
				 &scan->error);
		return;
	}
	g_clear_error (&error);

	for (guint i = 0; i < G_N_ELEMENTS (dbs); i++) {
		g_autoptr(GBytes) bytes = tu_fs_read (fs, dbs[i].path, TU_SCAN_MAX_DB_BYTES, &error);
		if (bytes == NULL) {
			if (g_error_matches (error, TU_ERROR, TU_ERROR_NOT_FOUND)) {
				g_clear_error (&error);
				continue;
			}
			/* a database we cannot read fails the host: see tu-scan.h */
			g_propagate_error (&scan->error, g_steal_pointer (&error));
			return;
		}
		g_autofree char *shown = tu_fs_display (fs, dbs[i].path);
		if (g_str_has_suffix (dbs[i].path, ".sqlite")) {
			g_autofree char *wal = g_strconcat (dbs[i].path, "-wal", NULL);
			if (tu_fs_file_size (fs, wal) > 32)
				tu_host_scan_warn (scan,
						   "%s-wal: the database has changes not yet checkpointed; "
						   "packages installed or removed since may be missing",
						   shown);
		}
		dbs[i].parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), shown, scan,
			      &scan->error);
		return; /* the first database found wins */
	}
}
