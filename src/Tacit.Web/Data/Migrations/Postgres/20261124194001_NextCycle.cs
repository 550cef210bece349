using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tacit.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class NextCycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "PreviousCycleId",
                table: "Cycles",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CarriedWants",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    CycleId = table.Column<Guid>(type: "uuid", nullable: false),
                    FromCycleId = table.Column<Guid>(type: "uuid", nullable: false),
                    LearnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    SkillId = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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

            migrationBuilder.DropIndex(
                name: "IX_Cycles_PreviousCycleId",
                table: "Cycles");

            migrationBuilder.DropColumn(
                name: "PreviousCycleId",
                table: "Cycles");
        }
    }
}
