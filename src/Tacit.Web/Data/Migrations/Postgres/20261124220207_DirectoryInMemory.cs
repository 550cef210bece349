using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace Tacit.Web.Data.Migrations.Postgres
{
    /// <summary>
    /// The directory searches in memory (Features/People/DirectoryIndex.cs): every write to a person's directory
    /// columns stamps <c>DirectoryChange</c> with the writing transaction's id, so each instance can read what changed
    /// since it last looked. The word index <c>PersonWords</c> and the full-text column it replaced go.
    /// </summary>
    public partial class DirectoryInMemory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_People_SearchVector",
                table: "People");

            migrationBuilder.DropColumn(
                name: "SearchVector",
                table: "People");

            migrationBuilder.AddColumn<long>(
                name: "DirectoryChange",
                table: "People",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "IX_People_OrganisationId_DirectoryChange",
                table: "People",
                columns: new[] { "OrganisationId", "DirectoryChange" });

            migrationBuilder.Sql("""
                DROP TRIGGER "People_words" ON "People";
                DROP FUNCTION tacit_person_words();
                DROP TABLE "PersonWords";

                CREATE FUNCTION tacit_directory_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW."DirectoryChange" := pg_current_xact_id()::text::bigint;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER "People_directory_change" BEFORE INSERT OR UPDATE OF "OrganisationId", "DisplayName", "JobTitle", "Department", "Location", "SearchText", "IsActive" ON "People"
                    FOR EACH ROW EXECUTE FUNCTION tacit_directory_change();
                """);
        }

        /// <inheritdoc />
        /// <remarks>Brings back the full-text column, not the word index <c>PersonWords</c> (nothing in this version reads either).</remarks>
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER "People_directory_change" ON "People";
                DROP FUNCTION tacit_directory_change();
                """);

            migrationBuilder.DropIndex(
                name: "IX_People_OrganisationId_DirectoryChange",
                table: "People");

            migrationBuilder.DropColumn(
                name: "DirectoryChange",
                table: "People");

            migrationBuilder.AddColumn<NpgsqlTsVector>(
                name: "SearchVector",
                table: "People",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "to_tsvector('simple', \"SearchText\")",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "IX_People_SearchVector",
                table: "People",
                column: "SearchVector")
                .Annotation("Npgsql:IndexMethod", "GIN");
        }
    }
}
