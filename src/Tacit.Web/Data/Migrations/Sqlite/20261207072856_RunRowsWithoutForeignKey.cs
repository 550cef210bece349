using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tacit.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RunRowsWithoutForeignKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Proposals_MatchRuns_RunId",
                table: "Proposals");

            migrationBuilder.DropForeignKey(
                name: "FK_UnmetWants_MatchRuns_RunId",
                table: "UnmetWants");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddForeignKey(
                name: "FK_Proposals_MatchRuns_RunId",
                table: "Proposals",
                column: "RunId",
                principalTable: "MatchRuns",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_UnmetWants_MatchRuns_RunId",
                table: "UnmetWants",
                column: "RunId",
                principalTable: "MatchRuns",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
