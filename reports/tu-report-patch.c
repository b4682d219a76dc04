/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The patch-currency and changes reports.
 *
 * Patch: Summary (per product: hosts, share current, behind, end of life, vulnerable,
 * known-exploited; charts by status and by product), Vulnerable (known-exploited first, then
 * CVSS), End of life (dates and days past), Hosts (one row per host). Conditional formats mark
 * the urgent rows: known-exploited and critical CVSS red, high CVSS amber, long past end of
 * life red. Changes: what was installed, removed, upgraded or downgraded since a date, from
 * the installations' history.
 *
 * The patch aggregates take the engine's rows as they come, in memory that follows the
 * products, hosts and distinct verdicts, not the installations (see "aggregation" below);
 * Vulnerable and End of life go on on further sheets past Excel's row limit (TuTable).
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "tu-common.h"
#include "tu-patch.h"
#include "tu-query.h"
#include "tu-report-patch.h"

const TuColumn tu_patch_columns[] = {
	{"host", TU_COL_TEXT, 20, "Host"},
	{"source", TU_COL_TEXT, 9, "Found by", TU_COL_NO_TEXT},
	{"raw_name", TU_COL_TEXT, 30, "Package or program"},
	{"publisher", TU_COL_TEXT, 20, "Publisher", TU_COL_NO_TEXT},
	{"product", TU_COL_TEXT, 26, "Product"},
	{"version", TU_COL_TEXT, 22, "Installed version"},
	{"upstream_version", TU_COL_TEXT, 14, "Upstream version", TU_COL_NO_TEXT},
	{"cycle", TU_COL_TEXT, 10, "Release cycle", TU_COL_NO_TEXT},
	{"latest_in_cycle", TU_COL_TEXT, 16, "Latest in its cycle"},
	{"latest", TU_COL_TEXT, 14, "Latest release", TU_COL_NO_TEXT},
	{"behind", TU_COL_INT, 0, "Releases behind"},
	{"days_behind", TU_COL_INT, 0, "Days behind", TU_COL_NO_TEXT},
	{"support", TU_COL_TEXT, 13, "Support"},
	{"eol_date", TU_COL_DATE, 0, "End of life"},
	{"vulns", TU_COL_INT, 0, "Known vulnerabilities"},
	{"max_cvss", TU_COL_NUMBER, 0, "Highest CVSS (0-10)"},
	{"vuln_ids", TU_COL_TEXT, 50, "Advisories", TU_COL_NO_TEXT},
	{"kev", TU_COL_TEXT, 6, "Known exploited"},
	{"fixed_in", TU_COL_TEXT, 22, "Fixed in"},
	{"os", TU_COL_TEXT, 22, "Operating system", TU_COL_NO_TEXT},
	/* issue 12: what a security team acts on */
	{"os_build", TU_COL_TEXT, 16, "OS build", TU_COL_NO_TEXT},
	{"os_edition", TU_COL_TEXT, 14, "OS edition", TU_COL_NO_TEXT},
	{"eol_days", TU_COL_INT, 0, "Days past end of life"},
	{"support_basis", TU_COL_TEXT, 30, "Support follows", TU_COL_NO_TEXT},
	{"extended_support", TU_COL_DATE, 0, "Paid extended support until", TU_COL_NO_TEXT},
	{"reason", TU_COL_TEXT, 30, "Why no verdict", TU_COL_NO_TEXT},
	{"severity", TU_COL_TEXT, 9, "Severity"},
	{"severity_source", TU_COL_TEXT, 30, "Severity from", TU_COL_NO_TEXT},
	{"cves", TU_COL_TEXT, 30, "CVEs", TU_COL_NO_TEXT},
	{"kev_cves", TU_COL_TEXT, 30, "Known-exploited CVEs (CISA due date)", TU_COL_NO_TEXT},
	{"package", TU_COL_TEXT, 16, "Package (exposure counted once)", TU_COL_NO_TEXT},
	{"verdict", TU_COL_TEXT, 16, "Verdict", TU_COL_STATUS},
};
const guint tu_patch_n_columns = G_N_ELEMENTS (tu_patch_columns);

/* One verdict per installation, the worst that applies, so that counts add up: known
 * exploited, then vulnerable, end of life, behind, current, supported (a distribution's
 * package in a supported release, with no upstream release to compare with), and no verdict
 * (support unknown, with its reason). */
typedef enum {
	V_KEV,
	V_VULNERABLE,
	V_EOL,
	V_BEHIND,
	V_CURRENT,
	V_SUPPORTED,
	V_NONE,
	V_LAST
} Verdict;

static const char *const verdict_names[V_LAST] = {
	"known exploited", "vulnerable", "end of life", "behind", "current", "supported", "no verdict",
};

static Verdict
verdict_of (const TuPatchRow *r)
{
	if (r->kev)
		return V_KEV;
	if (r->n_vulns > 0)
		return V_VULNERABLE;
	if (g_strcmp0 (r->support, "eol") == 0)
		return V_EOL;
	if (r->behind > 0)
		return V_BEHIND;
	if (r->behind == 0)
		return V_CURRENT;
	if (g_strcmp0 (r->support, "supported") == 0 || g_strcmp0 (r->support, "security-only") == 0)
		return V_SUPPORTED;
	return V_NONE;
}

static TuRowStyle
verdict_style (Verdict v)
{
	switch (v) {
	case V_KEV:
	case V_EOL:
		return TU_ROW_RED;
	case V_VULNERABLE:
	case V_BEHIND:
		return TU_ROW_AMBER;
	case V_CURRENT:
	case V_SUPPORTED:
		return TU_ROW_GREEN;
	case V_NONE:
	case V_LAST:
	default:
		return TU_ROW_PLAIN;
	}
}

static void
add_opt_int (TuTable *t, gint v)
{
	if (v < 0)
		tu_table_add_null (t);
	else
		tu_table_add_int (t, v);
}

gboolean
tu_report_write_patch_row (TuTable *t, const TuPatchRow *r, GError **error)
{
	Verdict v = verdict_of (r);
	tu_table_set_row_style (t, verdict_style (v));
	tu_table_add_str (t, r->host);
	tu_table_add_str (t, r->source);
	tu_table_add_str (t, r->raw_name);
	tu_table_add_str (t, r->publisher);
	tu_table_add_str (t, r->product);
	tu_table_add_str (t, r->raw_version);
	tu_table_add_str (t, r->version);
	tu_table_add_str (t, r->cycle);
	tu_table_add_str (t, r->latest_in_cycle);
	tu_table_add_str (t, r->latest);
	add_opt_int (t, r->behind);
	add_opt_int (t, r->days_behind);
	tu_table_add_str (t, r->support);
	tu_table_add_text_as_type (t, r->eol_date);
	tu_table_add_int (t, r->n_vulns);
	if (r->max_cvss >= 0)
		tu_table_add_double (t, r->max_cvss);
	else
		tu_table_add_null (t);
	tu_table_add_str (t, r->vuln_ids);
	tu_table_add_str (t, r->kev ? "yes" : "no");
	tu_table_add_str (t, r->fixed_in);
	tu_table_add_str (t, r->os);
	tu_table_add_str (t, r->os_build);
	tu_table_add_str (t, r->os_edition);
	add_opt_int (t, r->eol_days);
	tu_table_add_str (t, r->support_basis);
	tu_table_add_text_as_type (t, r->extended_support && *r->extended_support
					      ? r->extended_support
					      : NULL);
	tu_table_add_str (t, r->reason);
	tu_table_add_str (t, r->severity);
	tu_table_add_str (t, r->severity_source);
	tu_table_add_str (t, r->cves);
	tu_table_add_str (t, r->kev_cves);
	tu_table_add_str (t, r->package);
	tu_table_add_str (t, verdict_names[v]);
	return tu_table_end_row (t, error);
}

/* ---------------------------------------------------------------- aggregation ---------- */

/* Memory follows the products, the hosts and the distinct verdicts, never the installations:
 * hosts are counted per product by the host a product last saw (the engine hands a host's
 * rows on together, in both orders, and the aggregator checks it), and the Vulnerable and End
 * of life sheets keep a row as 8 bytes (its host and its verdict's part, interned once), in
 * sorted batches on a temporary file once there are more than a batch, merged when the sheet
 * is written. */

typedef struct {
	char *publisher;
	char *product;
	guint n_hosts;
	guint n_exposed_hosts; /* hosts with a vulnerable or end-of-life installation */
	guint n_kev_hosts;
	guint n_eol_hosts;
	guint n_esu_hosts; /* end-of-life hosts that could still buy paid extended support */
	char *esu_until;   /* the latest date it is available until */
	/* the host (its 1-based place in the feed) each count last saw */
	guint last_host, last_exposed, last_kev, last_eol, last_esu;
	guint n_installs;
	guint n_by[V_LAST];
	double max_cvss;
	GHashTable *fixes; /* fixed_in -> count */
} ProductAgg;

typedef struct {
	guint64 host_id;
	char *host;
	char *os;
	guint n_installs;
	guint n_by[V_LAST];
	guint n_eol; /* end of life, whatever else */
	double max_cvss;
	gint max_eol_days;
} HostAgg;

/* a copy of a row: the parts of the detail sheets */
typedef struct {
	TuPatchRow row; /* strings owned below */
	char **strings;
} SavedRow;

/* A detail sheet's row: its host (in TuPatchAgg.hosts) and its verdict's part (in .parts). */
typedef struct {
	guint32 host;
	guint32 part;
} DetailRow;

/* A detail sheet's rows in the sheet's order, a batch in memory and sorted runs on a
 * temporary file (unlinked once open). */
typedef struct {
	GCompareDataFunc cmp; /* DetailRow, with the TuPatchAgg */
	GArray *batch;	      /* DetailRow */
	int fd;		      /* -1: nothing written yet */
	GArray *runs;	      /* Run */
	guint64 n_written;    /* rows on the file */
} Detail;

typedef struct {
	guint64 first; /* row on the file */
	guint64 n;
} Run;

/* the rows of a batch (512 kB), and the rows of a run read back at a time when merging */
#define DETAIL_BATCH (64 * 1024)
#define READ_ROWS    4096

struct _TuPatchAgg {
	GHashTable *products; /* key -> ProductAgg* */
	GPtrArray *product_list;
	GPtrArray *hosts;	 /* HostAgg* in feed order (DetailRow.host indexes it) */
	GHashTable *host_seen;	 /* host id set: a host's rows come together */
	GHashTable *parts_by_id; /* verdict_id -> GArray of guint32 part index */
	GPtrArray *parts;	 /* SavedRow* */
	Detail vulnerable;
	Detail eol;
	guint64 n_by[V_LAST];
	guint64 n_rows;
	guint batch_rows;
	guint64 sheet_rows; /* 0: Excel's limit */
};
typedef struct _TuPatchAgg Agg;

static void
product_agg_free (ProductAgg *p)
{
	g_free (p->publisher);
	g_free (p->product);
	g_free (p->esu_until);
	g_hash_table_unref (p->fixes);
	g_free (p);
}

static void
host_agg_free (HostAgg *h)
{
	g_free (h->host);
	g_free (h->os);
	g_free (h);
}

static void
saved_row_free (SavedRow *s)
{
	g_strfreev (s->strings);
	g_free (s);
}

static SavedRow *
save_row (const TuPatchRow *r)
{
	SavedRow *s = g_new0 (SavedRow, 1);
	s->row = *r;
	const char *src[] = {r->host, r->os, r->source, r->raw_name,
			     r->raw_version, r->publisher, r->product, r->version,
			     r->catalog_id, r->cycle, r->latest_in_cycle, r->latest,
			     r->support, r->eol_date, r->vuln_ids, r->fixed_in,
			     r->os_build, r->os_edition, r->support_basis, r->extended_support,
			     r->reason, r->severity, r->severity_source, r->cves,
			     r->kev_cves, r->package};
	s->strings = g_new0 (char *, G_N_ELEMENTS (src) + 1);
	for (guint i = 0; i < G_N_ELEMENTS (src); i++)
		s->strings[i] = g_strdup (src[i] ? src[i] : "");
	const char **dst[] = {&s->row.host, &s->row.os, &s->row.source,
			      &s->row.raw_name, &s->row.raw_version, &s->row.publisher,
			      &s->row.product, &s->row.version, &s->row.catalog_id,
			      &s->row.cycle, &s->row.latest_in_cycle, &s->row.latest,
			      &s->row.support, &s->row.eol_date, &s->row.vuln_ids,
			      &s->row.fixed_in, &s->row.os_build, &s->row.os_edition,
			      &s->row.support_basis, &s->row.extended_support, &s->row.reason,
			      &s->row.severity,	     &s->row.severity_source, &s->row.cves,
			      &s->row.kev_cves,	     &s->row.package};
	for (guint i = 0; i < G_N_ELEMENTS (dst); i++)
		*dst[i] = src[i] ? s->strings[i] : NULL;
	return s;
}

/* The row a detail sheet shows for @d: its part with its host's name and OS. */
static TuPatchRow
detail_row (const Agg *a, const DetailRow *d)
{
	const SavedRow *part = g_ptr_array_index (a->parts, d->part);
	const HostAgg *h = g_ptr_array_index (a->hosts, d->host);
	TuPatchRow r = part->row;
	r.host_id = h->host_id;
	r.host = h->host;
	r.os = h->os;
	return r;
}

/* The part of @r the detail sheets show, once per verdict and support wording. */
static guint32
part_of (Agg *a, const TuPatchRow *r)
{
	GArray *list = g_hash_table_lookup (a->parts_by_id, &r->verdict_id);
	if (list == NULL) {
		list = g_array_new (FALSE, FALSE, sizeof (guint32));
		guint64 *id = g_memdup2 (&r->verdict_id, sizeof r->verdict_id);
		g_hash_table_insert (a->parts_by_id, id, list);
	}
	for (guint i = 0; i < list->len; i++) {
		guint32 idx = g_array_index (list, guint32, i);
		const TuPatchRow *p = &((const SavedRow *) g_ptr_array_index (a->parts, idx))->row;
		if (g_strcmp0 (p->support, r->support) == 0 && p->eol_days == r->eol_days &&
		    g_strcmp0 (p->support_basis, r->support_basis) == 0 &&
		    g_strcmp0 (p->extended_support, r->extended_support) == 0)
			return idx;
	}
	guint32 idx = a->parts->len;
	g_ptr_array_add (a->parts, save_row (r));
	g_array_append_val (list, idx);
	return idx;
}

static void
detail_init (Detail *d, GCompareDataFunc cmp)
{
	d->cmp = cmp;
	d->batch = g_array_new (FALSE, FALSE, sizeof (DetailRow));
	d->runs = g_array_new (FALSE, FALSE, sizeof (Run));
	d->fd = -1;
}

static void
detail_clear (Detail *d)
{
	g_array_unref (d->batch);
	g_array_unref (d->runs);
	if (d->fd >= 0)
		close (d->fd);
}

static gboolean
write_all (int fd, const void *buf, gsize len, GError **error)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write (fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int saved = n < 0 ? errno : ENOSPC;
			g_set_error (error, TU_ERROR, TU_ERROR_IO,
				     "patch report: writing its temporary file: %s",
				     g_strerror (saved));
			return FALSE;
		}
		p += n;
		len -= (gsize) n;
	}
	return TRUE;
}

/* The batch, sorted, as a run on the temporary file. */
static gboolean
detail_flush (Agg *a, Detail *d, GError **error)
{
	if (d->batch->len == 0)
		return TRUE;
	g_array_sort_with_data (d->batch, d->cmp, a); /* stable */
	if (d->fd < 0) {
		g_autofree char *path = NULL;
		d->fd = g_file_open_tmp ("trueup-patch-XXXXXX", &path, error);
		if (d->fd < 0) {
			g_prefix_error (error, "patch report: ");
			return FALSE;
		}
		unlink (path);
	}
	if (!write_all (d->fd, d->batch->data, d->batch->len * sizeof (DetailRow), error))
		return FALSE;
	Run run = {d->n_written, d->batch->len};
	g_array_append_val (d->runs, run);
	d->n_written += d->batch->len;
	g_array_set_size (d->batch, 0);
	return TRUE;
}

static gboolean
detail_add (Agg *a, Detail *d, guint32 host, guint32 part, GError **error)
{
	DetailRow row = {host, part};
	g_array_append_val (d->batch, row);
	return d->batch->len < a->batch_rows || detail_flush (a, d, error);
}

typedef gboolean (*DetailFunc) (const Agg *a, const DetailRow *row, gpointer data,
				GError **error);

typedef struct {
	guint64 next, end; /* rows of the run on the file still to read */
	DetailRow *buf;
	guint pos, len;
} RunReader;

static gboolean
run_fill (const Detail *d, RunReader *r, GError **error)
{
	guint n = (guint) MIN ((guint64) READ_ROWS, r->end - r->next);
	gsize want = n * sizeof (DetailRow), got = 0;
	while (got < want) {
		ssize_t k = pread (d->fd, (char *) r->buf + got, want - got,
				   (off_t) (r->next * sizeof (DetailRow) + got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			g_set_error (error, TU_ERROR, TU_ERROR_IO,
				     "patch report: reading its temporary file: %s",
				     k < 0 ? g_strerror (errno) : "unexpected end");
			return FALSE;
		}
		got += (gsize) k;
	}
	r->next += n;
	r->pos = 0;
	r->len = n;
	return TRUE;
}

/* Is run @x's current row before run @y's? Equal rows: the earlier run (stable). */
static gboolean
run_before (const Agg *a, const Detail *d, const RunReader *readers, guint x, guint y)
{
	int c = d->cmp (&readers[x].buf[readers[x].pos], &readers[y].buf[readers[y].pos],
			(gpointer) a);
	return c < 0 || (c == 0 && x < y);
}

static void
heap_down (const Agg *a, const Detail *d, const RunReader *readers, guint *heap, guint n, guint i)
{
	for (;;) {
		guint l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && run_before (a, d, readers, heap[l], heap[m]))
			m = l;
		if (r < n && run_before (a, d, readers, heap[r], heap[m]))
			m = r;
		if (m == i)
			return;
		guint t = heap[i];
		heap[i] = heap[m];
		heap[m] = t;
		i = m;
	}
}

/* Every row of @d in the sheet's order: the batch sorted in memory when it is all there is,
 * else the runs merged (a heap of the runs by their current row). */
static gboolean
detail_each (Agg *a, Detail *d, DetailFunc func, gpointer data, GError **error)
{
	if (d->runs->len == 0) {
		g_array_sort_with_data (d->batch, d->cmp, a);
		for (guint i = 0; i < d->batch->len; i++)
			if (!func (a, &g_array_index (d->batch, DetailRow, i), data, error))
				return FALSE;
		return TRUE;
	}
	if (!detail_flush (a, d, error))
		return FALSE;
	guint n_runs = d->runs->len;
	g_autofree RunReader *readers = g_new0 (RunReader, n_runs);
	g_autofree DetailRow *bufs = g_new (DetailRow, (gsize) n_runs * READ_ROWS);
	g_autofree guint *heap = g_new (guint, n_runs);
	guint n_heap = 0;
	gboolean ok = TRUE;
	for (guint i = 0; ok && i < n_runs; i++) {
		const Run *run = &g_array_index (d->runs, Run, i);
		readers[i].next = run->first;
		readers[i].end = run->first + run->n;
		readers[i].buf = bufs + (gsize) i * READ_ROWS;
		ok = run_fill (d, &readers[i], error);
		if (ok && readers[i].len > 0)
			heap[n_heap++] = i;
	}
	for (guint i = n_heap; ok && i-- > 0;)
		heap_down (a, d, readers, heap, n_heap, i);
	while (ok && n_heap > 0) {
		RunReader *r = &readers[heap[0]];
		ok = func (a, &r->buf[r->pos], data, error);
		if (ok && ++r->pos == r->len) {
			if (r->next < r->end)
				ok = run_fill (d, r, error);
			else
				heap[0] = heap[--n_heap];
		}
		if (ok && n_heap > 0)
			heap_down (a, d, readers, heap, n_heap, 0);
	}
	return ok;
}

gboolean
tu_patch_agg_add_row (const TuPatchRow *r, gpointer user_data, GError **error)
{
	Agg *a = user_data;
	Verdict v = verdict_of (r);
	gboolean eol = g_strcmp0 (r->support, "eol") == 0;

	HostAgg *h = a->hosts->len ? g_ptr_array_index (a->hosts, a->hosts->len - 1) : NULL;
	if (h == NULL || h->host_id != r->host_id) {
		if (!g_hash_table_add (a->host_seen, g_memdup2 (&r->host_id, sizeof r->host_id))) {
			g_set_error (error, TU_ERROR, TU_ERROR_FAILED,
				     "patch report: the rows of host %s do not come together",
				     r->host);
			return FALSE;
		}
		h = g_new0 (HostAgg, 1);
		h->host_id = r->host_id;
		h->host = g_strdup (r->host);
		h->os = g_strdup (r->os);
		h->max_cvss = -1;
		g_ptr_array_add (a->hosts, h);
	}
	guint seq = a->hosts->len; /* the host's place in the feed, from 1 */
	h->n_installs++;
	h->n_by[v]++;
	h->n_eol += eol;
	h->max_cvss = MAX (h->max_cvss, r->max_cvss);
	h->max_eol_days = MAX (h->max_eol_days, r->eol_days);

	g_autofree char *k = g_strdup_printf ("%s\x1f%s", r->publisher, r->product);
	ProductAgg *p = g_hash_table_lookup (a->products, k);
	if (p == NULL) {
		p = g_new0 (ProductAgg, 1);
		p->publisher = g_strdup (r->publisher);
		p->product = g_strdup (r->product);
		p->fixes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
		p->max_cvss = -1;
		g_hash_table_insert (a->products, g_steal_pointer (&k), p);
		g_ptr_array_add (a->product_list, p);
	}
	if (p->last_host != seq) {
		p->last_host = seq;
		p->n_hosts++;
	}
	if ((v == V_KEV || v == V_VULNERABLE || eol) && p->last_exposed != seq) {
		p->last_exposed = seq;
		p->n_exposed_hosts++;
	}
	if (v == V_KEV && p->last_kev != seq) {
		p->last_kev = seq;
		p->n_kev_hosts++;
	}
	if (eol && p->last_eol != seq) {
		p->last_eol = seq;
		p->n_eol_hosts++;
	}
	if (eol && r->extended_support != NULL && *r->extended_support) {
		if (p->last_esu != seq) {
			p->last_esu = seq;
			p->n_esu_hosts++;
		}
		if (p->esu_until == NULL || strcmp (r->extended_support, p->esu_until) > 0) {
			g_free (p->esu_until);
			p->esu_until = g_strdup (r->extended_support);
		}
	}
	p->n_installs++;
	p->n_by[v]++;
	p->max_cvss = MAX (p->max_cvss, r->max_cvss);
	if (r->n_vulns > 0 && r->fixed_in != NULL && *r->fixed_in) {
		guint n = GPOINTER_TO_UINT (g_hash_table_lookup (p->fixes, r->fixed_in));
		g_hash_table_insert (p->fixes, g_strdup (r->fixed_in), GUINT_TO_POINTER (n + 1));
	}
	a->n_by[v]++;
	a->n_rows++;

	if (r->n_vulns > 0 || eol) {
		guint32 part = part_of (a, r);
		if (r->n_vulns > 0 && !detail_add (a, &a->vulnerable, seq - 1, part, error))
			return FALSE;
		if (eol && !detail_add (a, &a->eol, seq - 1, part, error))
			return FALSE;
	}
	return TRUE;
}

static gint
severity_rank (const char *severity)
{
	static const char *const order[] = {"critical", "high", "medium", "low", "none"};
	for (guint i = 0; severity != NULL && i < G_N_ELEMENTS (order); i++) {
		if (g_ascii_strcasecmp (severity, order[i]) == 0)
			return (gint) i;
	}
	return (gint) G_N_ELEMENTS (order); /* unknown or not given: last */
}

/* known exploitation first, then severity (its label, then CVSS; unknown last), then the
 * number of advisories, then host and name */
static gint
vuln_order (gconstpointer pa, gconstpointer pb, gpointer agg)
{
	const TuPatchRow a = detail_row (agg, pa), b = detail_row (agg, pb);
	if (a.kev != b.kev)
		return a.kev ? -1 : 1;
	gint sa = severity_rank (a.severity), sb = severity_rank (b.severity);
	if (sa != sb)
		return sa - sb;
	if (a.max_cvss != b.max_cvss)
		return a.max_cvss > b.max_cvss ? -1 : 1;
	if (a.n_vulns != b.n_vulns)
		return a.n_vulns > b.n_vulns ? -1 : 1;
	int r = g_strcmp0 (a.host, b.host);
	return r ? r : g_strcmp0 (a.raw_name, b.raw_name);
}

static gint
eol_order (gconstpointer pa, gconstpointer pb, gpointer agg)
{
	const TuPatchRow a = detail_row (agg, pa), b = detail_row (agg, pb);
	if (a.eol_days != b.eol_days)
		return a.eol_days > b.eol_days ? -1 : 1;
	int r = g_strcmp0 (a.host, b.host);
	return r ? r : g_strcmp0 (a.raw_name, b.raw_name);
}

static gint
product_order (gconstpointer pa, gconstpointer pb)
{
	const ProductAgg *a = *(ProductAgg *const *) pa, *b = *(ProductAgg *const *) pb;
	guint ka = a->n_kev_hosts, kb = b->n_kev_hosts;
	if (ka != kb)
		return ka > kb ? -1 : 1;
	guint ea = a->n_exposed_hosts, eb = b->n_exposed_hosts;
	if (ea != eb)
		return ea > eb ? -1 : 1;
	if (a->max_cvss != b->max_cvss)
		return a->max_cvss > b->max_cvss ? -1 : 1;
	guint ha = a->n_hosts, hb = b->n_hosts;
	if (ha != hb)
		return ha > hb ? -1 : 1;
	int r = g_strcmp0 (a->publisher, b->publisher);
	return r ? r : g_strcmp0 (a->product, b->product);
}

/* the worst hosts first: known-exploited, vulnerable, highest CVSS, end of life */
static gint
host_order (gconstpointer pa, gconstpointer pb)
{
	const HostAgg *a = *(HostAgg *const *) pa, *b = *(HostAgg *const *) pb;
	if (a->n_by[V_KEV] != b->n_by[V_KEV])
		return a->n_by[V_KEV] > b->n_by[V_KEV] ? -1 : 1;
	guint va = a->n_by[V_KEV] + a->n_by[V_VULNERABLE], vb = b->n_by[V_KEV] + b->n_by[V_VULNERABLE];
	if (va != vb)
		return va > vb ? -1 : 1;
	if (a->max_cvss != b->max_cvss)
		return a->max_cvss > b->max_cvss ? -1 : 1;
	if (a->n_eol != b->n_eol)
		return a->n_eol > b->n_eol ? -1 : 1;
	if (a->n_by[V_BEHIND] != b->n_by[V_BEHIND])
		return a->n_by[V_BEHIND] > b->n_by[V_BEHIND] ? -1 : 1;
	return g_strcmp0 (a->host, b->host);
}

/* The Vulnerable and End of life sheets show what their reader acts on; every column of a
 * row is in `trueup patch --print tsv`. */
static const TuColumn vuln_columns[] = {
	{"host", TU_COL_TEXT, 20, "Host"},
	{"raw_name", TU_COL_TEXT, 28, "Package or program"},
	{"product", TU_COL_TEXT, 22, "Product"},
	{"version", TU_COL_TEXT, 22, "Installed version"},
	{"severity", TU_COL_TEXT, 9, "Severity"},
	{"max_cvss", TU_COL_NUMBER, 0, "Highest CVSS (0-10)"},
	{"kev", TU_COL_TEXT, 6, "Known exploited"},
	{"kev_cves", TU_COL_TEXT, 34, "Known-exploited CVEs (CISA due date)"},
	{"vulns", TU_COL_INT, 0, "Known vulnerabilities"},
	{"fixed_in", TU_COL_TEXT, 22, "Fixed in"},
	{"vuln_ids", TU_COL_TEXT, 60, "Advisories"},
	{"cves", TU_COL_TEXT, 60, "CVEs"},
	{"severity_source", TU_COL_TEXT, 30, "Severity from"},
	{"package", TU_COL_TEXT, 16, "Package (exposure counted once)"},
	{"os", TU_COL_TEXT, 24, "Operating system"},
};

static const TuColumn eol_columns[] = {
	{"host", TU_COL_TEXT, 20, "Host"},
	{"raw_name", TU_COL_TEXT, 28, "Package or program"},
	{"product", TU_COL_TEXT, 22, "Product"},
	{"version", TU_COL_TEXT, 22, "Installed version"},
	{"cycle", TU_COL_TEXT, 12, "Release cycle"},
	{"support", TU_COL_TEXT, 13, "Support"},
	{"eol_date", TU_COL_DATE, 0, "End of life"},
	{"eol_days", TU_COL_INT, 0, "Days past end of life"},
	{"support_basis", TU_COL_TEXT, 30, "Support follows"},
	{"extended_support", TU_COL_DATE, 0, "Paid extended support until"},
	{"latest_in_cycle", TU_COL_TEXT, 16, "Latest in its cycle"},
	{"latest", TU_COL_TEXT, 14, "Latest release"},
	{"os", TU_COL_TEXT, 24, "Operating system"},
};

static gboolean
write_vulnerable_row (const Agg *a, const DetailRow *d, gpointer table, GError **error)
{
	TuTable *t = table;
	const TuPatchRow row = detail_row (a, d), *r = &row;
	TuRowStyle style = TU_ROW_PLAIN;
	if (r->kev)
		style = TU_ROW_RED;
	else if (severity_rank (r->severity) <= 1)
		style = TU_ROW_AMBER;
	tu_table_set_row_style (t, style);
	tu_table_add_str (t, r->host);
	tu_table_add_str (t, r->raw_name);
	tu_table_add_str (t, r->product);
	tu_table_add_str (t, r->raw_version);
	tu_table_add_str (t, r->severity);
	if (r->max_cvss >= 0)
		tu_table_add_double (t, r->max_cvss);
	else
		tu_table_add_null (t);
	tu_table_add_str (t, r->kev ? "yes" : "no");
	tu_table_add_str (t, r->kev_cves);
	tu_table_add_int (t, r->n_vulns);
	tu_table_add_str (t, r->fixed_in);
	tu_table_add_str (t, r->vuln_ids);
	tu_table_add_str (t, r->cves);
	tu_table_add_str (t, r->severity_source);
	tu_table_add_str (t, r->package);
	tu_table_add_str (t, r->os);
	return tu_table_end_row (t, error);
}

static gboolean
write_end_of_life_row (const Agg *a, const DetailRow *d, gpointer table, GError **error)
{
	TuTable *t = table;
	const TuPatchRow row = detail_row (a, d), *r = &row;
	/* more than a year past: red */
	tu_table_set_row_style (t, r->eol_days > 365 ? TU_ROW_RED : TU_ROW_AMBER);
	tu_table_add_str (t, r->host);
	tu_table_add_str (t, r->raw_name);
	tu_table_add_str (t, r->product);
	tu_table_add_str (t, r->raw_version);
	tu_table_add_str (t, r->cycle);
	tu_table_add_str (t, r->support);
	tu_table_add_text_as_type (t, r->eol_date);
	add_opt_int (t, r->eol_days);
	tu_table_add_str (t, r->support_basis);
	tu_table_add_text_as_type (t, r->extended_support && *r->extended_support
					      ? r->extended_support
					      : NULL);
	tu_table_add_str (t, r->latest_in_cycle);
	tu_table_add_str (t, r->latest);
	tu_table_add_str (t, r->os);
	return tu_table_end_row (t, error);
}

/* the fix most installations of a product need */
static const char *
common_fix (const ProductAgg *p)
{
	const char *best = NULL;
	guint best_n = 0;
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init (&it, p->fixes);
	while (g_hash_table_iter_next (&it, &k, &v)) {
		guint n = GPOINTER_TO_UINT (v);
		if (n > best_n || (n == best_n && g_strcmp0 (k, best) < 0)) {
			best = k;
			best_n = n;
		}
	}
	return best;
}

const TuColumn tu_patch_summary_columns[] = {
	{"publisher", TU_COL_TEXT, 30, "Publisher"},
	{"product", TU_COL_TEXT, 28, "Product"},
	{"hosts", TU_COL_INT, 0, "Hosts"},
	{"installations", TU_COL_INT, 0, "Installations"},
	{"known_exploited", TU_COL_INT, 0, "Known exploited"},
	{"vulnerable", TU_COL_INT, 0, "Vulnerable (not known exploited)"},
	{"end_of_life", TU_COL_INT, 0, "End of life (no known vulnerability)"},
	{"behind", TU_COL_INT, 0, "Behind (supported)"},
	{"current", TU_COL_INT, 0, "Current"},
	{"supported", TU_COL_INT, 0, "Supported (not compared)"},
	{"no_verdict", TU_COL_INT, 0, "No verdict"},
	{"share_current", TU_COL_PERCENT, 0, "Share current or supported"},
	{"exposed_hosts", TU_COL_INT, 0, "Hosts exposed"},
	{"max_cvss", TU_COL_NUMBER, 0, "Highest CVSS (0-10)"},
};
const guint tu_patch_summary_n_columns = G_N_ELEMENTS (tu_patch_summary_columns);
/* the columns of the verdicts, in Verdict order */
#define SUMMARY_FIRST_VERDICT_COL 4

static const TuColumn host_columns[] = {
	{"host", TU_COL_TEXT, 22, "Host"},
	{"os", TU_COL_TEXT, 30, "Operating system"},
	{"installations", TU_COL_INT, 0, "Installations"},
	{"known_exploited", TU_COL_INT, 0, "Known exploited"},
	{"vulnerable", TU_COL_INT, 0, "Vulnerable (not known exploited)"},
	{"end_of_life", TU_COL_INT, 0, "End of life"},
	{"behind", TU_COL_INT, 0, "Behind (supported)"},
	{"current", TU_COL_INT, 0, "Current"},
	{"max_cvss", TU_COL_NUMBER, 0, "Highest CVSS (0-10)"},
	{"days_past_eol", TU_COL_INT, 0, "Most days past end of life"},
};

static const TuColumn status_columns[] = {
	{"verdict", TU_COL_TEXT, 26, "Verdict (worst that applies)"},
	{"installations", TU_COL_INT, 0, "Installations"},
	{"share", TU_COL_PERCENT, 0, "Share"},
};

static const TuColumn todo_columns[] = {
	{"rank", TU_COL_INT, 4, "#"},
	{"action", TU_COL_TEXT, 60, "What to do"},
	{"exposed_hosts", TU_COL_INT, 0, "Hosts exposed"},
	{"kev_hosts", TU_COL_INT, 0, "Hosts with known exploitation"},
	{"max_cvss", TU_COL_NUMBER, 0, "Highest CVSS (0-10)"},
};

#define TOP_PRODUCTS 10

static lxw_chart *
status_pie (TuWorkbook *wb)
{
	lxw_chart *pie = workbook_add_chart (tu_workbook_handle (wb), LXW_CHART_PIE);
	lxw_chart_series *s = chart_add_series (pie, NULL, NULL);
	lxw_row_t first = TU_SHEET_HEADER_ROW + 1;
	chart_series_set_categories (s, "Status", first, 0, first + V_LAST - 1, 0);
	chart_series_set_values (s, "Status", first, 1, first + V_LAST - 1, 1);
	chart_series_set_name (s, "Installations");
	chart_series_set_labels (s);
	chart_series_set_labels_options (s, LXW_FALSE, LXW_FALSE, LXW_TRUE);
	chart_title_set_name (pie, "Installations by verdict (each counted once)");
	/* the verdicts' colours: red, orange, dark red, amber, green, light green, grey */
	static const lxw_color_t colours[V_LAST] = {0xC00000, 0xFF7F27, 0x7F0000, 0xFFC000,
						    0x70AD47, 0xA9D18E, 0xA5A5A5};
	lxw_chart_point pts[V_LAST];
	lxw_chart_fill fills[V_LAST];
	lxw_chart_point *list[V_LAST + 1];
	for (guint i = 0; i < V_LAST; i++) {
		memset (&fills[i], 0, sizeof fills[i]);
		fills[i].color = colours[i];
		memset (&pts[i], 0, sizeof pts[i]);
		pts[i].fill = &fills[i];
		list[i] = &pts[i];
	}
	list[V_LAST] = NULL;
	chart_series_set_points (s, list);
	return pie;
}

static gboolean
write_summary_rows (const Agg *ap, TuTable *sum, GError **error)
{
	Agg a = *ap;
	gboolean ok = TRUE;
	for (guint i = 0; ok && i < a.product_list->len; i++) {
		const ProductAgg *p = g_ptr_array_index (a.product_list, i);
		tu_table_set_row_style (sum, p->n_by[V_KEV] > 0 ? TU_ROW_RED
					     : p->n_by[V_VULNERABLE] + p->n_by[V_EOL] > 0 ? TU_ROW_AMBER
											   : TU_ROW_PLAIN);
		tu_table_add_str (sum, p->publisher);
		tu_table_add_str (sum, p->product);
		tu_table_add_int (sum, p->n_hosts);
		tu_table_add_int (sum, p->n_installs);
		for (guint v = 0; v < V_LAST; v++)
			tu_table_add_int (sum, p->n_by[v]);
		guint judged = p->n_installs - p->n_by[V_NONE];
		if (judged > 0)
			tu_table_add_double (sum, (double) (p->n_by[V_CURRENT] + p->n_by[V_SUPPORTED]) /
							  judged);
		else
			tu_table_add_null (sum);
		tu_table_add_int (sum, p->n_exposed_hosts);
		if (p->max_cvss >= 0)
			tu_table_add_double (sum, p->max_cvss);
		else
			tu_table_add_null (sum);
		ok = tu_table_end_row (sum, error);
	}
	if (ok) {
		/* the estate: hosts counted once, not summed over products */
		tu_table_set_row_style (sum, TU_ROW_BOLD);
		tu_table_add_str (sum, "All products");
		tu_table_add_null (sum);
		tu_table_add_int (sum, a.hosts->len);
		tu_table_add_int (sum, (gint64) a.n_rows);
		for (guint v = 0; v < V_LAST; v++)
			tu_table_add_int (sum, (gint64) a.n_by[v]);
		guint64 judged = a.n_rows - a.n_by[V_NONE];
		if (judged > 0)
			tu_table_add_double (sum, (double) (a.n_by[V_CURRENT] + a.n_by[V_SUPPORTED]) /
							  (double) judged);
		else
			tu_table_add_null (sum);
		tu_table_add_null (sum);
		tu_table_add_null (sum);
		ok = tu_table_end_row (sum, error);
	}
	return ok;
}

TuPatchAgg *
tu_patch_agg_new (void)
{
	Agg *a = g_new0 (Agg, 1);
	a->products = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	a->product_list = g_ptr_array_new_with_free_func ((GDestroyNotify) product_agg_free);
	a->hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) host_agg_free);
	a->host_seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
	a->parts_by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
						(GDestroyNotify) g_array_unref);
	a->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) saved_row_free);
	detail_init (&a->vulnerable, vuln_order);
	detail_init (&a->eol, eol_order);
	a->batch_rows = DETAIL_BATCH;
	return a;
}

void
tu_patch_agg_set_limits (TuPatchAgg *a, guint batch_rows, guint64 sheet_rows)
{
	a->batch_rows = MAX (batch_rows, 1);
	a->sheet_rows = sheet_rows;
}

void
tu_patch_agg_free (TuPatchAgg *a)
{
	if (a == NULL)
		return;
	g_hash_table_unref (a->products);
	g_ptr_array_unref (a->product_list);
	g_ptr_array_unref (a->hosts);
	g_hash_table_unref (a->host_seen);
	g_hash_table_unref (a->parts_by_id);
	g_ptr_array_unref (a->parts);
	detail_clear (&a->vulnerable);
	detail_clear (&a->eol);
	g_free (a);
}

gboolean
tu_report_write_patch_summary (TuPatchAgg *a, TuTable *t, GError **error)
{
	g_ptr_array_sort (a->product_list, product_order);
	return write_summary_rows (a, t, error);
}

gboolean
tu_report_patch (TuPatchAgg *ap, const TuEstateScope *scope, guint32 at, const char *path,
		 const char *format, GPtrArray **files, GError **error)
{
	const Agg a = *ap; /* the tables and arrays, shared */
	g_autoptr(TuReport) r = tu_report_new_for (
		path, format, "Patch currency",
		"Where installed software stands against its releases, end of life and known "
		"vulnerabilities",
		at ? at : tu_date_today (), 0, scope, NULL, error);
	gboolean ok = r != NULL;
	TuWorkbook *wb = ok ? tu_report_workbook (r) : NULL;
	g_ptr_array_sort (a.product_list, product_order);

	/* What to do: the products to update, by hosts exposed */
	guint n_todo = 0;
	for (guint i = 0; i < a.product_list->len; i++) {
		const ProductAgg *p = g_ptr_array_index (a.product_list, i);
		n_todo += p->n_exposed_hosts > 0;
	}
	g_autofree char *todo_note = g_strdup_printf (
		"The %u products to update first of %u with a vulnerable or end-of-life installation: "
		"known exploitation first, then the hosts exposed",
		MIN (n_todo, (guint) TOP_PRODUCTS), n_todo);
	g_autoptr(TuTable) todo = ok ? tu_report_sheet (r, "What to do", todo_columns,
							 G_N_ELEMENTS (todo_columns), FALSE, todo_note,
							 error)
				     : NULL;
	ok = todo != NULL;
	guint rank = 0;
	for (guint i = 0; ok && i < a.product_list->len && rank < TOP_PRODUCTS; i++) {
		const ProductAgg *p = g_ptr_array_index (a.product_list, i);
		guint exposed = p->n_exposed_hosts;
		if (exposed == 0)
			continue;
		guint kev = p->n_kev_hosts;
		guint eolh = p->n_eol_hosts;
		const char *fix = common_fix (p);
		g_autofree char *action = NULL;
		if (fix != NULL && g_strcmp0 (fix, "no fix") != 0)
			action = g_strdup_printf ("Update %s to %s on %u host%s", p->product, fix, exposed,
						  exposed == 1 ? "" : "s");
		else if (eolh > 0 && p->n_esu_hosts > 0)
			action = g_strdup_printf (
				"Move %s to a supported release on %u host%s, or buy extended "
				"support for %u of them (available until %s)",
				p->product, eolh, eolh == 1 ? "" : "s", p->n_esu_hosts,
				p->esu_until);
		else if (eolh > 0)
			action = g_strdup_printf ("Move %s to a supported release on %u host%s", p->product,
						  eolh, eolh == 1 ? "" : "s");
		else
			action = g_strdup_printf ("Update %s on %u host%s (no fixed version known)",
						  p->product, exposed, exposed == 1 ? "" : "s");
		tu_table_set_row_style (todo, kev > 0 ? TU_ROW_RED : TU_ROW_AMBER);
		tu_table_add_int (todo, ++rank);
		tu_table_add_str (todo, action);
		tu_table_add_int (todo, exposed);
		tu_table_add_int (todo, kev);
		if (p->max_cvss >= 0)
			tu_table_add_double (todo, p->max_cvss);
		else
			tu_table_add_null (todo);
		ok = tu_table_end_row (todo, error);
	}
	if (ok && rank == 0) {
		tu_table_set_row_style (todo, TU_ROW_GREEN);
		tu_table_add_int (todo, 1);
		tu_table_add_str (todo, "Nothing: no installation is vulnerable or past its end of life");
		tu_table_add_int (todo, 0);
		tu_table_add_int (todo, 0);
		tu_table_add_null (todo);
		ok = tu_table_end_row (todo, error);
	}
	if (ok && wb != NULL && a.n_rows > 0)
		tu_table_add_chart (todo, status_pie (wb), 1.1, 1.1);
	ok = ok && tu_report_sheet_done (r, todo, error);

	/* Summary */
	g_autoptr(TuTable) sum = ok ? tu_report_sheet (r, "Summary", tu_patch_summary_columns,
							 tu_patch_summary_n_columns, TRUE,
							 "Per product: each installation counted once, under "
							 "the worst verdict that applies; hosts counted once",
							 error)
				    : NULL;
	ok = sum != NULL && write_summary_rows (&a, sum, error);
	guint n_products = a.product_list->len;
	if (ok && wb != NULL && n_products > 0) {
		/* by product: the first 15, stacked by verdict: each bar is the product's
		 * installations */
		guint top = MIN (n_products, 15u);
		lxw_chart *bar = workbook_add_chart (tu_workbook_handle (wb), LXW_CHART_BAR_STACKED);
		static const lxw_color_t colours[V_LAST] = {0xC00000, 0xFF7F27, 0x7F0000, 0xFFC000,
							    0x70AD47, 0xA9D18E, 0xA5A5A5};
		lxw_row_t first = TU_SHEET_HEADER_ROW + 1;
		for (guint v = 0; v < V_LAST; v++) {
			lxw_chart_series *s = chart_add_series (bar, NULL, NULL);
			lxw_col_t col = (lxw_col_t) (SUMMARY_FIRST_VERDICT_COL + v);
			chart_series_set_categories (s, "Summary", first, 1, first + top - 1, 1);
			chart_series_set_values (s, "Summary", first, col, first + top - 1, col);
			chart_series_set_name (s, verdict_names[v]);
			lxw_chart_fill fill = {.color = colours[v]};
			chart_series_set_fill (s, &fill);
		}
		chart_axis_set_reverse (bar->y_axis);
		chart_title_set_name (bar, "Installations by product and verdict");
		tu_table_add_chart (sum, bar, 1.6, 1.6);
	}
	ok = ok && tu_report_sheet_done (r, sum, error);

	/* Status (the pie's data) */
	g_autoptr(TuTable) st = ok ? tu_report_sheet (r, "Status", status_columns,
							G_N_ELEMENTS (status_columns), FALSE,
							"Each installation under the worst verdict that "
							"applies: the rows add up to the total",
							error)
				   : NULL;
	ok = st != NULL;
	for (guint v = 0; ok && v < V_LAST; v++) {
		tu_table_set_row_style (st, verdict_style ((Verdict) v));
		tu_table_add_str (st, verdict_names[v]);
		tu_table_add_int (st, (gint64) a.n_by[v]);
		if (a.n_rows > 0)
			tu_table_add_double (st, (double) a.n_by[v] / (double) a.n_rows);
		else
			tu_table_add_null (st);
		ok = tu_table_end_row (st, error);
	}
	if (ok) {
		tu_table_set_row_style (st, TU_ROW_BOLD);
		tu_table_add_str (st, "All installations");
		tu_table_add_int (st, (gint64) a.n_rows);
		if (a.n_rows > 0)
			tu_table_add_double (st, 1.0);
		else
			tu_table_add_null (st);
		ok = tu_table_end_row (st, error);
	}
	if (ok && wb != NULL && a.n_rows > 0)
		tu_table_add_chart (st, status_pie (wb), 1.1, 1.1);
	ok = ok && tu_report_sheet_done (r, st, error);

	/* Vulnerable */
	g_autoptr(TuTable) vul = ok ? tu_report_sheet (r, "Vulnerable", vuln_columns,
							 G_N_ELEMENTS (vuln_columns), FALSE,
							 "Installations with known vulnerabilities: known "
							 "exploitation first, then severity",
							 error)
				    : NULL;
	if (vul != NULL && a.sheet_rows > 0)
		tu_table_set_sheet_rows (vul, a.sheet_rows);
	ok = vul != NULL && detail_each (ap, &ap->vulnerable, write_vulnerable_row, vul, error);
	ok = ok && tu_report_sheet_done (r, vul, error);

	/* End of life */
	g_autoptr(TuTable) eol = ok ? tu_report_sheet (r, "End of life", eol_columns,
							 G_N_ELEMENTS (eol_columns), FALSE,
							 "Installations past their end of life, longest past "
							 "first",
							 error)
				    : NULL;
	if (eol != NULL && a.sheet_rows > 0)
		tu_table_set_sheet_rows (eol, a.sheet_rows);
	ok = eol != NULL && detail_each (ap, &ap->eol, write_end_of_life_row, eol, error);
	ok = ok && tu_report_sheet_done (r, eol, error);

	/* Hosts */
	g_autoptr(TuTable) hosts = ok ? tu_report_sheet (r, "Hosts", host_columns,
							   G_N_ELEMENTS (host_columns), FALSE,
							   "The worst hosts first: known exploitation, "
							   "vulnerabilities, severity, end of life",
							   error)
				      : NULL;
	ok = hosts != NULL;
	/* the detail rows index the hosts in feed order: sort a copy of the pointers (a copy
	 * of the array would inherit its free function) */
	g_autoptr(GPtrArray) by_worst = g_ptr_array_sized_new (a.hosts->len);
	for (guint i = 0; i < a.hosts->len; i++)
		g_ptr_array_add (by_worst, g_ptr_array_index (a.hosts, i));
	g_ptr_array_sort (by_worst, host_order);
	for (guint i = 0; ok && i < by_worst->len; i++) {
		const HostAgg *h = g_ptr_array_index (by_worst, i);
		tu_table_set_row_style (hosts, h->n_by[V_KEV] > 0 ? TU_ROW_RED
					       : h->n_eol > 0 || h->n_by[V_VULNERABLE] > 0 ? TU_ROW_AMBER
											   : TU_ROW_PLAIN);
		tu_table_add_str (hosts, h->host);
		tu_table_add_str (hosts, h->os);
		tu_table_add_int (hosts, h->n_installs);
		tu_table_add_int (hosts, h->n_by[V_KEV]);
		tu_table_add_int (hosts, h->n_by[V_VULNERABLE]);
		tu_table_add_int (hosts, h->n_eol);
		tu_table_add_int (hosts, h->n_by[V_BEHIND]);
		tu_table_add_int (hosts, h->n_by[V_CURRENT]);
		if (h->max_cvss >= 0)
			tu_table_add_double (hosts, h->max_cvss);
		else
			tu_table_add_null (hosts);
		if (h->max_eol_days > 0)
			tu_table_add_int (hosts, h->max_eol_days);
		else
			tu_table_add_null (hosts);
		ok = tu_table_end_row (hosts, error);
	}
	ok = ok && tu_report_sheet_done (r, hosts, error);
	return ok && tu_report_close (r, files, error);
}

/* ---------------------------------------------------------------- changes -------------- */

/* the columns of tu_query_changes (store/tu-query.h), by its indexes, with their titles */
const TuColumn tu_change_columns[] = {
	[TU_Q_CHANGE_DATE] = {"date", TU_COL_DATETIME, 0, "When (UTC)"},
	[TU_Q_CHANGE_HOST] = {"host", TU_COL_TEXT, 22, "Host"},
	[TU_Q_CHANGE_KIND] = {"change", TU_COL_TEXT, 22, "Change", TU_COL_STATUS},
	[TU_Q_CHANGE_SOURCE] = {"source", TU_COL_TEXT, 9, "Found by"},
	[TU_Q_CHANGE_RAW_NAME] = {"raw_name", TU_COL_TEXT, 34, "Package or program"},
	[TU_Q_CHANGE_PUBLISHER] = {"publisher", TU_COL_TEXT, 20, "Publisher"},
	[TU_Q_CHANGE_PRODUCT] = {"product", TU_COL_TEXT, 26, "Product"},
	[TU_Q_CHANGE_OLD_VERSION] = {"old_version", TU_COL_TEXT, 22, "Version before"},
	[TU_Q_CHANGE_NEW_VERSION] = {"new_version", TU_COL_TEXT, 22, "Version after"},
};
const guint tu_change_n_columns = G_N_ELEMENTS (tu_change_columns);
G_STATIC_ASSERT (G_N_ELEMENTS (tu_change_columns) == TU_Q_CHANGE_N);

/* the kinds of change, in the order of the per-host and per-product sheets */
static const char *const change_kinds[] = {"baseline", "installed", "removed", "upgraded",
					   "downgraded", "changed"};

typedef struct {
	char *key;
	char *host;
	char *publisher;
	char *product;
	gint64 n[G_N_ELEMENTS (change_kinds)];
	GHashTable *hosts; /* names */
} ChangeAgg;

static void
change_agg_free (ChangeAgg *c)
{
	g_free (c->key);
	g_free (c->host);
	g_free (c->publisher);
	g_free (c->product);
	if (c->hosts != NULL)
		g_hash_table_unref (c->hosts);
	g_free (c);
}

typedef struct {
	GHashTable *by_host; /* key -> ChangeAgg* */
	GPtrArray *host_list;
	GHashTable *by_product;
	GPtrArray *product_list;
} ChangeSums;

static ChangeAgg *
change_agg (GHashTable *index, GPtrArray *list, const char *key)
{
	ChangeAgg *c = g_hash_table_lookup (index, key);
	if (c == NULL) {
		c = g_new0 (ChangeAgg, 1);
		c->key = g_strdup (key);
		g_hash_table_insert (index, c->key, c);
		g_ptr_array_add (list, c);
	}
	return c;
}

static void
change_count (ChangeSums *sums, const char *host, const char *publisher, const char *product,
	      const char *kind, gint64 n)
{
	guint k = 0;
	while (k < G_N_ELEMENTS (change_kinds) && g_strcmp0 (change_kinds[k], kind) != 0)
		k++;
	if (k == G_N_ELEMENTS (change_kinds) || sums == NULL)
		return;
	ChangeAgg *h = change_agg (sums->by_host, sums->host_list, host ? host : "");
	if (h->host == NULL)
		h->host = g_strdup (host);
	h->n[k] += n;
	if (k == 0)
		return; /* a baseline is per host, not per product */
	g_autofree char *pk = g_strdup_printf ("%s\x1f%s", publisher ? publisher : "",
					       product ? product : "");
	ChangeAgg *p = change_agg (sums->by_product, sums->product_list, pk);
	if (p->hosts == NULL) {
		p->publisher = g_strdup (publisher);
		p->product = g_strdup (product);
		p->hosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	}
	p->n[k] += n;
	if (host != NULL && !g_hash_table_contains (p->hosts, host))
		g_hash_table_add (p->hosts, g_strdup (host));
}

static gboolean
write_changes (TuRows *rows, TuTable *t, guint64 *n_rows, ChangeSums *sums, GError **error)
{
	char **r;
	guint64 n = 0;
	GError *local = NULL;
	while ((r = tu_rows_next (rows, &local)) != NULL) {
		const char *kind = r[TU_Q_CHANGE_KIND];
		gboolean baseline = g_strcmp0 (kind, "baseline") == 0;
		tu_table_set_row_style (t, g_strcmp0 (kind, "removed") == 0	 ? TU_ROW_AMBER
					   : g_strcmp0 (kind, "downgraded") == 0 ? TU_ROW_RED
					   : baseline			       ? TU_ROW_BOLD
									       : TU_ROW_PLAIN);
		for (guint c = 0; c < tu_change_n_columns; c++) {
			if (c == TU_Q_CHANGE_KIND && baseline)
				tu_table_add_str (t, "new host (baseline)");
			else
				tu_table_add_text_as_type (t, r[c]);
		}
		if (!tu_table_end_row (t, error))
			return FALSE;
		change_count (sums, r[TU_Q_CHANGE_HOST], r[TU_Q_CHANGE_PUBLISHER],
			      r[TU_Q_CHANGE_PRODUCT] ? r[TU_Q_CHANGE_PRODUCT] : r[TU_Q_CHANGE_RAW_NAME],
			      r[TU_Q_CHANGE_KIND], 1);
		n++;
	}
	if (local != NULL) {
		g_propagate_error (error, local);
		return FALSE;
	}
	if (n_rows != NULL)
		*n_rows = n;
	return TRUE;
}

static gint
change_host_order (gconstpointer pa, gconstpointer pb)
{
	const ChangeAgg *a = *(ChangeAgg *const *) pa, *b = *(ChangeAgg *const *) pb;
	return g_strcmp0 (a->host, b->host);
}

static gint
change_product_order (gconstpointer pa, gconstpointer pb)
{
	const ChangeAgg *a = *(ChangeAgg *const *) pa, *b = *(ChangeAgg *const *) pb;
	gint64 ta = 0, tb = 0;
	for (guint k = 1; k < G_N_ELEMENTS (change_kinds); k++) {
		ta += a->n[k];
		tb += b->n[k];
	}
	if (ta != tb)
		return ta > tb ? -1 : 1;
	int r = g_strcmp0 (a->publisher, b->publisher);
	return r ? r : g_strcmp0 (a->product, b->product);
}

gboolean
tu_report_changes (TuRows *changes, const TuEstateScope *scope, guint32 since, guint32 until,
		   const char *path, const char *format, GPtrArray **files, guint64 *n_changes,
		   GError **error)
{
	g_autofree char *from = tu_date_format (since);
	g_autoptr(TuReport) r = tu_report_new_for (
		path, format, "Software changes",
		"What was installed, removed, upgraded and downgraded in the period, per host and "
		"product",
		until, since, scope, NULL, error);
	if (r == NULL)
		return FALSE;
	ChangeSums sums = {
		g_hash_table_new (g_str_hash, g_str_equal),
		g_ptr_array_new_with_free_func ((GDestroyNotify) change_agg_free),
		g_hash_table_new (g_str_hash, g_str_equal),
		g_ptr_array_new_with_free_func ((GDestroyNotify) change_agg_free),
	};
	g_autofree char *note = g_strdup_printf (
		"Every change since %s, oldest first; a host first scanned in the period is one "
		"baseline line",
		from);
	g_autoptr(TuTable) t = tu_report_sheet (r, "Changes", tu_change_columns, tu_change_n_columns,
						TRUE, note, error);
	gboolean ok = t != NULL && write_changes (changes, t, n_changes, &sums, error) &&
		      tu_report_sheet_done (r, t, error);
	static const TuColumn host_cols[] = {
		{"host", TU_COL_TEXT, 24, "Host"},
		{"baseline", TU_COL_INT, 0, "New host (baseline scans)"},
		{"installed", TU_COL_INT, 0, "Installed"},
		{"removed", TU_COL_INT, 0, "Removed"},
		{"upgraded", TU_COL_INT, 0, "Upgraded"},
		{"downgraded", TU_COL_INT, 0, "Downgraded"},
		{"changed", TU_COL_INT, 0, "Changed otherwise"},
	};
	g_autoptr(TuTable) bh = ok ? tu_report_sheet (r, "By host", host_cols, G_N_ELEMENTS (host_cols),
						       FALSE, "The changes of the period per host", error)
				   : NULL;
	ok = bh != NULL;
	g_ptr_array_sort (sums.host_list, change_host_order);
	for (guint i = 0; ok && i < sums.host_list->len; i++) {
		const ChangeAgg *c = g_ptr_array_index (sums.host_list, i);
		tu_table_set_row_style (bh, c->n[4] > 0 ? TU_ROW_RED : TU_ROW_PLAIN);
		tu_table_add_str (bh, c->host);
		for (guint k = 0; k < G_N_ELEMENTS (change_kinds); k++)
			tu_table_add_int (bh, c->n[k]);
		ok = tu_table_end_row (bh, error);
	}
	ok = ok && tu_report_sheet_done (r, bh, error);
	static const TuColumn product_cols[] = {
		{"publisher", TU_COL_TEXT, 22, "Publisher"},
		{"product", TU_COL_TEXT, 30, "Product"},
		{"installed", TU_COL_INT, 0, "Installed"},
		{"removed", TU_COL_INT, 0, "Removed"},
		{"upgraded", TU_COL_INT, 0, "Upgraded"},
		{"downgraded", TU_COL_INT, 0, "Downgraded"},
		{"changed", TU_COL_INT, 0, "Changed otherwise"},
		{"hosts", TU_COL_INT, 0, "Hosts"},
	};
	g_autoptr(TuTable) bp = ok ? tu_report_sheet (r, "By product", product_cols,
						       G_N_ELEMENTS (product_cols), FALSE,
						       "The changes of the period per product, the most "
						       "changed first (baselines not included)",
						       error)
				   : NULL;
	ok = bp != NULL;
	g_ptr_array_sort (sums.product_list, change_product_order);
	for (guint i = 0; ok && i < sums.product_list->len; i++) {
		const ChangeAgg *c = g_ptr_array_index (sums.product_list, i);
		tu_table_set_row_style (bp, c->n[4] > 0 ? TU_ROW_RED : TU_ROW_PLAIN);
		tu_table_add_str (bp, c->publisher);
		tu_table_add_str (bp, c->product);
		for (guint k = 1; k < G_N_ELEMENTS (change_kinds); k++)
			tu_table_add_int (bp, c->n[k]);
		tu_table_add_int (bp, g_hash_table_size (c->hosts));
		ok = tu_table_end_row (bp, error);
	}
	ok = ok && tu_report_sheet_done (r, bp, error);
	g_hash_table_unref (sums.by_host);
	g_ptr_array_unref (sums.host_list);
	g_hash_table_unref (sums.by_product);
	g_ptr_array_unref (sums.product_list);
	return ok && tu_report_close (r, files, error);
}
