using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tacit.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CommitmentCheckIn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "PartnerCheckIn",
                table: "Commitments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "PartnerCheckedInAt",
                table: "Commitments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PartnerNote",
                table: "Commitments",
                type: "TEXT",
                maxLength: 1000,
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PartnerCheckIn",
                table: "Commitments");

            migrationBuilder.DropColumn(
                name: "PartnerCheckedInAt",
                table: "Commitments");

            migrationBuilder.DropColumn(
                name: "PartnerNote",
                table: "Commitments");
        }
    }
}
