-- The directory is searched in each instance's memory (ADR-005): every write to a person's directory columns stamps
-- "DirectoryChange" with the writing transaction's id, so each instance can ask what changed since it last looked.
CREATE FUNCTION tacit_directory_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW."DirectoryChange" := pg_current_xact_id()::text::bigint;
    RETURN NEW;
END $$;

CREATE TRIGGER "People_directory_change" BEFORE INSERT OR UPDATE OF "OrganisationId", "DisplayName", "JobTitle", "Department", "Location", "SearchText", "IsActive" ON "People"
    FOR EACH ROW EXECUTE FUNCTION tacit_directory_change();
