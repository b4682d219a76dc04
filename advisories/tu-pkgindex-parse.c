/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading distribution package indexes (see tu-pkgindex.h): decompression by magic bytes
 * (zlib for gzip, liblzma for xz, liblz4 for lz4 frames, as apt keeps its lists), the tar of
 * an APKINDEX.tar.gz, and the three record formats. Nothing here touches the store: the
 * import (tu-pkgindex-import.c) and the fuzz harnesses call these over buffers.
 *
 * Each record's version is checked with its distribution's scheme (dpkg, apk, rpm) before it
 * is kept: a version patch could not compare would give a wrong `behind`.
 */
#include "config.h"

#include <string.h>

#include <lz4frame.h>
#include <lzma.h>
#include <zlib.h>

#include "tu-common.h"
#include "tu-pkgindex.h"
#include "tu-version.h"

/* ------------------------------------------------------------ decompression --------------- */

static gboolean
too_big (const char *file, gsize max_size, GError **error)
{
	g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
		     "%s: larger than %" G_GSIZE_FORMAT " bytes decompressed", file, max_size);
	return FALSE;
}

/* gzip, with every member of a concatenation (APKINDEX.tar.gz is two) */
static GBytes *
gunzip (const char *file, const guint8 *data, gsize len, gsize max_size, GError **error)
{
	z_stream zs = {0};
	if (inflateInit2 (&zs, 16 + MAX_WBITS) != Z_OK) {
		g_set_error (error, TU_ERROR, TU_ERROR_FAILED, "%s: zlib: cannot start", file);
		return NULL;
	}
	g_autoptr(GByteArray) out = g_byte_array_new ();
	guint8 chunk[65536];
	zs.next_in = (Bytef *) data;
	zs.avail_in = (uInt) MIN (len, G_MAXUINT32);
	gsize fed = zs.avail_in;
	for (;;) {
		zs.next_out = chunk;
		zs.avail_out = sizeof chunk;
		int rc = inflate (&zs, Z_NO_FLUSH);
		g_byte_array_append (out, chunk, (guint) (sizeof chunk - zs.avail_out));
		if (out->len > max_size) {
			inflateEnd (&zs);
			too_big (file, max_size, error);
			return NULL;
		}
		if (zs.avail_in == 0 && fed < len) {
			gsize more = MIN (len - fed, G_MAXUINT32);
			zs.next_in = (Bytef *) data + fed;
			zs.avail_in = (uInt) more;
			fed += more;
		}
		if (rc == Z_STREAM_END) {
			/* another member follows, or trailing zero padding */
			while (zs.avail_in > 0 && *zs.next_in == 0) {
				zs.next_in++;
				zs.avail_in--;
			}
			if (zs.avail_in == 0)
				break;
			if (inflateReset (&zs) != Z_OK)
				rc = Z_DATA_ERROR;
			else
				continue;
		}
		if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
			inflateEnd (&zs);
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: gzip data is cut short", file);
			return NULL;
		}
		if (rc != Z_OK && rc != Z_BUF_ERROR) {
			inflateEnd (&zs);
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: not valid gzip: %s", file,
				     zs.msg ? zs.msg : "corrupt data");
			return NULL;
		}
	}
	inflateEnd (&zs);
	return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static GBytes *
unxz (const char *file, const guint8 *data, gsize len, gsize max_size, GError **error)
{
	lzma_stream xs = LZMA_STREAM_INIT;
	if (lzma_stream_decoder (&xs, G_MAXUINT64, LZMA_CONCATENATED) != LZMA_OK) {
		g_set_error (error, TU_ERROR, TU_ERROR_FAILED, "%s: liblzma: cannot start", file);
		return NULL;
	}
	g_autoptr(GByteArray) out = g_byte_array_new ();
	guint8 chunk[65536];
	xs.next_in = data;
	xs.avail_in = len;
	for (;;) {
		xs.next_out = chunk;
		xs.avail_out = sizeof chunk;
		lzma_ret rc = lzma_code (&xs, xs.avail_in == 0 ? LZMA_FINISH : LZMA_RUN);
		g_byte_array_append (out, chunk, (guint) (sizeof chunk - xs.avail_out));
		if (out->len > max_size) {
			lzma_end (&xs);
			too_big (file, max_size, error);
			return NULL;
		}
		if (rc == LZMA_STREAM_END)
			break;
		if (rc != LZMA_OK) {
			lzma_end (&xs);
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: not valid xz data (liblzma error %d)", file, (int) rc);
			return NULL;
		}
	}
	lzma_end (&xs);
	return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static GBytes *
unlz4 (const char *file, const guint8 *data, gsize len, gsize max_size, GError **error)
{
	LZ4F_dctx *dctx = NULL;
	if (LZ4F_isError (LZ4F_createDecompressionContext (&dctx, LZ4F_VERSION))) {
		g_set_error (error, TU_ERROR, TU_ERROR_FAILED, "%s: liblz4: cannot start", file);
		return NULL;
	}
	g_autoptr(GByteArray) out = g_byte_array_new ();
	guint8 chunk[65536];
	gsize pos = 0;
	size_t hint = 1;
	while (pos < len) {
		size_t in_size = len - pos;
		size_t out_size = sizeof chunk;
		hint = LZ4F_decompress (dctx, chunk, &out_size, data + pos, &in_size, NULL);
		if (LZ4F_isError (hint)) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: not valid lz4 data: %s", file, LZ4F_getErrorName (hint));
			LZ4F_freeDecompressionContext (dctx);
			return NULL;
		}
		g_byte_array_append (out, chunk, (guint) out_size);
		if (out->len > max_size) {
			LZ4F_freeDecompressionContext (dctx);
			too_big (file, max_size, error);
			return NULL;
		}
		pos += in_size;
		if (in_size == 0 && out_size == 0)
			break;
	}
	LZ4F_freeDecompressionContext (dctx);
	if (hint != 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: lz4 data is cut short",
			     file);
		return NULL;
	}
	return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* The size field of a tar header: octal digits, NUL- or space-terminated. */
static gboolean
tar_size (const guint8 *field, gsize *size)
{
	gsize v = 0;
	guint i = 0;
	while (i < 12 && field[i] == ' ')
		i++;
	guint start = i;
	for (; i < 12 && field[i] >= '0' && field[i] <= '7'; i++) {
		if (v > (G_MAXSIZE >> 3))
			return FALSE;
		v = v * 8 + (gsize) (field[i] - '0');
	}
	if (i == start || (i < 12 && field[i] != '\0' && field[i] != ' '))
		return FALSE;
	*size = v;
	return TRUE;
}

static gboolean
is_tar (const guint8 *data, gsize len)
{
	return len >= 512 && memcmp (data + 257, "ustar", 5) == 0;
}

/* The APKINDEX member of an apk index tarball (the signature's tar and the index's tar, one
 * after the other once decompressed). */
static GBytes *
apkindex_member (const char *file, GBytes *tar, GError **error)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data (tar, &len);
	gsize pos = 0;
	while (pos + 512 <= len) {
		const guint8 *h = data + pos;
		if (h[0] == '\0') {
			pos += 512; /* end-of-archive blocks between the two tars */
			continue;
		}
		gsize size = 0;
		if (!tar_size (h + 124, &size) || size > len - pos - 512) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "%s: a tar header at byte %" G_GSIZE_FORMAT
				     " has no valid size",
				     file, pos);
			return NULL;
		}
		g_autofree char *name = g_strndup ((const char *) h, 100);
		if (strcmp (name, "APKINDEX") == 0 && (h[156] == '0' || h[156] == '\0'))
			return g_bytes_new_from_bytes (tar, pos + 512, size);
		pos += 512 + (size + 511) / 512 * 512;
		if (pos > len)
			break;
	}
	g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "%s: a tar without an APKINDEX member",
		     file);
	return NULL;
}

GBytes *
tu_pkgindex_decompress (const char *file, GBytes *raw, gsize max_size, GError **error)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data (raw, &len);
	g_autoptr(GBytes) plain = NULL;
	if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b)
		plain = gunzip (file, data, len, max_size, error);
	else if (len >= 6 && memcmp (data, "\xfd"
					   "7zXZ\0",
				     6) == 0)
		plain = unxz (file, data, len, max_size, error);
	else if (len >= 4 && memcmp (data, "\x04\x22\x4d\x18", 4) == 0)
		plain = unlz4 (file, data, len, max_size, error);
	else
		plain = g_bytes_ref (raw);
	if (plain == NULL)
		return NULL;
	gsize plen = 0;
	const guint8 *pdata = g_bytes_get_data (plain, &plen);
	if (is_tar (pdata, plen))
		return apkindex_member (file, plain, error);
	return g_steal_pointer (&plain);
}

/* ------------------------------------------------------------ formats --------------------- */

TuPkgIndexFormat
tu_pkgindex_sniff (const char *buf, gsize len)
{
	gsize i = 0;
	while (i < len && g_ascii_isspace (buf[i]))
		i++;
	if (i < len && buf[i] == '<')
		return TU_PKGINDEX_RPM;
	if (i + 1 < len && g_ascii_isalpha (buf[i]) && buf[i + 1] == ':')
		return TU_PKGINDEX_APK;
	return TU_PKGINDEX_DEB;
}

/* One record's fields while it is read (borrowed from the buffer until kept). */
typedef struct {
	const char *file;
	TuScheme scheme;
	GPtrArray *entries;
	TuWarnings *warnings;
	guint line;	    /* the record's first line */
	guint version_line; /* its version's */
	char *name;
	char *version;
	char *arch;
	char *source;
	char *source_version;
	gboolean broken; /* a line of it could not be read (warned) */
} Rec;

static void
rec_clear (Rec *r)
{
	g_clear_pointer (&r->name, g_free);
	g_clear_pointer (&r->version, g_free);
	g_clear_pointer (&r->arch, g_free);
	g_clear_pointer (&r->source, g_free);
	g_clear_pointer (&r->source_version, g_free);
	r->broken = FALSE;
	r->line = 0;
	r->version_line = 0;
}

/* The record read so far: kept, or refused with a warning naming its field. */
static void
rec_end (Rec *r, const char *name_field, const char *version_field)
{
	if (r->line == 0)
		return;
	if (r->broken) {
		rec_clear (r);
		return;
	}
	if (r->name == NULL || *r->name == '\0') {
		tu_warnings_add (r->warnings, r->file, r->line, name_field,
				 "a record without a package name (skipped)");
	} else if (r->version == NULL || *r->version == '\0') {
		tu_warnings_add (r->warnings, r->file, r->line, version_field,
				 "package %s has no version (skipped)", r->name);
	} else if (!tu_version_validate (r->scheme, r->version, NULL)) {
		tu_warnings_add (r->warnings, r->file, r->version_line ? r->version_line : r->line,
				 version_field, "package %s: \"%s\" is not a %s version (skipped)",
				 r->name,
				 r->version, tu_scheme_to_string (r->scheme));
	} else {
		TuPkgIndexEntry *e = g_new0 (TuPkgIndexEntry, 1);
		e->line = r->line;
		e->name = g_steal_pointer (&r->name);
		e->version = g_steal_pointer (&r->version);
		e->arch = g_steal_pointer (&r->arch);
		if (r->source != NULL && *r->source) {
			e->source = g_steal_pointer (&r->source);
			e->source_version = r->source_version ? g_steal_pointer (&r->source_version)
							      : g_strdup (e->version);
		} else {
			e->source = g_strdup (e->name);
			e->source_version = g_strdup (e->version);
		}
		g_ptr_array_add (r->entries, e);
	}
	rec_clear (r);
}

static char *
strip_dup (const char *s, gsize n)
{
	while (n > 0 && g_ascii_isspace (*s)) {
		s++;
		n--;
	}
	while (n > 0 && g_ascii_isspace (s[n - 1]))
		n--;
	return g_strndup (s, n);
}

/* Debian's "Source: openssl (3.0.14-1~deb12u2)": the name, and the version when given. */
static gboolean
split_source (Rec *r, const char *value, guint lineno)
{
	const char *paren = strchr (value, '(');
	if (paren == NULL) {
		if (strchr (value, ' ') != NULL || strchr (value, ')') != NULL) {
			tu_warnings_add (r->warnings, r->file, lineno, "Source",
					 "\"%s\" is not a source package name", value);
			return FALSE;
		}
		g_free (r->source);
		r->source = g_strdup (value);
		return TRUE;
	}
	const char *close = strchr (paren, ')');
	if (close == NULL || close[1] != '\0' || close == paren + 1) {
		tu_warnings_add (r->warnings, r->file, lineno, "Source",
				 "\"%s\" is not \"NAME (VERSION)\"", value);
		return FALSE;
	}
	g_free (r->source);
	r->source = strip_dup (value, (gsize) (paren - value));
	g_free (r->source_version);
	r->source_version = strip_dup (paren + 1, (gsize) (close - paren - 1));
	return TRUE;
}

/* The line at *@rest, without its newline and a CR before it: its length in *@n; *@rest moves
 * past it. */
static const char *
take_line (const char **rest, const char *end, gsize *n)
{
	const char *line = *rest;
	const char *nl = memchr (line, '\n', (gsize) (end - line));
	*n = (gsize) ((nl ? nl : end) - line);
	*rest = nl ? nl + 1 : end;
	if (*n > 0 && line[*n - 1] == '\r')
		(*n)--;
	return line;
}

static gboolean
parse_deb (Rec *r, const char *buf, gsize len)
{
	const char *rest = buf;
	const char *end = buf + len;
	guint lineno = 0;
	gboolean any_field = FALSE;
	while (rest < end) {
		gsize n = 0;
		const char *p = take_line (&rest, end, &n);
		lineno++;
		gboolean blank = TRUE;
		for (gsize i = 0; i < n && blank; i++)
			blank = p[i] == ' ' || p[i] == '\t';
		if (blank) {
			rec_end (r, "Package", "Version");
			continue;
		}
		if (p[0] == ' ' || p[0] == '\t' || p[0] == '#') {
			/* a continuation (Description's lines) or a comment */
			if (r->line == 0 && p[0] != '#') {
				tu_warnings_add (r->warnings, r->file, lineno, NULL,
						 "a continuation line outside a record");
			}
			continue;
		}
		if (r->line == 0)
			r->line = lineno;
		const char *colon = memchr (p, ':', n);
		if (colon == NULL || colon == p) {
			g_autofree char *shown = tu_utf8_clean (p, (gssize) MIN (n, 60), 80, NULL);
			tu_warnings_add (r->warnings, r->file, lineno, NULL,
					 "\"%s\" is not a \"Field: value\" line (record skipped)",
					 shown);
			r->broken = TRUE;
			continue;
		}
		any_field = TRUE;
		gsize klen = (gsize) (colon - p);
		const char *v = colon + 1;
		gsize vlen = n - klen - 1;
#define IS_FIELD(name) (klen == sizeof name - 1 && g_ascii_strncasecmp (p, name, klen) == 0)
		if (IS_FIELD ("Package")) {
			g_free (r->name);
			r->name = strip_dup (v, vlen);
		} else if (IS_FIELD ("Version")) {
			r->version_line = lineno;
			g_free (r->version);
			r->version = strip_dup (v, vlen);
		} else if (IS_FIELD ("Architecture")) {
			g_free (r->arch);
			r->arch = strip_dup (v, vlen);
		} else if (IS_FIELD ("Source")) {
			g_autofree char *value = strip_dup (v, vlen);
			if (!split_source (r, value, lineno))
				r->broken = TRUE;
		}
#undef IS_FIELD
	}
	rec_end (r, "Package", "Version");
	return any_field;
}

static gboolean
parse_apk (Rec *r, const char *buf, gsize len)
{
	const char *rest = buf;
	const char *end = buf + len;
	guint lineno = 0;
	gboolean any_field = FALSE;
	while (rest < end) {
		gsize n = 0;
		const char *p = take_line (&rest, end, &n);
		lineno++;
		if (n == 0) {
			rec_end (r, "P", "V");
			continue;
		}
		if (r->line == 0)
			r->line = lineno;
		if (n < 2 || p[1] != ':' || !g_ascii_isalpha (p[0])) {
			g_autofree char *shown = tu_utf8_clean (p, (gssize) MIN (n, 60), 80, NULL);
			tu_warnings_add (r->warnings, r->file, lineno, NULL,
					 "\"%s\" is not a \"X:value\" line (record skipped)",
					 shown);
			r->broken = TRUE;
			continue;
		}
		any_field = TRUE;
		char **slot = NULL;
		switch (p[0]) {
		case 'P':
			slot = &r->name;
			break;
		case 'V':
			slot = &r->version;
			break;
		case 'A':
			slot = &r->arch;
			break;
		case 'o':
			slot = &r->source;
			break;
		default:
			break;
		}
		if (p[0] == 'V')
			r->version_line = lineno;
		if (slot != NULL) {
			g_free (*slot);
			*slot = strip_dup (p + 2, n - 2);
		}
	}
	rec_end (r, "P", "V");
	return any_field;
}

/* ---------------------------------------------------------------- rpm primary.xml --------- */

typedef struct {
	Rec *r;
	GMarkupParseContext *ctx;
	gboolean in_package;
	gboolean is_rpm; /* <package type="rpm"> */
	int text_field;	 /* 0 none, 1 name, 2 arch, 3 sourcerpm */
	GString *text;
	char *epoch, *ver, *rel;
	guint n_packages;
} RpmCtx;

static const char *
attr (const char **names, const char **values, const char *name)
{
	for (guint i = 0; names[i] != NULL; i++)
		if (strcmp (names[i], name) == 0)
			return values[i];
	return NULL;
}

static void
rpm_start (GMarkupParseContext *ctx, const char *element, const char **names,
	   const char **values, gpointer user_data, GError **error)
{
	RpmCtx *c = user_data;
	if (strcmp (element, "package") == 0) {
		int line = 0;
		int column = 0;
		g_markup_parse_context_get_position (ctx, &line, &column);
		/* GMarkup is past the tag: at a line's first column when the tag ended the one
		 * before */
		if (column <= 1 && line > 1)
			line--;
		rec_clear (c->r);
		g_clear_pointer (&c->epoch, g_free);
		g_clear_pointer (&c->ver, g_free);
		g_clear_pointer (&c->rel, g_free);
		c->in_package = TRUE;
		c->r->line = (guint) MAX (line, 1);
		const char *type = attr (names, values, "type");
		c->is_rpm = type == NULL || strcmp (type, "rpm") == 0;
		return;
	}
	if (!c->in_package)
		return;
	if (strcmp (element, "name") == 0)
		c->text_field = 1;
	else if (strcmp (element, "arch") == 0)
		c->text_field = 2;
	else if (strcmp (element, "rpm:sourcerpm") == 0)
		c->text_field = 3;
	else if (strcmp (element, "version") == 0) {
		g_free (c->epoch);
		g_free (c->ver);
		g_free (c->rel);
		c->epoch = g_strdup (attr (names, values, "epoch"));
		c->ver = g_strdup (attr (names, values, "ver"));
		c->rel = g_strdup (attr (names, values, "rel"));
	}
	if (c->text_field != 0)
		g_string_truncate (c->text, 0);
}

/* "openssl-3.0.7-25.el9_3.src.rpm" -> "openssl", "3.0.7-25.el9_3" */
static void
split_sourcerpm (const char *srpm, char **name, char **version)
{
	g_autofree char *base = g_str_has_suffix (srpm, ".src.rpm")
					? g_strndup (srpm, strlen (srpm) - 8)
				: g_str_has_suffix (srpm, ".nosrc.rpm")
					? g_strndup (srpm, strlen (srpm) - 10)
					: g_strdup (srpm);
	char *rel_dash = strrchr (base, '-');
	if (rel_dash == NULL || rel_dash == base)
		return;
	*rel_dash = '\0';
	char *ver_dash = strrchr (base, '-');
	*rel_dash = '-';
	if (ver_dash == NULL || ver_dash == base)
		return;
	*name = g_strndup (base, (gsize) (ver_dash - base));
	*version = g_strdup (ver_dash + 1);
}

static void
rpm_end (GMarkupParseContext *ctx, const char *element, gpointer user_data, GError **error)
{
	RpmCtx *c = user_data;
	if (c->text_field != 0) {
		char *value = g_strstrip (g_strdup (c->text->str));
		switch (c->text_field) {
		case 1:
			g_free (c->r->name);
			c->r->name = value;
			break;
		case 2:
			g_free (c->r->arch);
			c->r->arch = value;
			break;
		default: {
			char *sname = NULL, *sversion = NULL;
			split_sourcerpm (value, &sname, &sversion);
			g_free (value);
			g_free (c->r->source);
			g_free (c->r->source_version);
			c->r->source = sname;
			c->r->source_version = sversion;
			break;
		}
		}
		c->text_field = 0;
		return;
	}
	if (strcmp (element, "package") != 0 || !c->in_package)
		return;
	c->in_package = FALSE;
	c->n_packages++;
	if (!c->is_rpm || g_strcmp0 (c->r->arch, "src") == 0) {
		rec_clear (c->r); /* source packages are not installed */
		return;
	}
	if (c->ver != NULL && *c->ver) {
		GString *v = g_string_new (NULL);
		if (c->epoch != NULL && *c->epoch && strcmp (c->epoch, "0") != 0)
			g_string_append_printf (v, "%s:", c->epoch);
		g_string_append (v, c->ver);
		if (c->rel != NULL && *c->rel)
			g_string_append_printf (v, "-%s", c->rel);
		g_free (c->r->version);
		c->r->version = g_string_free (v, FALSE);
	}
	rec_end (c->r, "name", "version");
}

static void
rpm_text (GMarkupParseContext *ctx, const char *text, gsize len, gpointer user_data,
	  GError **error)
{
	RpmCtx *c = user_data;
	if (c->text_field != 0 && c->text->len < 4096)
		g_string_append_len (c->text, text, (gssize) len);
}

static gboolean
parse_rpm (Rec *r, const char *buf, gsize len, GError **error)
{
	static const GMarkupParser parser = {rpm_start, rpm_end, rpm_text, NULL, NULL};
	RpmCtx c = {.r = r, .text = g_string_new (NULL)};
	g_autoptr(GMarkupParseContext) ctx =
		g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, &c, NULL);
	c.ctx = ctx;
	g_autoptr(GError) local = NULL;
	gboolean ok = g_markup_parse_context_parse (ctx, buf, (gssize) len, &local) &&
		      g_markup_parse_context_end_parse (ctx, &local);
	g_string_free (c.text, TRUE);
	g_free (c.epoch);
	g_free (c.ver);
	g_free (c.rel);
	rec_clear (r);
	if (!ok) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: not RPM repodata XML: %s", r->file,
			     local != NULL ? local->message : "the document ends early");
		return FALSE;
	}
	if (c.n_packages == 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: XML without a <package> element: not RPM repodata", r->file);
		return FALSE;
	}
	return TRUE;
}

gboolean
tu_pkgindex_parse (TuPkgIndexFormat format, const char *file, const char *buf, gsize len,
		   GPtrArray *entries, TuWarnings *warnings, GError **error)
{
	if (len == 0)
		buf = ""; /* an empty GBytes has no data pointer */
	if (!g_utf8_validate_len (buf, len, NULL)) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: not UTF-8 text: not a package index (or a compression trueup "
			     "does not read)",
			     file);
		return FALSE;
	}
	Rec r = {.file = file, .entries = entries, .warnings = warnings};
	gboolean ok;
	guint n_before = entries->len;
	switch (format) {
	case TU_PKGINDEX_APK:
		r.scheme = TU_SCHEME_APK;
		ok = parse_apk (&r, buf, len);
		break;
	case TU_PKGINDEX_RPM:
		r.scheme = TU_SCHEME_RPM;
		if (parse_rpm (&r, buf, len, error))
			return TRUE;
		/* a file that is not XML to its end is not used in part */
		g_ptr_array_set_size (entries, n_before);
		return FALSE;
	default:
		r.scheme = TU_SCHEME_DPKG;
		ok = parse_deb (&r, buf, len);
		break;
	}
	rec_clear (&r);
	if (!ok) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: no \"Field: value\" record: not a %s package index", file,
			     format == TU_PKGINDEX_APK ? "APKINDEX" : "Debian Packages");
		return FALSE;
	}
	return TRUE;
}

/* ---------------------------------------------------------------- Release ------------------ */

gboolean
tu_pkgindex_parse_release (const char *file, const char *buf, gsize len, char **distro,
			   char **release, GError **error)
{
	static const char begin[] = "-----BEGIN PGP SIGNED MESSAGE";
	g_autofree char *origin = NULL;
	g_autofree char *version = NULL;
	if (len == 0)
		buf = "";
	const char *rest = buf;
	const char *end = buf + len;
	gboolean signed_header =
		len >= sizeof begin - 1 && memcmp (buf, begin, sizeof begin - 1) == 0;
	gboolean in_header = signed_header;
	while (rest < end) {
		gsize n = 0;
		const char *line = take_line (&rest, end, &n);
		if (in_header) {
			/* "-----BEGIN...", "Hash: SHA256", then an empty line */
			if (n == 0)
				in_header = FALSE;
			continue;
		}
		if (n >= 5 && strncmp (line, "-----", 5) == 0)
			break; /* the signature */
		if (n == 0 || line[0] == ' ')
			continue;
		const char *colon = memchr (line, ':', n);
		if (colon == NULL)
			continue;
		gsize klen = (gsize) (colon - line);
		if (klen == 6 && strncmp (line, "Origin", 6) == 0 && origin == NULL)
			origin = strip_dup (colon + 1, n - klen - 1);
		else if (klen == 7 && strncmp (line, "Version", 7) == 0 && version == NULL)
			version = strip_dup (colon + 1, n - klen - 1);
	}
	if (origin == NULL || *origin == '\0') {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: no Origin field: not a Release file (give --distro ID:RELEASE)",
			     file);
		return FALSE;
	}
	g_autofree char *id = g_ascii_strdown (origin, -1);
	/* "Debian", "Ubuntu"; an Origin with blanks ("Debian Backports") names no distribution */
	g_strdelimit (id, " ", '-');
	g_autofree char *key = tu_distro_release_key (id, version);
	if (key == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "%s: Version \"%s\" names no release (give --distro ID:RELEASE)",
			     file, version ? version : "");
		return FALSE;
	}
	/* "12-updates": the release is the number */
	gsize n = 0;
	while (key[n] && (g_ascii_isdigit (key[n]) || key[n] == '.'))
		n++;
	key[n] = '\0';
	*distro = g_steal_pointer (&id);
	*release = g_steal_pointer (&key);
	return TRUE;
}

char *
tu_pkgindex_find_release (const char *path)
{
	static const char *const names[] = {"InRelease", "Release"};
	g_autofree char *dir = g_path_get_dirname (path);
	g_autofree char *base = g_path_get_basename (path);
	/* apt's lists: HOST_PATH_dists_SUITE_COMPONENT_binary-ARCH_Packages[.ext] */
	const char *dists = strstr (base, "_dists_");
	if (dists != NULL) {
		const char *suite = dists + 7;
		const char *us = strchr (suite, '_');
		if (us != NULL) {
			g_autofree char *prefix = g_strndup (base, (gsize) (us - base));
			for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
				g_autofree char *name = g_strdup_printf ("%s_%s", prefix, names[i]);
				char *candidate = g_build_filename (dir, name, NULL);
				if (g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
					return candidate;
				g_free (candidate);
			}
		}
	}
	/* beside it, then a mirror's dists/SUITE/ two levels up */
	g_autofree char *up = g_build_filename (dir, "..", "..", NULL);
	const char *dirs[] = {dir, up};
	for (guint d = 0; d < G_N_ELEMENTS (dirs); d++) {
		for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
			char *candidate = g_build_filename (dirs[d], names[i], NULL);
			if (g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
				return candidate;
			g_free (candidate);
		}
	}
	return NULL;
}
