using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tacit.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PersonSearchText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SearchText",
                table: "People",
                type: "character varying(496)",
                maxLength: 496,
                nullable: false,
                defaultValue: "");
            // People already stored get the same search text the domain now keeps up to date.
            migrationBuilder.Sql("""UPDATE "People" SET "SearchText" = lower("DisplayName" || ' ' || "JobTitle" || ' ' || "Email");""");
            // The directory searches with LIKE '%term%'; a trigram index keeps that fast in a large organisation.
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
            migrationBuilder.Sql("""CREATE INDEX "IX_People_SearchText_trgm" ON "People" USING gin ("SearchText" gin_trgm_ops);""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX IF EXISTS "IX_People_SearchText_trgm";""");
            migrationBuilder.DropColumn(
                name: "SearchText",
                table: "People");
        }
    }
}
