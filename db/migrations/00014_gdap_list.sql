-- The GDAP list across customers. By state, newest first: gdap_requests_status.
-- Ending soon: an auto-extending relationship ends again every 180 days after
-- its first end, so every instant it can end has its first end's place in
-- that 180-day cycle, its phase (whole seconds since 1970 modulo the cycle).
-- Indexed, the phase lets the list and the dashboard find by a range search
-- the few auto-extending relationships whose next end falls in a window, for
-- the domain to decide (GDAPEndingWithin); the others are found by ends_at.
-- 15552000 is domain.GDAPAutoExtendDays (180) days in seconds: the store's
-- gdapCycle, and a test holds the two together.

-- +goose Up
ALTER TABLE gdap_requests ADD COLUMN ends_phase INTEGER
    GENERATED ALWAYS AS (CAST(strftime('%s', ends_at) AS INTEGER) % 15552000) VIRTUAL;
CREATE INDEX gdap_requests_phase ON gdap_requests (status, auto_extend, ends_phase);
CREATE INDEX gdap_requests_status ON gdap_requests (status, id);
