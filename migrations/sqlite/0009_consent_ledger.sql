-- Consent you can prove. `consent_ledger`: one row per consent event, appended and
-- never changed (a trigger refuses updates), deleted only past
-- `tracking.consent_ledger_days`: when (epoch milliseconds, whole seconds), the
-- visitor's anonymous consent id (random; never the session id), the choice
-- (granted, refused, withdrawn), its source (banner, preferences, api, gpc, dnt),
-- the policy version it was made under, its scope and the page's language. No
-- address, no User-Agent. `consent_daily`: what is only counted, per UTC day and
-- policy version: the times the banner or the policy notice was shown, and the
-- requests with Sec-GPC or DNT from browsers without a session.
CREATE TABLE consent_ledger (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    at             BIGINT NOT NULL,
    consent_id     TEXT   NOT NULL,
    choice         TEXT   NOT NULL,
    source         TEXT   NOT NULL,
    policy_version TEXT   NOT NULL,
    scope          TEXT   NOT NULL,
    language       TEXT   NOT NULL
);
CREATE INDEX consent_ledger_by_id ON consent_ledger (consent_id);
CREATE INDEX consent_ledger_by_time ON consent_ledger (at);

CREATE TABLE consent_daily (
    day             TEXT   NOT NULL,
    policy_version  TEXT   NOT NULL,
    asked           BIGINT NOT NULL DEFAULT 0,
    gpc_sessionless BIGINT NOT NULL DEFAULT 0,
    dnt_sessionless BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, policy_version)
);

CREATE TRIGGER consent_ledger_append_only BEFORE UPDATE ON consent_ledger
BEGIN
    SELECT RAISE(ABORT, 'the consent ledger is append-only');
END;
