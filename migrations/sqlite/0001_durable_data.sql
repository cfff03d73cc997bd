-- tailor's durable data on SQLite. Times are epoch milliseconds (BIGINT), the same
-- on both backends; JSON documents are TEXT. Keep in step with ../postgres: the
-- same versions, the same tables and columns.

-- Accounts. `id` is a random 128-bit id (32 hex digits), never reused:
-- `retired_account_ids` remembers the ids of deleted accounts.
CREATE TABLE accounts (
    id            TEXT   PRIMARY KEY NOT NULL,
    username      TEXT   NOT NULL,
    username_key  TEXT   NOT NULL UNIQUE,      -- the username lower-cased
    password_hash TEXT   NOT NULL,             -- argon2id PHC string
    created_at    BIGINT NOT NULL,
    preferences   TEXT   NOT NULL,             -- JSON
    prefs_version BIGINT NOT NULL DEFAULT 0,   -- bumped on every change
    cart          TEXT   NOT NULL,             -- JSON
    epoch         BIGINT NOT NULL DEFAULT 0    -- bumped when other sessions must end
);

CREATE TABLE retired_account_ids (
    id         TEXT   PRIMARY KEY NOT NULL,
    retired_at BIGINT NOT NULL
);

-- Which sessions are logged in to which account.
CREATE TABLE account_sessions (
    account_id   TEXT   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    session_id   TEXT   NOT NULL,
    logged_in_at BIGINT NOT NULL,
    user_agent   TEXT   NOT NULL,
    PRIMARY KEY (account_id, session_id)
);

-- Orders outlive their account: deleting it leaves them without one.
CREATE TABLE orders (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id     TEXT   REFERENCES accounts (id) ON DELETE SET NULL,
    created_at     BIGINT NOT NULL,
    total_cents    BIGINT NOT NULL,
    first_campaign TEXT,
    first_source   TEXT,
    first_medium   TEXT,
    last_campaign  TEXT,
    last_source    TEXT,
    last_medium    TEXT
);
CREATE INDEX orders_by_account ON orders (account_id);

CREATE TABLE order_lines (
    order_id         BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position         BIGINT NOT NULL,
    product          TEXT   NOT NULL,
    quantity         BIGINT NOT NULL,
    unit_price_cents BIGINT NOT NULL,
    PRIMARY KEY (order_id, position)
);

-- Submitted forms; an account's go with it.
CREATE TABLE submissions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    form       TEXT   NOT NULL,
    fields     TEXT   NOT NULL,                -- JSON object of strings
    created_at BIGINT NOT NULL,
    account_id TEXT   REFERENCES accounts (id) ON DELETE CASCADE
);
CREATE INDEX submissions_by_account ON submissions (account_id);
CREATE INDEX submissions_by_time ON submissions (created_at);

-- The operators' campaign report: one row per attribution model, dimension, value.
CREATE TABLE campaign_counters (
    model     TEXT   NOT NULL,
    dimension TEXT   NOT NULL,
    value     TEXT   NOT NULL,
    sessions  BIGINT NOT NULL DEFAULT 0,
    contact   BIGINT NOT NULL DEFAULT 0,
    checkout  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (model, dimension, value)
);

-- Facts about the database itself (the one-time import from Redis, say).
CREATE TABLE tailor_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
