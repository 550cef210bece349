using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tacit.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RemindersReviewAndOutbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "PreviousCycleId",
                table: "Cycles",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CarriedWants",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CycleId = table.Column<Guid>(type: "TEXT", nullable: false),
                    FromCycleId = table.Column<Guid>(type: "TEXT", nullable: false),
                    LearnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SkillId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CarriedWants", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CarriedWants_Cycles_CycleId",
                        column: x => x.CycleId,
                        principalTable: "Cycles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OutgoingMail",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ToEmail = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    ToName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Body = table.Column<string>(type: "TEXT", nullable: false),
                    Calendar = table.Column<string>(type: "TEXT", nullable: true),
                    CalendarMethod = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Pending = table.Column<bool>(type: "INTEGER", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutgoingMail", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SentReminders",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SentReminders", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Cycles_PreviousCycleId",
                table: "Cycles",
                column: "PreviousCycleId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CarriedWants_CycleId_LearnerId_SkillId",
                table: "CarriedWants",
                columns: new[] { "CycleId", "LearnerId", "SkillId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OutgoingMail_OrganisationId_Pending_CreatedAt",
                table: "OutgoingMail",
                columns: new[] { "OrganisationId", "Pending", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SentReminders_OrganisationId_Key",
                table: "SentReminders",
                columns: new[] { "OrganisationId", "Key" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_Cycles_Cycles_PreviousCycleId",
                table: "Cycles",
                column: "PreviousCycleId",
                principalTable: "Cycles",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Cycles_Cycles_PreviousCycleId",
                table: "Cycles");

            migrationBuilder.DropTable(
                name: "CarriedWants");

            migrationBuilder.DropTable(
                name: "OutgoingMail");

            migrationBuilder.DropTable(
                name: "SentReminders");

            migrationBuilder.DropIndex(
                name: "IX_Cycles_PreviousCycleId",
                table: "Cycles");

            migrationBuilder.DropColumn(
                name: "PreviousCycleId",
                table: "Cycles");
        }
    }
}
