using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tacit.Web.Data.Migrations.Postgres
{
    /// <summary>
    /// The directory's name-ordered word index on PostgreSQL: one row per word of each person's search text, with the
    /// name it sorts by, kept by a trigger. A prefix search then reads only this index (no person rows) to find and
    /// order a page of matches, however many thousands match. Not part of the EF model: only the search reads it.
    /// </summary>
    public partial class PersonWords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "PersonWords" (
                    "OrganisationId" uuid NOT NULL,
                    "PersonId" uuid NOT NULL REFERENCES "People" ("Id") ON DELETE CASCADE,
                    "Word" text COLLATE "C" NOT NULL,
                    "DisplayName" text NOT NULL,
                    "IsActive" boolean NOT NULL,
                    PRIMARY KEY ("PersonId", "Word"));
                CREATE INDEX "IX_PersonWords_Search" ON "PersonWords" ("OrganisationId", "Word", "DisplayName", "PersonId") INCLUDE ("IsActive");

                CREATE FUNCTION tacit_person_words() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM "PersonWords" WHERE "PersonId" = NEW."Id";
                    INSERT INTO "PersonWords" ("OrganisationId", "PersonId", "Word", "DisplayName", "IsActive")
                    SELECT DISTINCT NEW."OrganisationId", NEW."Id", word, NEW."DisplayName", NEW."IsActive"
                    FROM regexp_split_to_table(NEW."SearchText", '[^[:alnum:]]+') AS word
                    WHERE word <> '';
                    RETURN NULL;
                END $$;
                CREATE TRIGGER "People_words" AFTER INSERT OR UPDATE OF "SearchText", "DisplayName", "IsActive", "OrganisationId" ON "People"
                    FOR EACH ROW EXECUTE FUNCTION tacit_person_words();

                INSERT INTO "PersonWords" ("OrganisationId", "PersonId", "Word", "DisplayName", "IsActive")
                SELECT DISTINCT p."OrganisationId", p."Id", word, p."DisplayName", p."IsActive"
                FROM "People" p, regexp_split_to_table(p."SearchText", '[^[:alnum:]]+') AS word
                WHERE word <> '';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER "People_words" ON "People";
                DROP FUNCTION tacit_person_words();
                DROP TABLE "PersonWords";
                """);
        }
    }
}
