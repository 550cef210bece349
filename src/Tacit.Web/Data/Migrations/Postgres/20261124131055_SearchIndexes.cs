using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tacit.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The directory searches with LIKE '%term%' on lower-cased names, titles and emails; trigram
            // indexes keep that fast for a large organisation. Written by hand: EF has no model for them.
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
            migrationBuilder.Sql("""CREATE INDEX "IX_People_DisplayName_trgm" ON "People" USING gin (lower("DisplayName") gin_trgm_ops);""");
            migrationBuilder.Sql("""CREATE INDEX "IX_People_JobTitle_trgm" ON "People" USING gin (lower("JobTitle") gin_trgm_ops);""");
            migrationBuilder.Sql("""CREATE INDEX "IX_People_Email_trgm" ON "People" USING gin ("Email" gin_trgm_ops);""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_People_DisplayName_trgm";""");
            migrationBuilder.Sql("""DROP INDEX "IX_People_JobTitle_trgm";""");
            migrationBuilder.Sql("""DROP INDEX "IX_People_Email_trgm";""");
        }
    }
}
