-- Counts of visitors who have not chosen yet (`tracking.cookieless_counts`, opt-in
-- mode): per UTC day, the HyperLogLog registers of the day's salted visitor hashes
-- (merged by each register's maximum, so instances add up), the page views and the
-- known bots' page views apart; and the page views per path. Nothing per visitor.
CREATE TABLE undecided_daily (
    day        TEXT   PRIMARY KEY,
    registers  BYTEA   NOT NULL,
    page_views BIGINT NOT NULL DEFAULT 0,
    bot_views  BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE undecided_paths (
    day   TEXT   NOT NULL,
    path  TEXT   NOT NULL,
    views BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, path)
);
