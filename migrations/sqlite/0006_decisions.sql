-- Decisions for the operator's own site. Subjects are the operator's visitors
-- known by the server-side OFREP callers: an HMAC of the operator's id for them
-- (never the id), and their assignments only, purged when idle. An assignment
-- made by an evaluation is stored at once (sticky) but its participant is
-- counted at its first exposure: `counted` says whether it was.

CREATE TABLE subject_assignments (
    subject     TEXT   NOT NULL,
    experiment  TEXT   NOT NULL,
    variant     TEXT   NOT NULL,
    participant BIGINT NOT NULL,
    counted     BIGINT NOT NULL DEFAULT 0,
    last_seen   BIGINT NOT NULL,
    PRIMARY KEY (subject, experiment)
);
CREATE INDEX subject_assignments_by_last_seen ON subject_assignments (last_seen);
