-- Experiments you can trust: versions and epochs. `version` (the rules file's,
-- default 1) starts an experiment afresh: assignments and counts are kept per
-- version. An epoch is one split of the weights (`epoch`: a hash of the
-- variants' names and weights; 0 for what was counted before epochs were kept):
-- a participant is counted, exposed and converted in the epoch they were drawn
-- in, and `experiment_epochs` says when each split was first in force. `flips`
-- counts stored assignments whose variant changed (it must stay 0).
ALTER TABLE experiment_assignments ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE experiment_assignments ADD COLUMN epoch BIGINT NOT NULL DEFAULT 0;
ALTER TABLE experiment_assignments DROP CONSTRAINT experiment_assignments_pkey;
ALTER TABLE experiment_assignments ADD PRIMARY KEY (account_id, experiment, version);

ALTER TABLE experiment_counters ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE experiment_counters ADD COLUMN epoch BIGINT NOT NULL DEFAULT 0;
ALTER TABLE experiment_counters ADD COLUMN flips BIGINT NOT NULL DEFAULT 0;
ALTER TABLE experiment_counters DROP CONSTRAINT experiment_counters_pkey;
ALTER TABLE experiment_counters ADD PRIMARY KEY (experiment, version, epoch, variant);

ALTER TABLE experiment_goal_counters ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE experiment_goal_counters ADD COLUMN epoch BIGINT NOT NULL DEFAULT 0;
ALTER TABLE experiment_goal_counters DROP CONSTRAINT experiment_goal_counters_pkey;
ALTER TABLE experiment_goal_counters ADD PRIMARY KEY (experiment, version, epoch, variant, goal);

ALTER TABLE subject_assignments ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE subject_assignments ADD COLUMN epoch BIGINT NOT NULL DEFAULT 0;
ALTER TABLE subject_assignments DROP CONSTRAINT subject_assignments_pkey;
ALTER TABLE subject_assignments ADD PRIMARY KEY (subject, experiment, version);

CREATE TABLE experiment_epochs (
    experiment TEXT   NOT NULL,
    version    BIGINT NOT NULL,
    epoch      BIGINT NOT NULL,
    weights    TEXT   NOT NULL,
    first_at   BIGINT NOT NULL,
    PRIMARY KEY (experiment, version, epoch)
);
