-- One campaign, one row, whatever its letter case: `value` becomes the value
-- lower-cased (the key), and `label` keeps the first spelling seen, which the
-- report shows. Rows of an earlier version that differ only in case are summed.
-- (LOWER() here folds ASCII letters; tailor folds every letter from now on.)
CREATE TABLE campaign_counters_folded (
    model     TEXT   NOT NULL,
    dimension TEXT   NOT NULL,
    value     TEXT   NOT NULL,
    label     TEXT   NOT NULL,
    sessions  BIGINT NOT NULL DEFAULT 0,
    contact   BIGINT NOT NULL DEFAULT 0,
    checkout  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (model, dimension, value)
);
INSERT INTO campaign_counters_folded (model, dimension, value, label, sessions, contact, checkout)
SELECT model, dimension, LOWER(value), MIN(value), SUM(sessions), SUM(contact), SUM(checkout)
FROM campaign_counters
GROUP BY model, dimension, LOWER(value);
DROP TABLE campaign_counters;
ALTER TABLE campaign_counters_folded RENAME TO campaign_counters;
