using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tacit.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MailerOutboxIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Notifications_EmailPending",
                table: "Notifications");

            migrationBuilder.CreateIndex(
                name: "IX_People_MailImmediately",
                table: "People",
                column: "Id",
                filter: "\"MailImmediately\"");

            migrationBuilder.CreateIndex(
                name: "IX_People_NextDigestAt",
                table: "People",
                column: "NextDigestAt");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_PendingByPerson",
                table: "Notifications",
                columns: new[] { "PersonId", "CreatedAt" },
                filter: "\"EmailPending\"");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_PendingUrgent",
                table: "Notifications",
                column: "CreatedAt",
                filter: "\"EmailPending\" AND \"Urgent\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_People_MailImmediately",
                table: "People");

            migrationBuilder.DropIndex(
                name: "IX_People_NextDigestAt",
                table: "People");

            migrationBuilder.DropIndex(
                name: "IX_Notifications_PendingByPerson",
                table: "Notifications");

            migrationBuilder.DropIndex(
                name: "IX_Notifications_PendingUrgent",
                table: "Notifications");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_EmailPending",
                table: "Notifications",
                column: "EmailPending",
                filter: "\"EmailPending\"");
        }
    }
}
