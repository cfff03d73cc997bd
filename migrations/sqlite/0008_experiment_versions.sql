-- Experiments you can trust: versions and epochs. `version` (the rules file's,
-- default 1) starts an experiment afresh: assignments and counts are kept per
-- version. An epoch is one split of the weights (`epoch`: a hash of the
-- variants' names and weights; 0 for what was counted before epochs were kept):
-- a participant is counted, exposed and converted in the epoch they were drawn
-- in, and `experiment_epochs` says when each split was first in force. `flips`
-- counts stored assignments whose variant changed (it must stay 0).
CREATE TABLE experiment_assignments_v (
    account_id  TEXT   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    experiment  TEXT   NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    epoch       BIGINT NOT NULL DEFAULT 0,
    variant     TEXT   NOT NULL,
    participant BIGINT NOT NULL,
    PRIMARY KEY (account_id, experiment, version)
);
INSERT INTO experiment_assignments_v (account_id, experiment, variant, participant)
    SELECT account_id, experiment, variant, participant FROM experiment_assignments;
DROP TABLE experiment_assignments;
ALTER TABLE experiment_assignments_v RENAME TO experiment_assignments;

CREATE TABLE experiment_counters_v (
    experiment   TEXT   NOT NULL,
    version      BIGINT NOT NULL DEFAULT 1,
    epoch        BIGINT NOT NULL DEFAULT 0,
    variant      TEXT   NOT NULL,
    participants BIGINT NOT NULL DEFAULT 0,
    exposures    BIGINT NOT NULL DEFAULT 0,
    contact      BIGINT NOT NULL DEFAULT 0,
    checkout     BIGINT NOT NULL DEFAULT 0,
    flips        BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (experiment, version, epoch, variant)
);
INSERT INTO experiment_counters_v (experiment, variant, participants, exposures, contact, checkout)
    SELECT experiment, variant, participants, exposures, contact, checkout FROM experiment_counters;
DROP TABLE experiment_counters;
ALTER TABLE experiment_counters_v RENAME TO experiment_counters;

CREATE TABLE experiment_goal_counters_v (
    experiment  TEXT   NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    epoch       BIGINT NOT NULL DEFAULT 0,
    variant     TEXT   NOT NULL,
    goal        TEXT   NOT NULL,
    conversions BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (experiment, version, epoch, variant, goal)
);
INSERT INTO experiment_goal_counters_v (experiment, variant, goal, conversions)
    SELECT experiment, variant, goal, conversions FROM experiment_goal_counters;
DROP TABLE experiment_goal_counters;
ALTER TABLE experiment_goal_counters_v RENAME TO experiment_goal_counters;

CREATE TABLE subject_assignments_v (
    subject     TEXT   NOT NULL,
    experiment  TEXT   NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    epoch       BIGINT NOT NULL DEFAULT 0,
    variant     TEXT   NOT NULL,
    participant BIGINT NOT NULL,
    counted     BIGINT NOT NULL DEFAULT 0,
    last_seen   BIGINT NOT NULL,
    PRIMARY KEY (subject, experiment, version)
);
INSERT INTO subject_assignments_v (subject, experiment, variant, participant, counted, last_seen)
    SELECT subject, experiment, variant, participant, counted, last_seen FROM subject_assignments;
DROP TABLE subject_assignments;
ALTER TABLE subject_assignments_v RENAME TO subject_assignments;
CREATE INDEX subject_assignments_by_last_seen ON subject_assignments (last_seen);

CREATE TABLE experiment_epochs (
    experiment TEXT   NOT NULL,
    version    BIGINT NOT NULL,
    epoch      BIGINT NOT NULL,
    weights    TEXT   NOT NULL,
    first_at   BIGINT NOT NULL,
    PRIMARY KEY (experiment, version, epoch)
);
