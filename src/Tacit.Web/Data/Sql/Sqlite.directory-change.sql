-- The directory is searched in each instance's memory (ADR-005): every write to a person's directory columns stamps
-- "DirectoryChange" with the organisation's next number (SQLite has one writer at a time), so the app and the tacit
-- command can each ask what changed since they last looked.
CREATE TRIGGER "People_directory_insert" AFTER INSERT ON "People" BEGIN
    UPDATE "People" SET "DirectoryChange" =
        (SELECT IFNULL(MAX("DirectoryChange"), 0) + 1 FROM "People" WHERE "OrganisationId" = NEW."OrganisationId")
    WHERE "Id" = NEW."Id";
END;

CREATE TRIGGER "People_directory_update" AFTER UPDATE OF "OrganisationId", "DisplayName", "JobTitle", "Department", "Location", "SearchText", "IsActive" ON "People" BEGIN
    UPDATE "People" SET "DirectoryChange" =
        (SELECT IFNULL(MAX("DirectoryChange"), 0) + 1 FROM "People" WHERE "OrganisationId" = NEW."OrganisationId")
    WHERE "Id" = NEW."Id";
END;
