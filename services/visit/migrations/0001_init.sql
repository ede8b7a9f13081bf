-- Visit and queue: office setup, tickets with every state change, guest book, lockers with
-- identity-card custody, and the audit trail. Redis holds the live queue; this is the record.

CREATE TABLE offices (
    code        char(4) PRIMARY KEY CHECK (code ~ '^[0-9]{4}$'),
    name        text NOT NULL,
    time_zone   text NOT NULL CHECK (time_zone IN ('Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura')),
    opens_at    time NOT NULL DEFAULT '08:00',
    closes_at   time NOT NULL DEFAULT '16:00',
    open_days   smallint[] NOT NULL DEFAULT '{1,2,3,4,5}',
    lockers     integer NOT NULL DEFAULT 20 CHECK (lockers BETWEEN 0 AND 500)
);

CREATE TABLE service_types (
    office_code char(4) NOT NULL REFERENCES offices (code),
    code        text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{1,31}$'),
    prefix      text NOT NULL CHECK (prefix ~ '^[A-Z]$'),
    name        text NOT NULL,
    PRIMARY KEY (office_code, code),
    UNIQUE (office_code, prefix)
);

CREATE TABLE counters (
    office_code   char(4) NOT NULL REFERENCES offices (code),
    code          text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,16}$'),
    name          text NOT NULL,
    service_types text[] NOT NULL,
    PRIMARY KEY (office_code, code)
);

CREATE TABLE tickets (
    id            uuid PRIMARY KEY,
    office_code   char(4) NOT NULL REFERENCES offices (code),
    service_day   date NOT NULL,
    service_type  text NOT NULL,
    prefix        text NOT NULL,
    number        integer NOT NULL,
    -- Order of arrival within the office and day, across service types.
    seq           bigint NOT NULL,
    status        text NOT NULL CHECK (status IN ('waiting', 'called', 'skipped', 'serving', 'done')),
    user_id       uuid,
    device        text NOT NULL DEFAULT '',
    counter       text,
    call_count    integer NOT NULL DEFAULT 0,
    taken_at      timestamptz NOT NULL DEFAULT now(),
    called_at     timestamptz,
    called_by     uuid,
    skipped_at    timestamptz,
    started_at    timestamptz,
    started_by    uuid,
    finished_at   timestamptz,
    finished_by   uuid,
    CONSTRAINT tickets_number_key UNIQUE (office_code, service_day, prefix, number),
    FOREIGN KEY (office_code, service_type) REFERENCES service_types (office_code, code)
);
CREATE INDEX tickets_day_idx ON tickets (office_code, service_day, status, seq);
-- At most one open ticket per signed-in user per day.
CREATE UNIQUE INDEX tickets_one_open_per_user ON tickets (user_id, service_day)
    WHERE user_id IS NOT NULL AND status IN ('waiting', 'called', 'skipped', 'serving');

CREATE TABLE ticket_events (
    id         bigserial PRIMARY KEY,
    ticket_id  uuid NOT NULL REFERENCES tickets (id),
    at         timestamptz NOT NULL DEFAULT now(),
    action     text NOT NULL,
    officer    uuid,
    counter    text,
    detail     jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id, id);

CREATE TABLE visits (
    id                uuid PRIMARY KEY,
    office_code       char(4) NOT NULL REFERENCES offices (code),
    service_day       date NOT NULL,
    ticket_id         uuid UNIQUE REFERENCES tickets (id),
    user_id           uuid,
    name              text NOT NULL,
    email             text NOT NULL DEFAULT '',
    phone             text NOT NULL DEFAULT '',
    sex               text NOT NULL DEFAULT '',
    age_group         text NOT NULL DEFAULT '',
    education         text NOT NULL DEFAULT '',
    occupation        text NOT NULL DEFAULT '',
    institution_type  text NOT NULL DEFAULT '',
    institution_name  text NOT NULL DEFAULT '',
    purpose           text NOT NULL DEFAULT '',
    data_needed       text NOT NULL DEFAULT '',
    guest_book_at     timestamptz NOT NULL DEFAULT now(),
    created_by        uuid,
    ended_at          timestamptz,
    ended_by          uuid,
    -- SHA-256 of the one-time code a walk-in visitor uses to rate the visit.
    feedback_code_hash bytea
);
CREATE INDEX visits_day_idx ON visits (office_code, service_day);

CREATE TABLE lockers (
    office_code     char(4) NOT NULL REFERENCES offices (code),
    number          integer NOT NULL CHECK (number > 0),
    out_of_service  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (office_code, number)
);

-- Identity cards held against lockers. Numbers only encrypted; masked copy for display.
CREATE TABLE custody (
    id                uuid PRIMARY KEY,
    visit_id          uuid NOT NULL REFERENCES visits (id),
    office_code       char(4) NOT NULL,
    locker            integer NOT NULL,
    id_type           text NOT NULL CHECK (id_type IN ('ktp', 'sim', 'paspor', 'lainnya')),
    id_number_enc     bytea NOT NULL,
    id_number_masked  text NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT now(),
    received_by       uuid NOT NULL,
    returned_at       timestamptz,
    returned_by       uuid,
    returned_to       text,
    FOREIGN KEY (office_code, locker) REFERENCES lockers (office_code, number)
);
-- No locker is ever given to two visits at once, and a visit holds one locker at a time.
CREATE UNIQUE INDEX custody_locker_held ON custody (office_code, locker) WHERE returned_at IS NULL;
CREATE UNIQUE INDEX custody_visit_held ON custody (visit_id) WHERE returned_at IS NULL;

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
