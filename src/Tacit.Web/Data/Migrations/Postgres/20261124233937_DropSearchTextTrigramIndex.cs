using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tacit.Web.Data.Migrations.Postgres
{
    /// <summary>
    /// The trigram index on the people's search text served the directory's search before it moved into memory
    /// (ADR-005); nothing reads it now, and every write to a person paid for keeping it.
    /// </summary>
    public partial class DropSearchTextTrigramIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX IF EXISTS "IX_People_SearchText_trgm";""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""CREATE INDEX "IX_People_SearchText_trgm" ON "People" USING gin ("SearchText" gin_trgm_ops);""");
        }
    }
}
