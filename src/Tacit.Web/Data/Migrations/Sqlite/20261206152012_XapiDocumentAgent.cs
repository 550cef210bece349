using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tacit.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class XapiDocumentAgent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AgentHash",
                table: "XapiDocuments",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_XapiDocuments_OrganisationId_AgentHash",
                table: "XapiDocuments",
                columns: new[] { "OrganisationId", "AgentHash" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_XapiDocuments_OrganisationId_AgentHash",
                table: "XapiDocuments");

            migrationBuilder.DropColumn(
                name: "AgentHash",
                table: "XapiDocuments");
        }
    }
}
