using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace Tacit.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PersonSearchVector : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_People_SearchVector",
                table: "People");

            migrationBuilder.DropColumn(
                name: "SearchVector",
                table: "People");
        }
    }
}
