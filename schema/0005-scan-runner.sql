-- SPDX-License-Identifier: GPL-2.0-or-later
-- 0005: who is storing a running scan (server:port/connection), so that a scan left 'running'
-- by a killed process can be told from one in progress and marked 'interrupted'; scans by
-- status for that look-up. Statuses: running, ok, failed, refused (older than the host's
-- newest stored scan), interrupted.
ALTER TABLE scans ADD COLUMN IF NOT EXISTS runner VARCHAR(300) NULL;
CREATE INDEX IF NOT EXISTS scans_status ON scans (status);
