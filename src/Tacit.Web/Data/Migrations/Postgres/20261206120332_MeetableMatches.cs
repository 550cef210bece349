using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tacit.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MeetableMatches : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<int>>(
                name: "CommonHours",
                table: "Proposals",
                type: "integer[]",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "DefaultMaxTeacherSessions",
                table: "Organisations",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<List<int>>(
                name: "CommonHours",
                table: "Offers",
                type: "integer[]",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Weights_Availability",
                table: "MatchRuns",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Weights_MaxAuthorityGap",
                table: "MatchRuns",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Weights_NoCommonHourPenalty",
                table: "MatchRuns",
                type: "integer",
                nullable: false,
                defaultValue: 20);

            migrationBuilder.AddColumn<int>(
                name: "MaxTeacherSessions",
                table: "IntakeResponses",
                type: "integer",
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
