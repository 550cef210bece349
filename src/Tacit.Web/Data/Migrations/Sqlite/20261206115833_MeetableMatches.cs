using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tacit.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MeetableMatches : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CommonHours",
                table: "Proposals",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "DefaultMaxTeacherSessions",
                table: "Organisations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CommonHours",
                table: "Offers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Weights_Availability",
                table: "MatchRuns",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Weights_MaxAuthorityGap",
                table: "MatchRuns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Weights_NoCommonHourPenalty",
                table: "MatchRuns",
                type: "INTEGER",
                nullable: false,
                defaultValue: 20);

            migrationBuilder.AddColumn<int>(
                name: "MaxTeacherSessions",
                table: "IntakeResponses",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CommonHours",
                table: "Proposals");

            migrationBuilder.DropColumn(
                name: "DefaultMaxTeacherSessions",
                table: "Organisations");

            migrationBuilder.DropColumn(
                name: "CommonHours",
                table: "Offers");

            migrationBuilder.DropColumn(
                name: "Weights_Availability",
                table: "MatchRuns");

            migrationBuilder.DropColumn(
                name: "Weights_MaxAuthorityGap",
                table: "MatchRuns");

            migrationBuilder.DropColumn(
                name: "Weights_NoCommonHourPenalty",
                table: "MatchRuns");

            migrationBuilder.DropColumn(
                name: "MaxTeacherSessions",
                table: "IntakeResponses");
        }
    }
}
