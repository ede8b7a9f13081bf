-- The change log the search index of every catalogue replica follows (src/index/follow.rs):
-- one row per publication changed, with the writing transaction's id, so a reader can
-- tell which changes may still commit below what it has read (pg_snapshot_xmin).
CREATE TABLE search_changes (
    seq             bigserial PRIMARY KEY,
    publication_id  uuid NOT NULL,
    xid             xid8 NOT NULL DEFAULT pg_current_xact_id(),
    at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_changes_xid_idx ON search_changes (xid);
CREATE INDEX search_changes_at_idx ON search_changes (at);

CREATE FUNCTION publications_search_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (publication_id) SELECT id FROM changed;
    PERFORM pg_notify('search_changes', '');
    RETURN NULL;
END $$;
CREATE TRIGGER publications_search_inserted AFTER INSERT ON publications
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION publications_search_changes();
CREATE TRIGGER publications_search_updated AFTER UPDATE ON publications
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION publications_search_changes();
CREATE TRIGGER publications_search_deleted AFTER DELETE ON publications
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION publications_search_changes();
