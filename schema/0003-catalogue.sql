-- SPDX-License-Identifier: GPL-2.0-or-later
-- 0003: the release and end-of-life catalogue (endoflife.date's data and in-house CSV
-- catalogues): products with their identifiers, release cycles, and known versions.

CREATE TABLE IF NOT EXISTS catalog_products (
  id            VARCHAR(128) NOT NULL PRIMARY KEY,     -- endoflife slug ("openssl"), or "csv:PUBLISHER/PRODUCT"
  title         VARCHAR(255) NOT NULL,
  category      VARCHAR(64) NULL,
  publisher     VARCHAR(255) NULL,                     -- in-house CSV: the canonical publisher
  product       VARCHAR(255) NULL,                     -- in-house CSV: the canonical product
  source_file   VARCHAR(1024) NULL,
  imported_at   DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS catalog_identifiers (
  product_id    VARCHAR(128) NOT NULL,
  kind          VARCHAR(16) NOT NULL,                  -- purl, cpe, repology
  value         VARCHAR(512) NOT NULL,
  PRIMARY KEY (product_id, kind, value(200)),
  KEY catalog_identifiers_value (kind, value(200))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS catalog_cycles (
  product_id    VARCHAR(128) NOT NULL,
  cycle         VARCHAR(64) NOT NULL,
  codename      VARCHAR(128) NULL,
  release_date  DATE NULL,
  latest        VARCHAR(128) NULL,
  latest_date   DATE NULL,
  eol           DATE NULL,                             -- end of life (of all support)
  eol_flag      TINYINT NULL,                          -- eol given as true/false without a date
  support_end   DATE NULL,                             -- end of active support (eoas): security-only after
  support_flag  TINYINT NULL,
  extended_end  DATE NULL,                             -- end of extended (paid) support (eoes)
  lts           TINYINT NOT NULL DEFAULT 0,
  PRIMARY KEY (product_id, cycle)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS catalog_versions (
  product_id    VARCHAR(128) NOT NULL,
  version       VARCHAR(128) NOT NULL,
  release_date  DATE NULL,
  PRIMARY KEY (product_id, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
