using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tacit.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IntakeResponseDepartment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Department",
                table: "IntakeResponses",
                type: "TEXT",
                maxLength: 80,
                nullable: false,
                defaultValue: "");
            // Responses given before this migration take the department their person is in now.
            migrationBuilder.Sql("""UPDATE "IntakeResponses" SET "Department" = (SELECT p."Department" FROM "People" AS p WHERE p."Id" = "IntakeResponses"."PersonId")""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Department",
                table: "IntakeResponses");
        }
    }
}
