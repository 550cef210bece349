using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tacit.Web.Data.Migrations.Sqlite
{
    /// <summary>
    /// The directory searches in memory (Features/People/DirectoryIndex.cs): every write to a person's directory
    /// columns stamps <c>DirectoryChange</c> with the organisation's next number (SQLite has one writer at a time), so
    /// the app and the <c>tacit</c> command can each read what changed since they last looked.
    /// </summary>
    public partial class DirectoryInMemory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "DirectoryChange",
                table: "People",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "IX_People_OrganisationId_DirectoryChange",
                table: "People",
                columns: new[] { "OrganisationId", "DirectoryChange" });

            const string stamp = """
                UPDATE "People" SET "DirectoryChange" =
                    (SELECT IFNULL(MAX("DirectoryChange"), 0) + 1 FROM "People" WHERE "OrganisationId" = NEW."OrganisationId")
                WHERE "Id" = NEW."Id";
                """;
            migrationBuilder.Sql($"""
                CREATE TRIGGER "People_directory_insert" AFTER INSERT ON "People" BEGIN {stamp} END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER "People_directory_update" AFTER UPDATE OF "OrganisationId", "DisplayName", "JobTitle", "Department", "Location", "SearchText", "IsActive" ON "People" BEGIN {stamp} END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "People_directory_insert";""");
            migrationBuilder.Sql("""DROP TRIGGER "People_directory_update";""");

            migrationBuilder.DropIndex(
                name: "IX_People_OrganisationId_DirectoryChange",
                table: "People");

            migrationBuilder.DropColumn(
                name: "DirectoryChange",
                table: "People");
        }
    }
}
