-- 002_report_indexes.sql: what the reports join and group on.
-- A hold's entries (made, collected), to measure the time from one to the other.
CREATE INDEX ledger_hold ON ledger_entries (hold_id, type) WHERE hold_id IS NOT NULL;
-- A tablet's entries at a store over time (write-offs and count shortfalls per tablet).
CREATE INDEX ledger_store_device_at ON ledger_entries (store_id, device_id, at) WHERE device_id IS NOT NULL;
