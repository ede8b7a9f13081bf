-- Softcopies: one current document per publication; older versions stay (their copies
-- can still be traced) with replaced_at set.
CREATE TABLE documents (
    id              uuid PRIMARY KEY,
    publication_id  uuid NOT NULL,
    office_code     char(4) NOT NULL,
    sha256          text NOT NULL UNIQUE,
    size_bytes      bigint NOT NULL,
    pages           integer NOT NULL,
    xref_kind       text NOT NULL CHECK (xref_kind IN ('table', 'stream')),
    linearized      boolean NOT NULL,
    filename        text NOT NULL,
    -- The stamping plan (see pst_watermark::pdf::Plan) and its copy-independent bytes.
    plan            jsonb NOT NULL,
    static_bytes    bytea NOT NULL,
    uploaded_by     uuid NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    replaced_at     timestamptz
);
CREATE UNIQUE INDEX documents_current_idx ON documents (publication_id) WHERE replaced_at IS NULL;

-- Every stamped copy that left: downloads (a new id each) and reading sessions (one per
-- user, document and office day, so a viewer's range requests get the same bytes).
CREATE TABLE downloads (
    id                 uuid PRIMARY KEY,
    code               text NOT NULL UNIQUE,
    kind               text NOT NULL CHECK (kind IN ('download', 'read')),
    document_id        uuid NOT NULL REFERENCES documents (id),
    publication_id     uuid NOT NULL,
    publication_title  text NOT NULL,
    office_code        char(4) NOT NULL,
    user_id            uuid NOT NULL,
    user_name          text NOT NULL,
    user_email         text NOT NULL,
    client_ip          text NOT NULL DEFAULT '',
    user_agent         text NOT NULL DEFAULT '',
    issued_at          timestamptz NOT NULL,
    day                date NOT NULL,
    -- The visible lines and the signature, so a reading session's copy is byte-identical
    -- on every request.
    lines              text[] NOT NULL,
    signature          text NOT NULL
);
CREATE UNIQUE INDEX downloads_read_session_idx ON downloads (user_id, document_id, day) WHERE kind = 'read';
CREATE INDEX downloads_user_idx ON downloads (user_id, issued_at DESC, id DESC);
CREATE INDEX downloads_office_idx ON downloads (office_code, issued_at DESC);

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
