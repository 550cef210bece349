using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tacit.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MailDigestAndCheckIn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "MailImmediately",
                table: "People",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "NextDigestAt",
                table: "People",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Urgent",
                table: "Notifications",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "PartnerCheckIn",
                table: "Commitments",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "PartnerCheckedInAt",
                table: "Commitments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PartnerNote",
                table: "Commitments",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "MailImmediately",
                table: "People");

            migrationBuilder.DropColumn(
                name: "NextDigestAt",
                table: "People");

            migrationBuilder.DropColumn(
                name: "Urgent",
                table: "Notifications");

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
