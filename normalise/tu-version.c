/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Version schemes: parsing, validation and ordering of version strings, one set of functions
 * per scheme (dpkg, rpm, semver, dotted, apk, pep440, generic).
 *
 * What this file owns and why it is shaped like this:
 * - Every compare path parses in place: a version is a set of (pointer, length) slices into the
 *   caller's string, numbers are compared as digit strings (so no overflow, whatever their
 *   length) and nothing is allocated. Inventories compare millions of pairs.
 * - dpkg and rpm follow their reference tools byte for byte (dpkg 1.21 parseversion, verrevcmp
 *   and the "none" rules of --compare-versions; rpm 4.18 rpmvercmp and labelCompare on
 *   parseEVR), including how they treat input they consider invalid: dpkg compares versions
 *   it only warns about and refuses the others, rpm compares anything. pep440 follows
 *   packaging.version.Version, semver node-semver's precedence, apk apk-tools' tokenizer.
 *   tests/data/version-pairs-*.tsv hold the reference tools' own verdicts.
 * - Input a scheme cannot order at all is ordered by a deterministic fallback (documented per
 *   scheme) so that sorting never depends on the order of the input; callers who must refuse
 *   such input use tu_version_compare_checked.
 * - Validation messages use the reference tool's wording where it has one.
 */
#include <string.h>

#include "tu-error.h"
#include "tu-version.h"

/* ---- ASCII character classes: locale-independent on purpose -------------------------- */

static inline gboolean
is_digit (char c)
{
	return c >= '0' && c <= '9';
}

static inline gboolean
is_alpha (char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline gboolean
is_alnum (char c)
{
	return is_digit (c) || is_alpha (c);
}

static inline int
sign_of (int v)
{
	return (v > 0) - (v < 0);
}

/* Compare two runs of ASCII digits by value, whatever their length. */
static int
digits_cmp (const char *a, size_t alen, const char *b, size_t blen)
{
	while (alen > 0 && *a == '0') {
		a++;
		alen--;
	}
	while (blen > 0 && *b == '0') {
		b++;
		blen--;
	}
	if (alen != blen)
		return alen < blen ? -1 : 1;
	if (alen == 0)
		return 0;
	return sign_of (memcmp (a, b, alen));
}

/* memcmp over the common prefix, then the shorter one first (strcmp on slices). */
static int
bytes_cmp (const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = MIN (alen, blen);
	int r = n > 0 ? memcmp (a, b, n) : 0;
	if (r != 0)
		return sign_of (r);
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return 0;
}

/* The same, ASCII case-insensitively. */
static int
bytes_cmp_ci (const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = MIN (alen, blen);
	for (size_t i = 0; i < n; i++) {
		int ca = g_ascii_tolower (a[i]);
		int cb = g_ascii_tolower (b[i]);
		if (ca != cb)
			return (guchar)ca < (guchar)cb ? -1 : 1;
	}
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return 0;
}

static const char *
skip_digits (const char *p, const char *end)
{
	while (p < end && is_digit (*p))
		p++;
	return p;
}

/*
 * Blanks around a version, as the reference tools see them: Python's str.isspace() for
 * packaging (its regular expression's \s), JavaScript's String.prototype.trim() for
 * node-semver. Both include non-ASCII spaces (U+00A0, U+2000..U+200A, ...), in UTF-8 here.
 */
typedef enum { SPACES_PYTHON, SPACES_JS } SpaceKind;

static gboolean
is_unicode_space (gunichar c, SpaceKind kind)
{
	if ((c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0xa0 || c == 0x1680 ||
	    (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
	    c == 0x205f || c == 0x3000)
		return TRUE;
	if (kind == SPACES_PYTHON)
		return (c >= 0x1c && c <= 0x1f) || c == 0x85;
	return c == 0xfeff;
}

/* Length in bytes of the blank that starts at @p, 0 if there is none. */
static size_t
space_len_at (const char *p, const char *end, SpaceKind kind)
{
	gunichar c;

	if (p >= end)
		return 0;
	if ((guchar)*p < 0x80)
		return is_unicode_space ((guchar)*p, kind) ? 1 : 0;
	c = g_utf8_get_char_validated (p, end - p);
	if (c == (gunichar)-1 || c == (gunichar)-2 || !is_unicode_space (c, kind))
		return 0;
	return g_utf8_skip[(guchar)*p];
}

/* Length in bytes of the blank that ends at @end, 0 if there is none. */
static size_t
space_len_before (const char *start, const char *end, SpaceKind kind)
{
	const char *p = end;

	if (end <= start)
		return 0;
	if ((guchar)end[-1] < 0x80)
		return is_unicode_space ((guchar)end[-1], kind) ? 1 : 0;
	for (int i = 0; i < 4 && p > start; i++) {
		p--;
		if (((guchar)*p & 0xc0) != 0x80)
			break;
	}
	return space_len_at (p, end, kind) == (size_t)(end - p) ? (size_t)(end - p) : 0;
}

static void
trim_spaces (const char **s, const char **end, SpaceKind kind)
{
	size_t n;
	while ((n = space_len_at (*s, *end, kind)) > 0)
		*s += n;
	while ((n = space_len_before (*s, *end, kind)) > 0)
		*end -= n;
}

/* ---- generic -------------------------------------------------------------------------- */

/*
 * Runs of digits and runs of letters; everything else separates. Digit runs compare by value
 * and sort above letter runs; letter runs compare case-insensitively; the side with runs left
 * is newer. Ties are broken by length and then bytes, so only identical strings are equal and
 * the order is total.
 */
static int
generic_runs_cmp (const char *a, const char *ae, const char *b, const char *be)
{
	for (;;) {
		while (a < ae && !is_alnum (*a))
			a++;
		while (b < be && !is_alnum (*b))
			b++;
		if (a == ae || b == be) {
			if (a == ae && b == be)
				return 0;
			return a == ae ? -1 : 1;
		}

		gboolean a_num = is_digit (*a);
		gboolean b_num = is_digit (*b);
		if (a_num != b_num)
			return a_num ? 1 : -1;

		const char *sa = a, *sb = b;
		int r;
		if (a_num) {
			a = skip_digits (a, ae);
			b = skip_digits (b, be);
			r = digits_cmp (sa, a - sa, sb, b - sb);
		} else {
			while (a < ae && is_alpha (*a))
				a++;
			while (b < be && is_alpha (*b))
				b++;
			r = bytes_cmp_ci (sa, a - sa, sb, b - sb);
		}
		if (r != 0)
			return r;
	}
}

static int
generic_compare (const char *a, const char *b)
{
	size_t alen = strlen (a), blen = strlen (b);
	int r = generic_runs_cmp (a, a + alen, b, b + blen);
	if (r != 0)
		return r;
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return sign_of (strcmp (a, b));
}

static gboolean
generic_validate (const char *version, GError **error)
{
	gboolean has_alnum = FALSE;
	if (*version == '\0') {
		g_set_error_literal (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "version string is empty");
		return FALSE;
	}
	for (const char *p = version; *p != '\0'; p++) {
		if ((guchar)*p < 0x20 || *p == 0x7f || *p == ' ') {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "version '%s' contains a blank or control character", version);
			return FALSE;
		}
		if (is_alnum (*p))
			has_alnum = TRUE;
	}
	if (!has_alnum) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "version '%s' has neither digits nor letters", version);
		return FALSE;
	}
	return TRUE;
}

/* ---- dpkg ----------------------------------------------------------------------------- */

/*
 * dpkg 1.21: parseversion() decides what a version is, verrevcmp() orders the upstream
 * version and the revision, `dpkg --compare-versions` adds that an empty version is "none"
 * and sorts below every other. parseversion has two classes of complaint: errors (dpkg
 * refuses to compare) and warnings (dpkg prints one and compares anyway).
 */

typedef enum {
	DPKG_OK,      /* parsed, well-formed */
	DPKG_WARNING, /* parsed; dpkg warns and still compares it */
	DPKG_NONE,    /* "": dpkg's "no version", below everything */
	DPKG_ERROR,   /* dpkg refuses it */
} DpkgStatus;

typedef struct {
	long epoch;
	const char *v, *v_end; /* upstream version */
	const char *r, *r_end; /* revision, empty when absent */
} DpkgVersion;

static inline gboolean
dpkg_is_blank (char c)
{
	return c == ' ' || c == '\t';
}

/* The isspace() of the C locale, which strtol() skips. */
static inline gboolean
c_is_space (char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* dpkg's order(): '~' first, then the end, then letters, then everything else. On the
 * signed-char platforms dpkg ships for, a byte >= 0x80 ends up as its unsigned value. */
static inline int
dpkg_order (guchar c)
{
	if (is_digit (c))
		return 0;
	if (is_alpha (c))
		return c;
	if (c == '~')
		return -1;
	if (c >= 0x80)
		return c;
	return c + 256;
}

/* Length of the common prefix of two slices, backed up out of any run of characters that
 * @in_run accepts, so that a comparison may start there as if from the beginning. */
static size_t
common_prefix (const char *a, const char *ae, const char *b, const char *be,
	       gboolean (*in_run) (char))
{
	size_t n = 0, max = MIN (ae - a, be - b);
	while (n < max && a[n] == b[n])
		n++;
	while (n > 0 && in_run (a[n - 1]))
		n--;
	return n;
}

static gboolean
in_digit_run (char c)
{
	return is_digit (c);
}

static gboolean
in_alnum_run (char c)
{
	return is_alnum (c);
}

static int
dpkg_verrevcmp (const char *a, const char *ae, const char *b, const char *be)
{
	/* the loop below carries no state from one run to the next, so an identical prefix
	 * can be skipped, as long as no digit run is cut in two */
	size_t skip = common_prefix (a, ae, b, be, in_digit_run);
	a += skip;
	b += skip;
	while (a < ae || b < be) {
		int first_diff = 0;

		while ((a < ae && !is_digit (*a)) || (b < be && !is_digit (*b))) {
			int ac = a < ae ? dpkg_order ((guchar)*a) : 0;
			int bc = b < be ? dpkg_order ((guchar)*b) : 0;
			if (ac != bc)
				return ac - bc;
			/* equal orders here are never the end of one side against a
			 * non-digit of the other, so neither pointer passes its end */
			a++;
			b++;
		}
		while (a < ae && *a == '0')
			a++;
		while (b < be && *b == '0')
			b++;
		while (a < ae && b < be && is_digit (*a) && is_digit (*b)) {
			if (first_diff == 0)
				first_diff = *a - *b;
			a++;
			b++;
		}
		if (a < ae && is_digit (*a))
			return 1;
		if (b < be && is_digit (*b))
			return -1;
		if (first_diff != 0)
			return first_diff;
	}
	return 0;
}

/* Parse like dpkg's parseversion(). @check_chars: also run the character checks (warnings),
 * which compare does not need. On DPKG_ERROR and DPKG_WARNING, *msg is dpkg's wording. */
static DpkgStatus
dpkg_parse (const char *string, DpkgVersion *out, gboolean check_chars, const char **msg)
{
	const char *end, *ptr, *colon, *hyphen;

	*msg = NULL;
	if (*string == '\0')
		return DPKG_NONE;

	while (*string != '\0' && dpkg_is_blank (*string))
		string++;
	if (*string == '\0') {
		*msg = "version string is empty";
		return DPKG_ERROR;
	}
	/* one pass: the end, the first ':' (the epoch's) and the last '-' (the revision's) */
	colon = hyphen = NULL;
	for (end = string; *end != '\0' && !dpkg_is_blank (*end); end++) {
		if (*end == ':') {
			if (colon == NULL)
				colon = end;
		} else if (*end == '-') {
			hyphen = end;
		}
	}
	ptr = end;
	while (*ptr != '\0' && dpkg_is_blank (*ptr))
		ptr++;
	if (*ptr != '\0') {
		*msg = "version string has embedded spaces";
		return DPKG_ERROR;
	}

	if (colon != NULL) {
		/* strtol(string, &endptr, 10) with its errno, by hand */
		const char *p = string;
		gboolean negative = FALSE, overflow = FALSE;
		unsigned long value = 0;

		while (c_is_space (*p))
			p++;
		if (*p == '+' || *p == '-') {
			negative = *p == '-';
			p++;
		}
		if (!is_digit (*p)) {
			*msg = "epoch in version is empty";
			return DPKG_ERROR;
		}
		for (; is_digit (*p); p++) {
			unsigned digit = *p - '0';
			if (value > ((unsigned long)G_MAXLONG - digit) / 10)
				overflow = TRUE;
			else
				value = value * 10 + digit;
		}
		if (p != colon) {
			*msg = "epoch in version is not number";
			return DPKG_ERROR;
		}
		if (negative && (value != 0 || overflow)) {
			*msg = "epoch in version is negative";
			return DPKG_ERROR;
		}
		if (overflow || value > G_MAXINT) {
			*msg = "epoch in version is too big";
			return DPKG_ERROR;
		}
		if (colon + 1 == end) {
			*msg = "nothing after colon in version number";
			return DPKG_ERROR;
		}
		out->epoch = (long)value;
		string = colon + 1;
	} else {
		out->epoch = 0;
	}

	out->v = string;
	out->v_end = end;
	out->r = out->r_end = end;
	/* the revision follows the last '-' of what follows the epoch */
	if (hyphen != NULL && hyphen >= string) {
		out->v_end = hyphen;
		out->r = hyphen + 1;
		if (out->r == end) {
			*msg = "revision number is empty";
			return DPKG_ERROR;
		}
	}
	if (out->v == out->v_end) {
		*msg = "version number is empty";
		return DPKG_ERROR;
	}
	if (!check_chars)
		return DPKG_OK;

	if (!is_digit (*out->v)) {
		*msg = "version number does not start with digit";
		return DPKG_WARNING;
	}
	for (ptr = out->v + 1; ptr < out->v_end; ptr++) {
		if (!is_alnum (*ptr) && strchr (".-+~:", *ptr) == NULL) {
			*msg = "invalid character in version number";
			return DPKG_WARNING;
		}
	}
	for (ptr = out->r; ptr < out->r_end; ptr++) {
		if (!is_alnum (*ptr) && strchr (".+~", *ptr) == NULL) {
			*msg = "invalid character in revision number";
			return DPKG_WARNING;
		}
	}
	return DPKG_OK;
}

/*
 * As `dpkg --compare-versions`: "" is "no version", below any other; versions dpkg only
 * warns about compare normally. Versions dpkg refuses (errors) sort between the two, among
 * themselves by verrevcmp on the trimmed string: an arbitrary but total order.
 */
static int
dpkg_compare (const char *a, const char *b)
{
	DpkgVersion va, vb;
	const char *msg;
	DpkgStatus sa = dpkg_parse (a, &va, FALSE, &msg);
	DpkgStatus sb = dpkg_parse (b, &vb, FALSE, &msg);
	static const int rank[] = {[DPKG_OK] = 2, [DPKG_WARNING] = 2, [DPKG_NONE] = 0,
				   [DPKG_ERROR] = 1};
	int r;

	if (rank[sa] != rank[sb])
		return rank[sa] < rank[sb] ? -1 : 1;
	if (sa == DPKG_NONE)
		return 0;
	if (sa == DPKG_ERROR) {
		size_t alen = strlen (a), blen = strlen (b);
		return sign_of (dpkg_verrevcmp (a, a + alen, b, b + blen));
	}
	if (va.epoch != vb.epoch)
		return va.epoch < vb.epoch ? -1 : 1;
	r = dpkg_verrevcmp (va.v, va.v_end, vb.v, vb.v_end);
	if (r != 0)
		return sign_of (r);
	return sign_of (dpkg_verrevcmp (va.r, va.r_end, vb.r, vb.r_end));
}

static gboolean
dpkg_validate (const char *version, GError **error)
{
	DpkgVersion v;
	const char *msg;
	DpkgStatus status = dpkg_parse (version, &v, TRUE, &msg);

	if (status == DPKG_OK)
		return TRUE;
	if (status == DPKG_NONE)
		msg = "version string is empty";
	g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "version '%s' has bad syntax: %s",
		     version, msg);
	return FALSE;
}

/* ---- rpm ------------------------------------------------------------------------------ */

/* rpmvercmp() of rpm 4.18 on slices: alphanumeric segments, '~' sorts before everything
 * including the end, '^' after the end but before anything else. */
static int
rpm_vercmp (const char *one, const char *ae, const char *two, const char *be)
{
	size_t skip;

	if (ae - one == be - two && memcmp (one, two, ae - one) == 0)
		return 0;
	/* segments are compared independently of what came before them: skip an identical
	 * prefix, backing up to the start of the segment it ends in */
	skip = common_prefix (one, ae, two, be, in_alnum_run);
	one += skip;
	two += skip;

	while (one < ae || two < be) {
		while (one < ae && !is_alnum (*one) && *one != '~' && *one != '^')
			one++;
		while (two < be && !is_alnum (*two) && *two != '~' && *two != '^')
			two++;
		char c1 = one < ae ? *one : '\0';
		char c2 = two < be ? *two : '\0';

		if (c1 == '~' || c2 == '~') {
			if (c1 != '~')
				return 1;
			if (c2 != '~')
				return -1;
			one++;
			two++;
			continue;
		}
		if (c1 == '^' || c2 == '^') {
			if (c1 == '\0')
				return -1;
			if (c2 == '\0')
				return 1;
			if (c1 != '^')
				return 1;
			if (c2 != '^')
				return -1;
			one++;
			two++;
			continue;
		}
		if (c1 == '\0' || c2 == '\0')
			break;

		const char *s1 = one, *s2 = two;
		gboolean isnum = is_digit (*s1);
		if (isnum) {
			s1 = skip_digits (s1, ae);
			s2 = skip_digits (s2, be);
		} else {
			while (s1 < ae && is_alpha (*s1))
				s1++;
			while (s2 < be && is_alpha (*s2))
				s2++;
		}
		/* one segment numeric and the other alpha (so empty here): numeric wins */
		if (two == s2)
			return isnum ? 1 : -1;

		int rc = isnum ? digits_cmp (one, s1 - one, two, s2 - two)
			       : bytes_cmp (one, s1 - one, two, s2 - two);
		if (rc != 0)
			return rc;
		one = s1;
		two = s2;
	}
	if (one >= ae && two >= be)
		return 0;
	return one >= ae ? -1 : 1;
}

typedef struct {
	const char *e, *e_end; /* NULL: no epoch, compares as "0" */
	const char *v, *v_end;
	const char *r, *r_end; /* NULL: no release, below any release */
} RpmEvr;

/* rpm's parseEVR(): the epoch is leading digits before ':', the release follows the last
 * '-'. */
static void
rpm_parse_evr (const char *evr, RpmEvr *out)
{
	const char *end = evr + strlen (evr);
	const char *s = skip_digits (evr, end);
	const char *se = NULL;

	for (const char *p = end; p > s; p--) {
		if (p[-1] == '-') {
			se = p - 1;
			break;
		}
	}
	if (s < end && *s == ':') {
		out->e = evr;
		out->e_end = s;
		if (out->e == out->e_end) {
			out->e = "0";
			out->e_end = out->e + 1;
		}
		out->v = s + 1;
	} else {
		out->e = out->e_end = NULL;
		out->v = evr;
	}
	if (se != NULL) {
		out->v_end = se;
		out->r = se + 1;
		out->r_end = end;
	} else {
		out->v_end = end;
		out->r = out->r_end = NULL;
	}
}

/* rpmverCmp() as rpm.labelCompare() calls it. */
static int
rpm_compare (const char *a, const char *b)
{
	static const char zero[] = "0";
	RpmEvr va, vb;
	int r;

	rpm_parse_evr (a, &va);
	rpm_parse_evr (b, &vb);
	if (va.e == NULL) {
		va.e = zero;
		va.e_end = zero + 1;
	}
	if (vb.e == NULL) {
		vb.e = zero;
		vb.e_end = zero + 1;
	}
	r = rpm_vercmp (va.e, va.e_end, vb.e, vb.e_end);
	if (r != 0)
		return r;
	r = rpm_vercmp (va.v, va.v_end, vb.v, vb.v_end);
	if (r != 0)
		return r;
	if (va.r == NULL || vb.r == NULL)
		return (va.r != NULL) - (vb.r != NULL);
	return rpm_vercmp (va.r, va.r_end, vb.r, vb.r_end);
}

/* The checks rpmbuild applies to a versioned dependency's EVR (rpmCharCheck, checkSep,
 * checkEpoch), with rpm's wording, plus the empty parts that rpm.labelCompare refuses. */
static gboolean
rpm_validate (const char *evr, GError **error)
{
	RpmEvr v;
	const char *sep;

	if (*evr == '\0') {
		g_set_error_literal (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "invalid version: empty string");
		return FALSE;
	}
	for (const char *p = evr; *p != '\0'; p++) {
		if (is_alnum (*p) || strchr ("._+%{}~^-:", *p) != NULL)
			continue;
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "Illegal char '%c' (0x%x) in: %s", g_ascii_isprint (*p) ? *p : '?',
			     (guint)(guchar)*p, evr);
		return FALSE;
	}
	if (strstr (evr, "..") != NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "Illegal sequence \"..\" in: %s", evr);
		return FALSE;
	}
	for (const char *c = "-:"; *c != '\0'; c++) {
		sep = strchr (evr, *c);
		if (sep != NULL && strchr (sep + 1, *c) != NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "Invalid version (double separator '%c'): %s", *c, evr);
			return FALSE;
		}
	}
	sep = strchr (evr, ':');
	if (sep != NULL) {
		for (const char *p = evr; p < sep; p++) {
			if (!is_digit (*p)) {
				g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "Invalid version (epoch must be unsigned integer): %s",
					     evr);
				return FALSE;
			}
		}
	}
	rpm_parse_evr (evr, &v);
	if (v.v == v.v_end) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "invalid version: empty version in: %s", evr);
		return FALSE;
	}
	if (v.r != NULL && v.r == v.r_end) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "invalid version: empty release in: %s", evr);
		return FALSE;
	}
	return TRUE;
}

/* ---- semver --------------------------------------------------------------------------- */

#define SEMVER_MAX_LENGTH 256 /* node-semver's MAX_LENGTH */

typedef struct {
	const char *num[3];
	size_t num_len[3];	 /* 0: missing, compares as 0 */
	const char *pre, *pre_end; /* NULL: no pre-release */
} Semver;

/*
 * The lenient reading used to compare: blanks, '=' and 'v' in front, missing minor and patch
 * are 0, the '-' before a pre-release may be missing (as node-semver's loose mode), build
 * metadata is ignored. FALSE when even that does not find a version.
 */
static gboolean
semver_parse_lenient (const char *s, Semver *out)
{
	const char *end = s + strlen (s);
	const char *p = s;

	trim_spaces (&p, &end, SPACES_JS);
	while (p < end && (c_is_space (*p) || *p == '=' || *p == 'v' || *p == 'V'))
		p++;
	for (int i = 0; i < 3; i++) {
		out->num[i] = p;
		out->num_len[i] = 0;
	}
	out->pre = out->pre_end = NULL;

	for (int i = 0; i < 3; i++) {
		if (i > 0) {
			if (p + 1 < end && *p == '.' && is_digit (p[1]))
				p++;
			else
				break;
		}
		const char *q = skip_digits (p, end);
		if (q == p)
			return FALSE;
		out->num[i] = p;
		out->num_len[i] = q - p;
		p = q;
	}
	if (p < end && (*p == '-' || is_alnum (*p))) {
		if (*p == '-')
			p++;
		out->pre = p;
		while (p < end && *p != '+')
			p++;
		out->pre_end = p;
	}
	if (p < end && *p != '+')
		return FALSE;
	return TRUE;
}

static gboolean
semver_ident_is_numeric (const char *s, const char *e)
{
	if (s == e)
		return FALSE;
	for (; s < e; s++) {
		if (!is_digit (*s))
			return FALSE;
	}
	return TRUE;
}

static int
semver_pre_cmp (const char *a, const char *ae, const char *b, const char *be)
{
	for (;;) {
		gboolean a_done = a > ae, b_done = b > be;
		if (a_done || b_done)
			return a_done == b_done ? 0 : (a_done ? -1 : 1);

		const char *ia = memchr (a, '.', ae - a);
		const char *ib = memchr (b, '.', be - b);
		if (ia == NULL)
			ia = ae;
		if (ib == NULL)
			ib = be;
		gboolean na = semver_ident_is_numeric (a, ia);
		gboolean nb = semver_ident_is_numeric (b, ib);
		int r;
		if (na && nb)
			r = digits_cmp (a, ia - a, b, ib - b);
		else if (na != nb)
			r = na ? -1 : 1;
		else
			r = bytes_cmp (a, ia - a, b, ib - b);
		if (r != 0)
			return r;
		a = ia + 1;
		b = ib + 1;
	}
}

/* SemVer 2.0.0 precedence. Strings that are not versions even leniently sort below all
 * versions, among themselves as generic versions. */
static int
semver_compare (const char *a, const char *b)
{
	Semver va, vb;
	gboolean oka = semver_parse_lenient (a, &va);
	gboolean okb = semver_parse_lenient (b, &vb);

	if (!oka || !okb) {
		if (oka != okb)
			return oka ? 1 : -1;
		return generic_compare (a, b);
	}
	for (int i = 0; i < 3; i++) {
		int r = digits_cmp (va.num[i], va.num_len[i], vb.num[i], vb.num_len[i]);
		if (r != 0)
			return r;
	}
	if (va.pre == NULL || vb.pre == NULL)
		return (va.pre == NULL) - (vb.pre == NULL);
	return semver_pre_cmp (va.pre, va.pre_end, vb.pre, vb.pre_end);
}

static gboolean
semver_fail (GError **error, const char *version, const char *why)
{
	g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "invalid semver: %s ('%s')", why,
		     version);
	return FALSE;
}

/* Identifiers of a pre-release (@numeric_rules) or of build metadata, up to @stop or end. */
static const char *
semver_check_idents (const char *p, gboolean numeric_rules, const char *version,
		     GError **error)
{
	const char *what = numeric_rules ? "pre-release" : "build metadata";
	for (;;) {
		const char *s = p;
		while (is_alnum (*p) || *p == '-')
			p++;
		if (p == s) {
			g_autofree char *why = g_strdup_printf ("empty %s identifier", what);
			semver_fail (error, version, why);
			return NULL;
		}
		if (numeric_rules && semver_ident_is_numeric (s, p) && *s == '0' && p - s > 1) {
			g_autofree char *why =
			    g_strdup_printf ("leading zero in pre-release identifier '%.*s'",
					     (int)(p - s), s);
			semver_fail (error, version, why);
			return NULL;
		}
		if (*p != '.')
			return p;
		p++;
	}
}

/* The grammar of semver.org 2.0.0, plus node-semver's limits (256 characters, numbers up
 * to 2^53 - 1), so that whatever this accepts node-semver accepts too. */
static gboolean
semver_validate (const char *version, GError **error)
{
	static const char *const names[] = {"major", "minor", "patch"};
	const char *p = version;

	if (*p == '\0')
		return semver_fail (error, version, "empty version");
	if (strlen (version) > SEMVER_MAX_LENGTH)
		return semver_fail (error, version, "longer than 256 characters");
	if (*p == 'v' || *p == 'V' || *p == '=')
		return semver_fail (error, version, "leading 'v' or '=' is not part of a version");

	for (int i = 0; i < 3; i++) {
		if (i > 0) {
			if (*p != '.')
				return semver_fail (error, version,
						    "expected MAJOR.MINOR.PATCH");
			p++;
		}
		const char *s = p;
		while (is_digit (*p))
			p++;
		if (p == s) {
			g_autofree char *why = g_strdup_printf ("%s version is not a number",
								names[i]);
			return semver_fail (error, version, why);
		}
		if (*s == '0' && p - s > 1) {
			g_autofree char *why = g_strdup_printf ("leading zero in %s version",
								names[i]);
			return semver_fail (error, version, why);
		}
		if (digits_cmp (s, p - s, "9007199254740991", 16) > 0) {
			g_autofree char *why = g_strdup_printf (
			    "%s version is larger than 9007199254740991", names[i]);
			return semver_fail (error, version, why);
		}
	}
	if (*p == '-') {
		p = semver_check_idents (p + 1, TRUE, version, error);
		if (p == NULL)
			return FALSE;
	}
	if (*p == '+') {
		p = semver_check_idents (p + 1, FALSE, version, error);
		if (p == NULL)
			return FALSE;
	}
	if (*p != '\0') {
		g_autofree char *why = NULL;
		if (g_ascii_isprint (*p))
			why = g_strdup_printf ("unexpected character '%c'", *p);
		else
			why = g_strdup_printf ("unexpected byte 0x%02x", (guint)(guchar)*p);
		return semver_fail (error, version, why);
	}
	return TRUE;
}

/* ---- dotted --------------------------------------------------------------------------- */

/*
 * Windows-style numeric parts separated by '.': 16.0.4266.1001. Missing parts are 0, so
 * 1.2 == 1.2.0.0. A part may carry a non-numeric tail after its digits (1.2b, 1.2.x): a part
 * without a tail sorts below the same number with one, tails compare as generic versions.
 * Surrounding blanks are ignored.
 */
static void
dotted_trim (const char **s, const char **end)
{
	while (*s < *end && c_is_space (**s))
		(*s)++;
	while (*end > *s && c_is_space ((*end)[-1]))
		(*end)--;
}

typedef struct {
	const char *p, *end;
	gboolean done;
} DottedCursor;

static void
dotted_cursor_init (DottedCursor *c, const char *s)
{
	c->p = s;
	c->end = s + strlen (s);
	dotted_trim (&c->p, &c->end);
	c->done = c->p == c->end;
}

/* The next part, or an empty one (value 0, no tail) once the version has run out. */
static void
dotted_next (DottedCursor *c, const char **s, const char **e)
{
	const char *dot;

	if (c->done) {
		*s = *e = c->end;
		return;
	}
	dot = memchr (c->p, '.', c->end - c->p);
	*s = c->p;
	if (dot != NULL) {
		*e = dot;
		c->p = dot + 1;
	} else {
		*e = c->end;
		c->p = c->end;
		c->done = TRUE;
	}
}

static int
dotted_compare (const char *a, const char *b)
{
	DottedCursor ca, cb;

	dotted_cursor_init (&ca, a);
	dotted_cursor_init (&cb, b);
	while (!ca.done || !cb.done) {
		const char *sa, *ea, *sb, *eb;
		dotted_next (&ca, &sa, &ea);
		dotted_next (&cb, &sb, &eb);
		const char *da = skip_digits (sa, ea);
		const char *db = skip_digits (sb, eb);
		int r = digits_cmp (sa, da - sa, sb, db - sb);
		if (r != 0)
			return r;
		if ((da == ea) != (db == eb))
			return da == ea ? -1 : 1;
		if (da != ea) {
			r = generic_runs_cmp (da, ea, db, eb);
			if (r == 0)
				r = bytes_cmp (da, ea - da, db, eb - db);
			if (r != 0)
				return r;
		}
	}
	return 0;
}

static gboolean
dotted_validate (const char *version, GError **error)
{
	const char *p = version;
	guint n = 1;

	if (*p == '\0') {
		g_set_error_literal (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "invalid dotted version: empty string");
		return FALSE;
	}
	for (;;) {
		const char *s = p;
		while (is_digit (*p))
			p++;
		if (p == s || (*p != '.' && *p != '\0')) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "invalid dotted version '%s': part %u is not a number",
				     version, n);
			return FALSE;
		}
		if (*p == '\0')
			return TRUE;
		p++;
		n++;
	}
}

/* ---- apk ------------------------------------------------------------------------------ */

/*
 * Alpine's apk-tools: digit{.digit}...{letter}{_suffix{number}}...{~hash}{-r#}. Tokens are
 * compared pairwise while their types agree; when they stop agreeing, a pre-release suffix
 * (_alpha, _beta, _pre, _rc) makes its side older, otherwise the side whose token comes
 * earlier in the grammar is newer (more components). Invalid tails stop the comparison the
 * way apk does. Digit parts with a leading zero compare as strings, as in Gentoo.
 */

typedef enum {
	APK_T_INITIAL_DIGIT,
	APK_T_DIGIT,
	APK_T_LETTER,
	APK_T_SUFFIX,
	APK_T_SUFFIX_NO,
	APK_T_COMMIT_HASH,
	APK_T_REVISION_NO,
	APK_T_END,
	APK_T_INVALID,
} ApkToken;

enum {
	APK_SUFFIX_INVALID,
	APK_SUFFIX_ALPHA,
	APK_SUFFIX_BETA,
	APK_SUFFIX_PRE,
	APK_SUFFIX_RC,
	APK_SUFFIX_NONE,
	APK_SUFFIX_CVS,
	APK_SUFFIX_SVN,
	APK_SUFFIX_GIT,
	APK_SUFFIX_HG,
	APK_SUFFIX_P,
};

typedef struct {
	ApkToken token;
	int suffix;
	guint64 number;
	const char *value;
	size_t value_len;
	const char *p, *end; /* what is left to read */
} ApkState;

static int
apk_suffix_value (const char *s, size_t len)
{
	static const char *const names[] = {
	    [APK_SUFFIX_ALPHA] = "alpha", [APK_SUFFIX_BETA] = "beta", [APK_SUFFIX_PRE] = "pre",
	    [APK_SUFFIX_RC] = "rc",	  [APK_SUFFIX_CVS] = "cvs",   [APK_SUFFIX_SVN] = "svn",
	    [APK_SUFFIX_GIT] = "git",	  [APK_SUFFIX_HG] = "hg",     [APK_SUFFIX_P] = "p",
	};
	for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
		if (names[i] != NULL && strlen (names[i]) == len && memcmp (names[i], s, len) == 0)
			return (int)i;
	}
	return APK_SUFFIX_INVALID;
}

static void
apk_parse_digits (ApkState *t)
{
	const char *s = t->p;
	guint64 n = 0;
	while (t->p < t->end && is_digit (*t->p)) {
		n = n * 10 + (guint64)(*t->p - '0'); /* wraps like apk_blob_pull_uint */
		t->p++;
	}
	t->number = n;
	t->value = s;
	t->value_len = t->p - s;
	if (t->value_len == 0)
		t->token = APK_T_INVALID;
}

static void
apk_first (ApkState *t, const char *s)
{
	t->p = s;
	t->end = s + strlen (s);
	t->suffix = APK_SUFFIX_NONE;
	t->token = APK_T_INITIAL_DIGIT;
	apk_parse_digits (t);
}

static void
apk_next (ApkState *t)
{
	const char *start = t->p;

	if (t->p == t->end) {
		t->token = APK_T_END;
		return;
	}
	char c = *t->p;
	if (c >= 'a' && c <= 'z') {
		if (t->token > APK_T_DIGIT)
			goto invalid;
		t->value = t->p;
		t->value_len = 1;
		t->token = APK_T_LETTER;
		t->p++;
		return;
	}
	if (c == '.' || is_digit (c)) {
		if (c == '.') {
			if (t->token > APK_T_DIGIT)
				goto invalid;
			t->p++;
		}
		if (t->token == APK_T_INITIAL_DIGIT || t->token == APK_T_DIGIT)
			t->token = APK_T_DIGIT;
		else if (t->token == APK_T_SUFFIX)
			t->token = APK_T_SUFFIX_NO;
		else
			goto invalid;
		apk_parse_digits (t);
		if (t->token == APK_T_INVALID)
			t->p = start;
		return;
	}
	if (c == '_') {
		if (t->token > APK_T_SUFFIX_NO)
			goto invalid;
		t->p++;
		t->value = t->p;
		while (t->p < t->end && *t->p >= 'a' && *t->p <= 'z')
			t->p++;
		t->value_len = t->p - t->value;
		t->suffix = apk_suffix_value (t->value, t->value_len);
		if (t->suffix == APK_SUFFIX_INVALID)
			goto invalid;
		t->token = APK_T_SUFFIX;
		return;
	}
	if (c == '~') {
		if (t->token >= APK_T_COMMIT_HASH)
			goto invalid;
		t->p++;
		t->value = t->p;
		while (t->p < t->end &&
		       (is_digit (*t->p) || (*t->p >= 'a' && *t->p <= 'f')))
			t->p++;
		t->value_len = t->p - t->value;
		if (t->value_len == 0)
			goto invalid;
		t->token = APK_T_COMMIT_HASH;
		return;
	}
	if (c == '-') {
		if (t->token >= APK_T_REVISION_NO)
			goto invalid;
		if (t->end - t->p < 2 || t->p[1] != 'r')
			goto invalid;
		t->p += 2;
		t->token = APK_T_REVISION_NO;
		apk_parse_digits (t);
		if (t->token == APK_T_INVALID)
			t->p = start;
		return;
	}
invalid:
	t->p = start;
	t->token = APK_T_INVALID;
}

static int
apk_token_cmp (const ApkState *ta, const ApkState *tb)
{
	guint64 a, b;

	switch (ta->token) {
	case APK_T_DIGIT:
		if (ta->value[0] == '0' || tb->value[0] == '0')
			return bytes_cmp (ta->value, ta->value_len, tb->value, tb->value_len);
		/* fall through */
	case APK_T_INITIAL_DIGIT:
	case APK_T_SUFFIX_NO:
	case APK_T_REVISION_NO:
		a = ta->number;
		b = tb->number;
		break;
	case APK_T_LETTER:
		a = (guchar)ta->value[0];
		b = (guchar)tb->value[0];
		break;
	case APK_T_SUFFIX:
		a = (guint64)ta->suffix;
		b = (guint64)tb->suffix;
		break;
	default:
		return bytes_cmp (ta->value, ta->value_len, tb->value, tb->value_len);
	}
	return (a > b) - (a < b);
}

static int
apk_compare (const char *a, const char *b)
{
	ApkState ta, tb;

	for (apk_first (&ta, a), apk_first (&tb, b); ta.token == tb.token && ta.token < APK_T_END;
	     apk_next (&ta), apk_next (&tb)) {
		int r = apk_token_cmp (&ta, &tb);
		if (r != 0)
			return r;
	}
	if (ta.token == tb.token)
		return 0;
	if (ta.token == APK_T_SUFFIX && ta.suffix < APK_SUFFIX_NONE)
		return -1;
	if (tb.token == APK_T_SUFFIX && tb.suffix < APK_SUFFIX_NONE)
		return 1;
	if (ta.token > tb.token)
		return -1;
	if (tb.token > ta.token)
		return 1;
	return 0;
}

static gboolean
apk_validate (const char *version, GError **error)
{
	ApkState t;

	apk_first (&t, version);
	if (t.token == APK_T_INVALID) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "invalid apk version '%s': does not start with a digit", version);
		return FALSE;
	}
	while (t.token < APK_T_END)
		apk_next (&t);
	if (t.token == APK_T_END)
		return TRUE;
	g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
		     "invalid apk version '%s': unexpected '%s'", version, t.p);
	return FALSE;
}

/* ---- pep440 --------------------------------------------------------------------------- */

/*
 * packaging.version.Version (PEP 440): the public version regular expression (with its
 * alternative spellings, implicit numbers and optional separators), case-insensitive, with
 * blanks around; ordering by _cmpkey: epoch, release without trailing zeros, pre (a < b <
 * rc; a dev-only release sorts before its pre-releases), post, dev, local. The regular
 * expression is matched greedily: for this grammar the greedy choice never needs to be
 * undone, so no backtracking is needed.
 */

enum { PEP_PRE_DEV_ONLY = 0, PEP_PRE_A, PEP_PRE_B, PEP_PRE_RC, PEP_PRE_NONE };

typedef struct {
	const char *epoch;
	size_t epoch_len; /* 0: epoch 0 */
	const char *release, *release_end;
	int pre; /* PEP_PRE_A..RC, or NONE; DEV_ONLY is only used as a sort key */
	const char *pre_n;
	size_t pre_n_len;
	gboolean has_post;
	const char *post_n;
	size_t post_n_len;
	gboolean has_dev;
	const char *dev_n;
	size_t dev_n_len;
	const char *local, *local_end; /* NULL: none */
} Pep440;

static inline gboolean
pep_is_sep (char c)
{
	return c == '-' || c == '_' || c == '.';
}

/* Length of the first of @words (longest first) that starts @p, case-insensitively. */
static size_t
pep_match_word (const char *p, const char *end, const char *const *words, guint n_words,
		guint *which)
{
	for (guint i = 0; i < n_words; i++) {
		size_t len = strlen (words[i]);
		if ((size_t)(end - p) >= len && g_ascii_strncasecmp (p, words[i], len) == 0) {
			*which = i;
			return len;
		}
	}
	return 0;
}

/* After a pre/post/dev word: an optional separator, an optional number. */
static const char *
pep_number (const char *p, const char *end, const char **num, size_t *num_len)
{
	if (p < end && pep_is_sep (*p))
		p++;
	const char *q = skip_digits (p, end);
	*num = p;
	*num_len = q - p;
	return q;
}

static gboolean
pep440_parse (const char *s, Pep440 *v)
{
	static const char *const pre_words[] = {"preview", "alpha", "beta", "pre",
						"rc",	   "a",	    "b",    "c"};
	static const int pre_kinds[] = {PEP_PRE_RC, PEP_PRE_A, PEP_PRE_B, PEP_PRE_RC,
					PEP_PRE_RC, PEP_PRE_A, PEP_PRE_B, PEP_PRE_RC};
	static const char *const post_words[] = {"post", "rev", "r"};
	static const char *const dev_words[] = {"dev"};
	const char *p = s, *end = s + strlen (s), *q, *r;
	size_t n;
	guint which;

	memset (v, 0, sizeof *v);
	v->pre = PEP_PRE_NONE;
	trim_spaces (&p, &end, SPACES_PYTHON);
	if (p < end && (*p == 'v' || *p == 'V'))
		p++;

	q = skip_digits (p, end);
	if (q == p)
		return FALSE;
	if (q < end && *q == '!') {
		v->epoch = p;
		v->epoch_len = q - p;
		p = q + 1;
		q = skip_digits (p, end);
		if (q == p)
			return FALSE;
	}
	v->release = p;
	while (q + 1 < end && *q == '.' && is_digit (q[1]))
		q = skip_digits (q + 1, end);
	v->release_end = q;
	p = q;

	/* pre-release */
	r = p < end && pep_is_sep (*p) ? p + 1 : p;
	n = pep_match_word (r, end, pre_words, G_N_ELEMENTS (pre_words), &which);
	if (n > 0) {
		v->pre = pre_kinds[which];
		p = pep_number (r + n, end, &v->pre_n, &v->pre_n_len);
	}

	/* post-release: "-N", or [sep](post|rev|r)[sep][N] */
	if (p + 1 < end && *p == '-' && is_digit (p[1])) {
		v->has_post = TRUE;
		v->post_n = p + 1;
		p = skip_digits (p + 1, end);
		v->post_n_len = p - v->post_n;
	} else {
		r = p < end && pep_is_sep (*p) ? p + 1 : p;
		n = pep_match_word (r, end, post_words, G_N_ELEMENTS (post_words), &which);
		if (n > 0) {
			v->has_post = TRUE;
			p = pep_number (r + n, end, &v->post_n, &v->post_n_len);
		}
	}

	/* development release */
	r = p < end && pep_is_sep (*p) ? p + 1 : p;
	n = pep_match_word (r, end, dev_words, G_N_ELEMENTS (dev_words), &which);
	if (n > 0) {
		v->has_dev = TRUE;
		p = pep_number (r + n, end, &v->dev_n, &v->dev_n_len);
	}

	/* local version label: alphanumeric parts joined by single separators */
	if (p < end && *p == '+') {
		p++;
		v->local = p;
		for (;;) {
			q = p;
			while (p < end && is_alnum (*p))
				p++;
			if (p == q)
				return FALSE;
			if (p + 1 < end && pep_is_sep (*p) && is_alnum (p[1]))
				p++;
			else
				break;
		}
		v->local_end = p;
	}
	return p == end;
}

static int
pep440_release_cmp (const char *a, const char *ae, const char *b, const char *be)
{
	/* component by component, a missing component being 0: the same order as comparing
	 * the tuples with their trailing zeros removed */
	while (a < ae || b < be) {
		const char *da = skip_digits (a, ae);
		const char *db = skip_digits (b, be);
		int r = digits_cmp (a, da - a, b, db - b);
		if (r != 0)
			return r;
		a = da < ae ? da + 1 : ae;
		b = db < be ? db + 1 : be;
	}
	return 0;
}

static int
pep440_local_cmp (const char *a, const char *ae, const char *b, const char *be)
{
	for (;;) {
		if (a > ae || b > be)
			return (a > ae) == (b > be) ? 0 : (a > ae ? -1 : 1);
		const char *ia = a, *ib = b;
		while (ia < ae && !pep_is_sep (*ia))
			ia++;
		while (ib < be && !pep_is_sep (*ib))
			ib++;
		gboolean na = semver_ident_is_numeric (a, ia);
		gboolean nb = semver_ident_is_numeric (b, ib);
		int r;
		if (na && nb)
			r = digits_cmp (a, ia - a, b, ib - b);
		else if (na != nb)
			r = na ? 1 : -1; /* numeric parts sort after alphanumeric ones */
		else
			r = bytes_cmp_ci (a, ia - a, b, ib - b);
		if (r != 0)
			return r;
		a = ia + 1;
		b = ib + 1;
	}
}

static int
pep440_key_pre (const Pep440 *v)
{
	if (v->pre == PEP_PRE_NONE && !v->has_post && v->has_dev)
		return PEP_PRE_DEV_ONLY;
	return v->pre;
}

static int
pep440_cmp_parsed (const Pep440 *a, const Pep440 *b)
{
	int r, ka, kb;

	r = digits_cmp (a->epoch, a->epoch_len, b->epoch, b->epoch_len);
	if (r != 0)
		return r;
	r = pep440_release_cmp (a->release, a->release_end, b->release, b->release_end);
	if (r != 0)
		return r;

	ka = pep440_key_pre (a);
	kb = pep440_key_pre (b);
	if (ka != kb)
		return ka < kb ? -1 : 1;
	if (ka >= PEP_PRE_A && ka <= PEP_PRE_RC) {
		r = digits_cmp (a->pre_n, a->pre_n_len, b->pre_n, b->pre_n_len);
		if (r != 0)
			return r;
	}
	if (a->has_post != b->has_post)
		return a->has_post ? 1 : -1;
	if (a->has_post) {
		r = digits_cmp (a->post_n, a->post_n_len, b->post_n, b->post_n_len);
		if (r != 0)
			return r;
	}
	if (a->has_dev != b->has_dev)
		return a->has_dev ? -1 : 1;
	if (a->has_dev) {
		r = digits_cmp (a->dev_n, a->dev_n_len, b->dev_n, b->dev_n_len);
		if (r != 0)
			return r;
	}
	if ((a->local == NULL) != (b->local == NULL))
		return a->local == NULL ? -1 : 1;
	if (a->local == NULL)
		return 0;
	return pep440_local_cmp (a->local, a->local_end, b->local, b->local_end);
}

/* Invalid strings sort below all versions, among themselves as generic versions. */
static int
pep440_compare (const char *a, const char *b)
{
	Pep440 va, vb;
	gboolean oka = pep440_parse (a, &va);
	gboolean okb = pep440_parse (b, &vb);

	if (!oka || !okb) {
		if (oka != okb)
			return oka ? 1 : -1;
		return generic_compare (a, b);
	}
	return pep440_cmp_parsed (&va, &vb);
}

static gboolean
pep440_validate (const char *version, GError **error)
{
	Pep440 v;
	if (pep440_parse (version, &v))
		return TRUE;
	/* packaging's own message */
	g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "Invalid version: '%s'", version);
	return FALSE;
}

/* ---- public entry points -------------------------------------------------------------- */

gboolean
tu_version_validate (TuScheme scheme, const char *version, GError **error)
{
	g_return_val_if_fail ((guint)scheme < TU_SCHEME_LAST, FALSE);
	g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

	if (version == NULL) {
		g_set_error_literal (error, TU_ERROR, TU_ERROR_INVALID_DATA, "no version");
		return FALSE;
	}
	switch (scheme) {
	case TU_SCHEME_DPKG:
		return dpkg_validate (version, error);
	case TU_SCHEME_RPM:
		return rpm_validate (version, error);
	case TU_SCHEME_SEMVER:
		return semver_validate (version, error);
	case TU_SCHEME_DOTTED:
		return dotted_validate (version, error);
	case TU_SCHEME_APK:
		return apk_validate (version, error);
	case TU_SCHEME_PEP440:
		return pep440_validate (version, error);
	case TU_SCHEME_GENERIC:
	case TU_SCHEME_LAST:
	default:
		return generic_validate (version, error);
	}
}

int
tu_version_compare (TuScheme scheme, const char *a, const char *b)
{
	g_return_val_if_fail (a != NULL && b != NULL, 0);

	switch (scheme) {
	case TU_SCHEME_DPKG:
		return dpkg_compare (a, b);
	case TU_SCHEME_RPM:
		return rpm_compare (a, b);
	case TU_SCHEME_SEMVER:
		return semver_compare (a, b);
	case TU_SCHEME_DOTTED:
		return dotted_compare (a, b);
	case TU_SCHEME_APK:
		return apk_compare (a, b);
	case TU_SCHEME_PEP440:
		return pep440_compare (a, b);
	case TU_SCHEME_GENERIC:
		return generic_compare (a, b);
	case TU_SCHEME_LAST:
	default:
		break;
	}
	g_return_val_if_reached (0);
}

gboolean
tu_version_compare_checked (TuScheme scheme, const char *a, const char *b, int *result,
			    GError **error)
{
	g_return_val_if_fail ((guint)scheme < TU_SCHEME_LAST, FALSE);

	if (!tu_version_validate (scheme, a, error))
		return FALSE;
	if (!tu_version_validate (scheme, b, error))
		return FALSE;
	if (result != NULL)
		*result = tu_version_compare (scheme, a, b);
	return TRUE;
}

static gboolean
dpkg_check_tool (const char *v, char **warning, GError **error)
{
	DpkgVersion parsed;
	const char *msg = NULL;
	DpkgStatus st = dpkg_parse (v, &parsed, TRUE, &msg);
	if (st == DPKG_ERROR) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA, "version '%s' has bad syntax: %s",
			     v, msg);
		return FALSE;
	}
	if (st == DPKG_WARNING && warning != NULL && *warning == NULL)
		*warning = g_strdup_printf ("version '%s' has bad syntax: %s", v, msg);
	return TRUE;
}

gboolean
tu_version_compare_as_tool (TuScheme scheme, const char *a, const char *b, int *result,
			    char **warning, GError **error)
{
	g_return_val_if_fail ((guint) scheme < TU_SCHEME_LAST, FALSE);
	switch (scheme) {
	case TU_SCHEME_DPKG:
		if (!dpkg_check_tool (a, warning, error) || !dpkg_check_tool (b, warning, error))
			return FALSE;
		break;
	case TU_SCHEME_RPM:
		if (*a == '\0' || *b == '\0') {
			g_set_error_literal (error, TU_ERROR, TU_ERROR_INVALID_DATA,
					     "version must not be empty");
			return FALSE;
		}
		break;
	case TU_SCHEME_SEMVER: {
		const char *sides[] = {a, b};
		for (guint i = 0; i < 2; i++) {
			g_autofree char *t = g_strstrip (g_strdup (sides[i]));
			const char *v = t[0] == 'v' ? t + 1 : t;
			if (!tu_version_validate (scheme, v, error))
				return FALSE;
		}
		break;
	}
	default:
		if (!tu_version_validate (scheme, a, error) || !tu_version_validate (scheme, b, error))
			return FALSE;
		break;
	}
	if (result != NULL)
		*result = tu_version_compare (scheme, a, b);
	return TRUE;
}

/* Where the upstream version starts and ends, per scheme, without allocating. */
static void
upstream_bounds (TuScheme scheme, const char *version, const char **start, const char **end)
{
	const char *s = version, *e = version + strlen (version);

	switch (scheme) {
	case TU_SCHEME_DPKG: {
		const char *colon, *p;
		while (s < e && dpkg_is_blank (*s))
			s++;
		while (e > s && dpkg_is_blank (e[-1]))
			e--;
		colon = memchr (s, ':', e - s);
		if (colon != NULL)
			s = colon + 1;
		for (p = e; p > s; p--) {
			if (p[-1] == '-') {
				e = p - 1;
				break;
			}
		}
		break;
	}
	case TU_SCHEME_RPM: {
		RpmEvr evr;
		rpm_parse_evr (version, &evr);
		s = evr.v;
		e = evr.v_end;
		break;
	}
	case TU_SCHEME_GENERIC:
	case TU_SCHEME_SEMVER:
	case TU_SCHEME_DOTTED:
	case TU_SCHEME_APK:
	case TU_SCHEME_PEP440:
	case TU_SCHEME_LAST:
	default:
		break;
	}
	*start = s;
	*end = e;
}

char *
tu_version_upstream (TuScheme scheme, const char *version)
{
	const char *s, *e;

	g_return_val_if_fail (version != NULL, NULL);
	upstream_bounds (scheme, version, &s, &e);
	return g_strndup (s, e - s);
}

char *
tu_version_cycle (TuScheme scheme, const char *version, guint n_parts)
{
	const char *s, *e, *p;

	g_return_val_if_fail (version != NULL, NULL);
	g_return_val_if_fail (n_parts > 0, NULL);

	upstream_bounds (scheme, version, &s, &e);
	while (s < e && c_is_space (*s))
		s++;
	if (scheme == TU_SCHEME_SEMVER) {
		while (s < e && *s == '=')
			s++;
	}
	if (scheme != TU_SCHEME_DPKG && scheme != TU_SCHEME_RPM && s + 1 < e &&
	    (*s == 'v' || *s == 'V') && is_digit (s[1]))
		s++;
	if (scheme == TU_SCHEME_PEP440) {
		/* an epoch "N!" is not part of the release */
		const char *d = skip_digits (s, e);
		if (d > s && d < e && *d == '!')
			s = d + 1;
	}

	p = skip_digits (s, e);
	if (p == s)
		return NULL;
	for (guint i = 1; i < n_parts; i++) {
		if (p + 1 < e && *p == '.' && is_digit (p[1]))
			p = skip_digits (p + 1, e);
		else
			break;
	}
	return g_strndup (s, p - s);
}
