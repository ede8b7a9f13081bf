-- Catalogue: publications with an Indonesian full-text index (stemming) and a trigram index
-- on titles (typo tolerance), printed holdings, reading-room use, history and audit.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE publications (
    id                  uuid PRIMARY KEY,
    office_code         char(4) NOT NULL,
    title               text NOT NULL,
    subtitle            text NOT NULL DEFAULT '',
    catalogue_number    text NOT NULL DEFAULT '',
    publication_number  text NOT NULL DEFAULT '',
    issn                text NOT NULL DEFAULT '',
    isbn                text NOT NULL DEFAULT '',
    release_date        date,
    year_from           integer,
    year_to             integer,
    subject             text NOT NULL,
    subject_group       text NOT NULL,
    language            text NOT NULL CHECK (language IN ('id', 'en', 'id-en')),
    pages               integer NOT NULL DEFAULT 0,
    abstract            text NOT NULL DEFAULT '',
    keywords            text[] NOT NULL DEFAULT '{}',
    keywords_text       text NOT NULL DEFAULT '',
    cover_url           text NOT NULL DEFAULT '',
    document_id         uuid,
    access_level        text NOT NULL CHECK (access_level IN ('public', 'registered', 'staff')),
    has_printed         boolean NOT NULL DEFAULT false,
    withdrawn_at        timestamptz,
    withdrawn_reason    text NOT NULL DEFAULT '',
    withdrawn_by        uuid,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('indonesian', title), 'A') ||
        setweight(to_tsvector('indonesian', subtitle), 'B') ||
        setweight(to_tsvector('indonesian', keywords_text), 'B') ||
        setweight(to_tsvector('indonesian', abstract), 'C')
    ) STORED
);
CREATE INDEX publications_search_idx ON publications USING gin (search);
-- GiST, not GIN: nearest titles by trigram distance (`<->`) come straight from the index.
CREATE INDEX publications_title_trgm_idx ON publications USING gist (lower(title) gist_trgm_ops);
CREATE INDEX publications_office_year_idx ON publications (office_code, year_to, id);
-- Newest first: the candidate order for broad queries.
CREATE INDEX publications_year_idx ON publications (year_to DESC NULLS LAST, id);
CREATE UNIQUE INDEX publications_catalogue_number_key ON publications (catalogue_number) WHERE catalogue_number <> '' AND withdrawn_at IS NULL;

CREATE TABLE holdings (
    id              uuid PRIMARY KEY,
    publication_id  uuid NOT NULL REFERENCES publications (id),
    office_code     char(4) NOT NULL,
    call_number     text NOT NULL,
    shelf           text NOT NULL DEFAULT '',
    copies          integer NOT NULL CHECK (copies BETWEEN 1 AND 1000),
    condition       text NOT NULL CHECK (condition IN ('baik', 'rusak_ringan', 'rusak_berat')),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX holdings_publication_idx ON holdings (publication_id);

CREATE TABLE reading_room_uses (
    id              uuid PRIMARY KEY,
    publication_id  uuid NOT NULL REFERENCES publications (id),
    office_code     char(4) NOT NULL,
    use_day         date NOT NULL,
    visit_id        uuid,
    recorded_by     uuid,
    self_service    boolean NOT NULL,
    used_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reading_room_uses_office_idx ON reading_room_uses (office_code, use_day);

-- Every change to a publication, with who made it and the state before.
CREATE TABLE publication_history (
    id              bigserial PRIMARY KEY,
    publication_id  uuid NOT NULL REFERENCES publications (id),
    at              timestamptz NOT NULL DEFAULT now(),
    actor_id        uuid,
    action          text NOT NULL,
    before          jsonb
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

-- Words of titles, subtitles and keywords: the dictionary that corrects typos in queries
-- (small, so the nearest word by trigrams is found in well under a millisecond).
CREATE TABLE vocabulary (word text PRIMARY KEY);
CREATE INDEX vocabulary_trgm_idx ON vocabulary USING gist (word gist_trgm_ops);

CREATE FUNCTION publications_vocabulary() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO vocabulary (word)
    SELECT DISTINCT w FROM regexp_split_to_table(lower(NEW.title || ' ' || NEW.subtitle || ' ' || NEW.keywords_text), '[^[:alnum:]]+') AS w
    WHERE length(w) >= 3
    ON CONFLICT DO NOTHING;
    RETURN NEW;
END $$;
CREATE TRIGGER publications_vocabulary AFTER INSERT OR UPDATE OF title, subtitle, keywords_text ON publications
    FOR EACH ROW EXECUTE FUNCTION publications_vocabulary();
