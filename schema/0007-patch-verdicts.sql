-- SPDX-License-Identifier: GPL-2.0-or-later
-- 0007: what patch verdicts need from the feeds: a release cycle's label as the catalogue
-- writes it ("11 23H2 (W)", "2019 'Aries'": how Windows editions and SQL Server releases are
-- named), and where an advisory's severity came from (a CVSS vector, the record's
-- database_specific or ecosystem_specific field, a distribution's label in its summary).
ALTER TABLE catalog_cycles ADD COLUMN IF NOT EXISTS label VARCHAR(255) NULL AFTER codename;
ALTER TABLE vulnerabilities ADD COLUMN IF NOT EXISTS severity_source VARCHAR(64) NULL AFTER severity;
