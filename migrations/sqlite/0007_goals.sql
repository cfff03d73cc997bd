-- Goals the operator's site reports (`[goals.<name>]`), counted as contact forms
-- and checkouts are: per experiment and variant (once per participant, by
-- experiment_conversions), and per campaign row under every attribution model
-- (thousandths under the fractional models). A conversion event's id is kept
-- (as a keyed hash) so a repeated id counts nothing; a session's campaign credit
-- for a goal is given at most once a day.
CREATE TABLE experiment_goal_counters (
    experiment  TEXT   NOT NULL,
    variant     TEXT   NOT NULL,
    goal        TEXT   NOT NULL,
    conversions BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (experiment, variant, goal)
);

CREATE TABLE campaign_goal_counters (
    model       TEXT   NOT NULL,
    dimension   TEXT   NOT NULL,
    value       TEXT   NOT NULL,
    label       TEXT   NOT NULL,
    goal        TEXT   NOT NULL,
    conversions BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (model, dimension, value, goal)
);

CREATE TABLE conversion_events (
    id TEXT   PRIMARY KEY,
    at BIGINT NOT NULL
);
CREATE INDEX conversion_events_by_at ON conversion_events (at);

CREATE TABLE campaign_goal_credits (
    session TEXT   NOT NULL,
    goal    TEXT   NOT NULL,
    day     TEXT   NOT NULL,
    at      BIGINT NOT NULL,
    PRIMARY KEY (session, goal, day)
);
