-- SPDX-License-Identifier: GPL-2.0-or-later
-- 0004: vulnerability advisories (OSV records) and CISA's known-exploited list.

CREATE TABLE IF NOT EXISTS vulnerabilities (
  id            VARCHAR(128) NOT NULL PRIMARY KEY,     -- OSV id: ALSA-2024:0310, PYSEC-2023-192, GHSA-...
  summary       TEXT NULL,
  published     DATETIME NULL,
  modified      DATETIME NULL,
  withdrawn     DATETIME NULL,
  cvss_vector   VARCHAR(255) NULL,                     -- the CVSS v3 vector of the record
  cvss_score    DECIMAL(3,1) NULL,                     -- its base score, computed from the vector
  severity      VARCHAR(32) NULL,                      -- a textual severity when there is no vector
  n_git_ranges  INT NOT NULL DEFAULT 0,                -- GIT ranges: counted, never matched
  source_file   VARCHAR(1024) NULL,
  imported_at   DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- CVE ids and other names of an advisory (OSV aliases, and CVE ids in "related")
CREATE TABLE IF NOT EXISTS vuln_aliases (
  vuln_id       VARCHAR(128) NOT NULL,
  alias         VARCHAR(128) NOT NULL,
  PRIMARY KEY (vuln_id, alias),
  KEY vuln_aliases_alias (alias)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One affected package of an advisory: ECOSYSTEM and SEMVER ranges and explicit versions, as
-- JSON arrays; the scheme their versions are compared with.
CREATE TABLE IF NOT EXISTS vuln_affected (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  vuln_id        VARCHAR(128) NOT NULL,
  ecosystem      VARCHAR(128) NOT NULL,                -- as written: "AlmaLinux:9", "PyPI", "Debian:12"
  ecosystem_base VARCHAR(64) NOT NULL,                 -- "AlmaLinux", "PyPI", "Debian"
  ecosystem_release VARCHAR(64) NOT NULL DEFAULT '',   -- "9", "12", ""
  package        VARCHAR(255) NOT NULL,                -- as written
  package_key    VARCHAR(255) NOT NULL,                -- normalised for lookups (PEP 503 for PyPI)
  purl           VARCHAR(512) NULL,
  scheme         VARCHAR(16) NOT NULL,
  ranges         MEDIUMTEXT NULL,                      -- [{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.2"}]}]
  versions       MEDIUMTEXT NULL,                      -- ["1.0","1.1"]
  invalid_versions TEXT NULL,                          -- versions the scheme cannot parse, reported
  KEY vuln_affected_package (ecosystem_base, package_key(191)),
  KEY vuln_affected_vuln (vuln_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS kev (
  cve            VARCHAR(32) NOT NULL PRIMARY KEY,
  vendor         VARCHAR(255) NULL,
  product        VARCHAR(255) NULL,
  name           VARCHAR(512) NULL,
  date_added     DATE NULL,
  due_date       DATE NULL,
  ransomware     VARCHAR(16) NULL,
  notes          TEXT NULL,
  imported_at    DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
