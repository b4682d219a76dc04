-- SPDX-License-Identifier: GPL-2.0-or-later
-- 0002: what was bought and the facts scans cannot see. Imported from CSV files, each file all
-- or nothing; re-importing an id updates it.

-- Facts about hosts that licences depend on and that scans cannot see (or that the user
-- overrides): matched to hosts by host_key, a lower-case hostname or a machine-id.
CREATE TABLE IF NOT EXISTS host_attributes (
  host_key      VARCHAR(255) NOT NULL PRIMARY KEY,
  site          VARCHAR(128) NULL,
  cost_centre   VARCHAR(128) NULL,
  owner         VARCHAR(255) NULL,
  groups_list   VARCHAR(1024) NULL,          -- ';'-separated, as given
  environment   VARCHAR(64) NULL,
  cpu_cores     INT NULL,                    -- overrides the scanned value when set
  cpu_sockets   INT NULL,
  is_virtual    TINYINT NULL,
  cluster       VARCHAR(128) NULL,
  source_file   VARCHAR(1024) NULL,
  source_line   INT NULL,
  imported_at   DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS contracts (
  id            VARCHAR(128) NOT NULL PRIMARY KEY,
  vendor        VARCHAR(255) NOT NULL DEFAULT '',
  title         VARCHAR(512) NOT NULL DEFAULT '',
  start_date    DATE NULL,
  end_date      DATE NULL,
  notice_days   INT NULL,
  auto_renew    TINYINT NOT NULL DEFAULT 0,
  value         DECIMAL(18,2) NULL,
  currency      CHAR(3) NULL,
  owner         VARCHAR(255) NULL,
  notes         TEXT NULL,
  source_file   VARCHAR(1024) NULL,
  source_line   INT NULL,
  imported_at   DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS entitlements (
  id              VARCHAR(128) NOT NULL PRIMARY KEY,
  publisher       VARCHAR(255) NOT NULL,
  product         VARCHAR(255) NOT NULL,
  edition         VARCHAR(128) NOT NULL DEFAULT '',   -- canonical; the base edition when none was given
  product_release VARCHAR(64) NOT NULL DEFAULT '',    -- empty: any release
  metric          VARCHAR(16) NOT NULL,               -- device, install, user, processor, core, site
  quantity        BIGINT NOT NULL,
  start_date      DATE NULL,
  end_date        DATE NULL,                          -- NULL: perpetual
  maintenance_end DATE NULL,
  downgrade       TINYINT NOT NULL DEFAULT 1,
  core_factor     DECIMAL(8,4) NOT NULL DEFAULT 1,
  min_cores       INT NOT NULL DEFAULT 0,
  unit_cost       DECIMAL(18,4) NULL,
  currency        CHAR(3) NULL,
  scope           VARCHAR(512) NOT NULL DEFAULT '',   -- key=value[;key=value], empty: the estate
  contract_id     VARCHAR(128) NULL,
  po              VARCHAR(128) NULL,
  source_file     VARCHAR(1024) NULL,
  source_line     INT NULL,
  imported_at     DATETIME(6) NOT NULL,
  KEY entitlements_product (publisher(100), product(100)),
  KEY entitlements_contract (contract_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A price list for shortfall costs where no entitlement of the edition gives a unit cost.
CREATE TABLE IF NOT EXISTS prices (
  publisher     VARCHAR(255) NOT NULL,
  product       VARCHAR(255) NOT NULL,
  edition       VARCHAR(128) NOT NULL DEFAULT '',
  metric        VARCHAR(16) NOT NULL,
  unit_cost     DECIMAL(18,4) NOT NULL,
  currency      CHAR(3) NOT NULL,
  source_file   VARCHAR(1024) NULL,
  source_line   INT NULL,
  imported_at   DATETIME(6) NOT NULL,
  PRIMARY KEY (publisher, product, edition, metric)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
