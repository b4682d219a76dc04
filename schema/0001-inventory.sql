-- SPDX-License-Identifier: GPL-2.0-or-later
-- 0001: hosts, scans, software (raw discoveries beside their normalised form) and
-- installations with history. See schema/README.md for the design.

CREATE TABLE IF NOT EXISTS hosts (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  identity      VARCHAR(300) NOT NULL,          -- 'machine-id:<id>' or 'hostname:<name>'
  machine_id    VARCHAR(128) NULL,
  hostname      VARCHAR(255) NOT NULL,
  fqdn          VARCHAR(255) NULL,
  domain        VARCHAR(255) NULL,
  os_id         VARCHAR(64) NULL,
  os_like       VARCHAR(128) NULL,
  os_name       VARCHAR(255) NULL,
  os_version    VARCHAR(128) NULL,
  os_version_id VARCHAR(64) NULL,
  os_pretty     VARCHAR(255) NULL,
  os_edition    VARCHAR(128) NULL,
  kernel        VARCHAR(255) NULL,
  arch          VARCHAR(32) NULL,
  cpu_model     VARCHAR(255) NULL,
  cpu_sockets   INT NULL,                        -- NULL: unknown, never 0 for unknown
  cpu_cores     INT NULL,
  cpu_threads   INT NULL,
  memory_bytes  BIGINT NULL,
  is_virtual    TINYINT NULL,
  hypervisor    VARCHAR(64) NULL,
  dmi_vendor    VARCHAR(255) NULL,
  dmi_model     VARCHAR(255) NULL,
  dmi_serial    VARCHAR(255) NULL,
  ip_addresses  TEXT NULL,
  target        VARCHAR(1024) NULL,              -- how it was last reached
  first_seen    DATETIME(6) NOT NULL,
  last_seen     DATETIME(6) NOT NULL,
  last_scan_id  BIGINT UNSIGNED NULL,
  UNIQUE KEY hosts_identity (identity),
  KEY hosts_hostname (hostname),
  KEY hosts_machine_id (machine_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS scans (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  host_id       BIGINT UNSIGNED NULL,            -- NULL when the host was never reached
  target        VARCHAR(1024) NOT NULL,
  started_at    DATETIME(6) NOT NULL,
  finished_at   DATETIME(6) NULL,
  status        VARCHAR(16) NOT NULL,            -- running, ok, failed
  error         TEXT NULL,
  n_records     INT NOT NULL DEFAULT 0,
  n_added       INT NOT NULL DEFAULT 0,
  n_updated     INT NOT NULL DEFAULT 0,
  n_removed     INT NOT NULL DEFAULT 0,
  n_unchanged   INT NOT NULL DEFAULT 0,
  n_warnings    INT NOT NULL DEFAULT 0,
  warnings      MEDIUMTEXT NULL,
  KEY scans_host (host_id, started_at),
  KEY scans_target (target(191), started_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row per distinct raw discovery across the estate. The id is a hash of the raw identity
-- (source, raw_name, raw_version, raw_publisher, arch), computed by trueup, so writers need no
-- round trip to learn it. The normalised columns are rewritten by `normalise --apply`.
CREATE TABLE IF NOT EXISTS software (
  id             BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  source         VARCHAR(16) NOT NULL,
  raw_name       VARCHAR(512) NOT NULL,
  raw_version    VARCHAR(255) NOT NULL DEFAULT '',
  raw_publisher  VARCHAR(255) NOT NULL DEFAULT '',
  arch           VARCHAR(32) NOT NULL DEFAULT '',
  source_package VARCHAR(255) NULL,              -- dpkg Source:, rpm source rpm name
  source_kind    VARCHAR(16) NULL,               -- what the source said: update (ParentKeyName), system
  purl           VARCHAR(512) NULL,
  cpe            VARCHAR(255) NULL,
  publisher      VARCHAR(255) NOT NULL DEFAULT '',
  product        VARCHAR(255) NOT NULL DEFAULT '',
  edition        VARCHAR(128) NOT NULL DEFAULT '',
  product_release VARCHAR(64) NOT NULL DEFAULT '',   -- marketing release: 2019, 19c, DC
  version        VARCHAR(255) NOT NULL DEFAULT '',
  scheme         VARCHAR(16) NOT NULL DEFAULT 'generic',
  kind           VARCHAR(16) NOT NULL DEFAULT 'application', -- application, update, language-pack, component, system
  component_of   VARCHAR(255) NULL,
  is_licensable  TINYINT NOT NULL DEFAULT 0,
  is_recognised  TINYINT NOT NULL DEFAULT 0,
  norm_cpe       VARCHAR(255) NULL,
  norm_purl      VARCHAR(512) NULL,
  rule           VARCHAR(255) NULL,                  -- file:line of the rule that fired
  first_seen     DATETIME(6) NOT NULL,
  KEY software_product (publisher(100), product(100)),
  KEY software_licensable (is_licensable),
  KEY software_raw_name (raw_name(100))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row per presence interval of an installation on a host. An installation is identified
-- on its host by install_key, a hash of (source, raw_name, arch, location): a new version of
-- the same package closes the interval (removed_at, with reason 'upgraded'/'downgraded') and
-- opens a new one, so history keeps every version and "present at DATE" is a range query.
-- Several versions of one package may be current at once (rpm install-only kernels).
--
-- The table is clustered by host: a host's rows are one contiguous range, which is what every
-- scan reads (its current rows) and writes (its new rows). Measured: this primary key with no
-- random secondary index ingests about twice as fast as an id key with a unique index over a
-- generated "current" column; that a host has one current row per (key, software) is kept by
-- the store, which changes a host's rows only inside one transaction holding the host's row
-- lock. Whole-estate readers (licences, patch) scan the table once.
CREATE TABLE IF NOT EXISTS installations (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  host_id        BIGINT UNSIGNED NOT NULL,
  install_key    BIGINT UNSIGNED NOT NULL,
  software_id    BIGINT UNSIGNED NOT NULL,
  location       VARCHAR(1024) NOT NULL DEFAULT '',
  install_date   DATE NULL,
  size_bytes     BIGINT NULL,
  state          VARCHAR(32) NOT NULL DEFAULT 'installed',  -- installed, or dpkg's half-installed etc.
  first_seen     DATETIME(6) NOT NULL,
  last_seen      DATETIME(6) NOT NULL,
  removed_at     DATETIME(6) NULL,
  removed_reason VARCHAR(16) NULL,                 -- removed, upgraded, downgraded, changed
  first_scan_id  BIGINT UNSIGNED NULL,
  last_scan_id   BIGINT UNSIGNED NULL,
  PRIMARY KEY (host_id, install_key, software_id, first_seen),
  KEY installations_id (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
