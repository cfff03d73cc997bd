-- Experiments (personalisation): the account's assignments, so every device of
-- the account sees the same variant; the operators' counters per experiment and
-- variant; and which participant converted on which goal, so a conversion counts
-- once per participant. A participant is a random 64-bit number the assignment
-- carries, never the session id or the account id.
CREATE TABLE experiment_assignments (
    account_id  TEXT   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    experiment  TEXT   NOT NULL,
    variant     TEXT   NOT NULL,
    participant BIGINT NOT NULL,
    PRIMARY KEY (account_id, experiment)
);

CREATE TABLE experiment_counters (
    experiment   TEXT   NOT NULL,
    variant      TEXT   NOT NULL,
    participants BIGINT NOT NULL DEFAULT 0,
    exposures    BIGINT NOT NULL DEFAULT 0,
    contact      BIGINT NOT NULL DEFAULT 0,
    checkout     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (experiment, variant)
);

CREATE TABLE experiment_conversions (
    experiment  TEXT   NOT NULL,
    participant BIGINT NOT NULL,
    goal        TEXT   NOT NULL,
    PRIMARY KEY (experiment, participant, goal)
);
