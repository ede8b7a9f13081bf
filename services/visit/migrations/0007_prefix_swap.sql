-- An administrator may swap two lines' ticket prefixes in one save: the uniqueness of a
-- prefix within an office is checked at commit, not row by row.
ALTER TABLE service_types DROP CONSTRAINT service_types_office_code_prefix_key;
ALTER TABLE service_types ADD CONSTRAINT service_types_office_code_prefix_key
    UNIQUE (office_code, prefix) DEFERRABLE INITIALLY DEFERRED;
