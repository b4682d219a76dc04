-- SPDX-License-Identifier: GPL-2.0-or-later
-- 0012: distribution package indexes (Debian/Ubuntu Packages, Alpine APKINDEX, RPM repodata),
-- one per distribution release, so that patch judges a distribution package's latest and
-- behind by the versions its distribution publishes, never by upstream releases.
--  - package_index_releases: one row per imported distribution release (os-release ID and the
--    release key patch derives from a host's VERSION_ID: "debian"/"12", "ubuntu"/"22.04",
--    "alpine"/"3.18", "almalinux"/"9"), with what it was imported from.
--  - package_index: every (binary package, architecture, version) of that release's index,
--    with its source package and the source's version. Re-importing a release replaces its
--    rows in one transaction.
CREATE TABLE IF NOT EXISTS package_index_releases (
  distro          VARCHAR(32) NOT NULL,
  distro_release  VARCHAR(32) NOT NULL,
  format          VARCHAR(8) NOT NULL,                  -- deb, apk, rpm
  n_packages      INT UNSIGNED NOT NULL,
  files           TEXT NOT NULL,                        -- the index files, as given
  imported_at     DATETIME(6) NOT NULL,
  PRIMARY KEY (distro, distro_release)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS package_index (
  distro          VARCHAR(32) NOT NULL,
  distro_release  VARCHAR(32) NOT NULL,
  name            VARCHAR(255) NOT NULL,                -- the binary package
  arch            VARCHAR(32) NOT NULL,
  version         VARCHAR(255) NOT NULL,
  source_name     VARCHAR(255) NULL,                    -- Debian Source:, apk o:, rpm sourcerpm
  source_version  VARCHAR(255) NULL,
  PRIMARY KEY (distro, distro_release, name, arch, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
