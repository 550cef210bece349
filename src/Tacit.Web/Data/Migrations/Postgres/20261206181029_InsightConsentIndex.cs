using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tacit.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InsightConsentIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_People_RecognisedByOrganisation",
                table: "People",
                columns: new[] { "OrganisationId", "Id" },
                filter: "\"IsActive\" AND \"RecognitionVisibility\" = 1");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_People_RecognisedByOrganisation",
                table: "People");
        }
    }
}
