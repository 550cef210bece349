using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tacit.Web.Data.Migrations.Postgres
{
    /// <summary>
    /// Reminders sent (<c>SentReminders</c>), the mail outbox (<c>OutgoingMail</c>), the next cycle and its carried
    /// wants; and, on PostgreSQL only, the directory's name-ordered word index <c>PersonWords</c>: one row per word of
    /// each person's search text with the name it sorts by, kept by a trigger, so a prefix search reads only this
    /// index (no person rows) to find and order a page of matches. Not part of the EF model: only the search reads it.
    /// </summary>
    public partial class RemindersReviewAndOutbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "PreviousCycleId",
                table: "Cycles",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CarriedWants",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    CycleId = table.Column<Guid>(type: "uuid", nullable: false),
                    FromCycleId = table.Column<Guid>(type: "uuid", nullable: false),
                    LearnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    SkillId = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CarriedWants", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CarriedWants_Cycles_CycleId",
                        column: x => x.CycleId,
                        principalTable: "Cycles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OutgoingMail",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    ToEmail = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    ToName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Body = table.Column<string>(type: "text", nullable: false),
                    Calendar = table.Column<string>(type: "text", nullable: true),
                    CalendarMethod = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Pending = table.Column<bool>(type: "boolean", nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutgoingMail", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SentReminders",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SentReminders", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Cycles_PreviousCycleId",
                table: "Cycles",
                column: "PreviousCycleId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CarriedWants_CycleId_LearnerId_SkillId",
                table: "CarriedWants",
                columns: new[] { "CycleId", "LearnerId", "SkillId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OutgoingMail_OrganisationId_Pending_CreatedAt",
                table: "OutgoingMail",
                columns: new[] { "OrganisationId", "Pending", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SentReminders_OrganisationId_Key",
                table: "SentReminders",
                columns: new[] { "OrganisationId", "Key" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_Cycles_Cycles_PreviousCycleId",
                table: "Cycles",
                column: "PreviousCycleId",
                principalTable: "Cycles",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            // The directory's name-ordered word index (PostgreSQL only; see the class comment).
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
            // DirectoryInMemory's Down does not bring the word index back, so it may already be gone.
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "People_words" ON "People";
                DROP FUNCTION IF EXISTS tacit_person_words();
                DROP TABLE IF EXISTS "PersonWords";
                """);

            migrationBuilder.DropForeignKey(
                name: "FK_Cycles_Cycles_PreviousCycleId",
                table: "Cycles");

            migrationBuilder.DropTable(
                name: "CarriedWants");

            migrationBuilder.DropTable(
                name: "OutgoingMail");

            migrationBuilder.DropTable(
                name: "SentReminders");

            migrationBuilder.DropIndex(
                name: "IX_Cycles_PreviousCycleId",
                table: "Cycles");

            migrationBuilder.DropColumn(
                name: "PreviousCycleId",
                table: "Cycles");
        }
    }
}
