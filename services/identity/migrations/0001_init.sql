-- Identity: offices, accounts, one-time e-mail tokens, refresh-token families,
-- login throttling and the audit trail of staff actions.

CREATE TABLE offices (
    code        char(4) PRIMARY KEY CHECK (code ~ '^[0-9]{4}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    time_zone   text NOT NULL CHECK (time_zone IN ('Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id                uuid PRIMARY KEY,
    full_name         text NOT NULL,
    email             text NOT NULL,
    password_hash     text NOT NULL,
    phone             text NOT NULL DEFAULT '',
    institution       text NOT NULL DEFAULT '',
    occupation        text NOT NULL DEFAULT '',
    id_type           smallint NOT NULL DEFAULT 0,
    -- AES-256-GCM(nonce || ciphertext) of the identity-document number; never stored plain.
    id_number_enc     bytea,
    id_number_masked  text NOT NULL DEFAULT '',
    role              text NOT NULL CHECK (role IN ('visitor', 'front_office', 'librarian', 'supervisor', 'admin')),
    office_code       char(4) REFERENCES offices (code),
    email_verified_at timestamptz,
    active            boolean NOT NULL DEFAULT true,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT staff_have_office CHECK (role IN ('visitor', 'admin') OR office_code IS NOT NULL)
);
CREATE INDEX users_office_idx ON users (office_code, created_at, id) WHERE role <> 'visitor';

-- One-time tokens sent by e-mail (verify, reset); only their SHA-256 is kept.
CREATE TABLE email_tokens (
    token_hash  bytea PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     text NOT NULL CHECK (purpose IN ('verify', 'reset')),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_tokens_user_idx ON email_tokens (user_id, purpose);

-- Rotating refresh tokens: each use marks the token used and issues the next in the same
-- family; presenting a used token again revokes the whole family.
CREATE TABLE refresh_tokens (
    token_hash  bytea PRIMARY KEY,
    family_id   uuid NOT NULL,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

-- Failed logins per key ('email:<address>' or 'ip:<address>').
CREATE TABLE login_throttle (
    key           text PRIMARY KEY,
    failures      integer NOT NULL,
    window_start  timestamptz NOT NULL,
    locked_until  timestamptz
);

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
