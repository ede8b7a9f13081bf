-- Feedback: SKM responses (one per visit), complaints with their messages, and the audit
-- trail.

CREATE TABLE responses (
    id               uuid PRIMARY KEY,
    office_code      char(4) NOT NULL,
    -- The office's local date of the response: the period an IKM report counts it in.
    response_day     date NOT NULL,
    visit_id         uuid,
    download_id      uuid,
    user_id          uuid,
    -- Scores of U1..U9 (1-4).
    scores           smallint[] NOT NULL CHECK (array_length(scores, 1) = 9 AND 1 <= ALL (scores) AND 4 >= ALL (scores)),
    comment          text NOT NULL DEFAULT '',
    sex              text NOT NULL,
    age_group        text NOT NULL,
    education        text NOT NULL,
    occupation       text NOT NULL,
    fee_asked        boolean NOT NULL DEFAULT false,
    gratuity_offered boolean NOT NULL DEFAULT false,
    favour_asked     boolean NOT NULL DEFAULT false,
    discrimination   boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT responses_visit_key UNIQUE (visit_id),
    CONSTRAINT responses_download_key UNIQUE (download_id),
    CHECK (visit_id IS NOT NULL OR download_id IS NOT NULL)
);
CREATE INDEX responses_office_day_idx ON responses (office_code, response_day) INCLUDE (scores);

CREATE TABLE complaints (
    id              uuid PRIMARY KEY,
    office_code     char(4) NOT NULL,
    channel         text NOT NULL,
    category        text NOT NULL,
    text            text NOT NULL,
    status          text NOT NULL,
    reference_kind  text NOT NULL DEFAULT '',
    reference_id    text NOT NULL DEFAULT '',
    user_id         uuid,
    -- SHA-256 of the tracking code given to anonymous complainants.
    tracking_hash   bytea,
    contact_name    text NOT NULL DEFAULT '',
    contact_email   text NOT NULL DEFAULT '',
    filed_by        uuid,
    assigned_to     uuid,
    received_at     timestamptz NOT NULL DEFAULT now(),
    verify_due      date NOT NULL,
    follow_up_due   date NOT NULL,
    answered_at     timestamptz,
    closed_at       timestamptz
);
CREATE INDEX complaints_office_idx ON complaints (office_code, received_at DESC, id DESC);
CREATE INDEX complaints_user_idx ON complaints (user_id, received_at DESC) WHERE user_id IS NOT NULL;

CREATE TABLE complaint_messages (
    id            uuid PRIMARY KEY,
    complaint_id  uuid NOT NULL REFERENCES complaints (id),
    at            timestamptz NOT NULL DEFAULT now(),
    author_role   text NOT NULL CHECK (author_role IN ('complainant', 'staff')),
    author_id     uuid,
    text          text NOT NULL
);
CREATE INDEX complaint_messages_idx ON complaint_messages (complaint_id, at);

CREATE TABLE audit_log (
    id           bigserial PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    actor_id     uuid,
    actor_role   text NOT NULL,
    office_code  char(4),
    action       text NOT NULL,
    target       text NOT NULL DEFAULT '',
    detail       jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_office_idx ON audit_log (office_code, id DESC);
