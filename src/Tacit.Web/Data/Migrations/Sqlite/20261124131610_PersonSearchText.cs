using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tacit.Web.Data.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 496,
                nullable: false,
                defaultValue: "");
            // People already stored get the same search text the domain now keeps up to date.
            migrationBuilder.Sql("""UPDATE "People" SET "SearchText" = lower("DisplayName" || ' ' || "JobTitle" || ' ' || "Email");""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SearchText",
                table: "People");
        }
    }
}
