-- SPDX-License-Identifier: GPL-2.0-or-later
-- 0009: each host's current installed software as one row, so that patch reads one row a host
-- instead of every installation row (the 10,000-host benchmark estate: 10,000 rows of 12 KB
-- instead of 15 M rows of the clustered installations table). software_ids packs the
-- software ids of the host's open intervals in state 'installed', 8 bytes each, big-endian,
-- in installation (id) order; n_installations counts them. The store rewrites a host's row in
-- the host's transaction whenever its current set changes (an installation opened, closed or
-- changed state), never for an unchanged rescan; `normalise --apply` rewrites software rows,
-- not which software a host has, so it leaves these rows alone. A host without a row has no
-- current installation. `trueup db check` compares them with the installations.
CREATE TABLE IF NOT EXISTS host_software_sets (
  host_id         BIGINT UNSIGNED NOT NULL,
  n_installations INT UNSIGNED NOT NULL,
  software_ids    LONGBLOB NOT NULL,
  PRIMARY KEY (host_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
SET SESSION group_concat_max_len = 4294967295;
INSERT IGNORE INTO host_software_sets (host_id, n_installations, software_ids)
  SELECT host_id, COUNT(*), GROUP_CONCAT(UNHEX(LPAD(HEX(software_id), 16, '0')) ORDER BY id
  SEPARATOR '') FROM installations WHERE removed_at IS NULL AND state = 'installed'
  GROUP BY host_id;
