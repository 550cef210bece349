using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tacit.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LearningRecordStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LrsCredentials",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    SecretHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LrsCredentials", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LrsCredentials_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "XapiActivities",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ActivityId = table.Column<string>(type: "TEXT", nullable: false),
                    ActivityIdHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_XapiActivities", x => x.Id);
                    table.ForeignKey(
                        name: "FK_XapiActivities_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "XapiAttachments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sha2 = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_XapiAttachments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_XapiAttachments_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "XapiDocuments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    ScopeHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DocumentId = table.Column<string>(type: "TEXT", nullable: false),
                    DocumentIdHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false),
                    ETag = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    Updated = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_XapiDocuments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_XapiDocuments_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "XapiStatements",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StatementId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    Stored = table.Column<long>(type: "INTEGER", nullable: false),
                    VoidsStatementId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Voided = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_XapiStatements", x => x.Id);
                    table.ForeignKey(
                        name: "FK_XapiStatements_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "XapiStatementKeys",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StatementRowId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_XapiStatementKeys", x => x.Id);
                    table.ForeignKey(
                        name: "FK_XapiStatementKeys_XapiStatements_StatementRowId",
                        column: x => x.StatementRowId,
                        principalTable: "XapiStatements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LrsCredentials_Key",
                table: "LrsCredentials",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LrsCredentials_OrganisationId",
                table: "LrsCredentials",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_XapiActivities_OrganisationId_ActivityIdHash",
                table: "XapiActivities",
                columns: new[] { "OrganisationId", "ActivityIdHash" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_XapiAttachments_OrganisationId_Sha2",
                table: "XapiAttachments",
                columns: new[] { "OrganisationId", "Sha2" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_XapiDocuments_OrganisationId_Kind_ScopeHash_DocumentIdHash",
                table: "XapiDocuments",
                columns: new[] { "OrganisationId", "Kind", "ScopeHash", "DocumentIdHash" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_XapiStatementKeys_OrganisationId_Kind_Hash_StatementRowId",
                table: "XapiStatementKeys",
                columns: new[] { "OrganisationId", "Kind", "Hash", "StatementRowId" });

            migrationBuilder.CreateIndex(
                name: "IX_XapiStatementKeys_StatementRowId",
                table: "XapiStatementKeys",
                column: "StatementRowId");

            migrationBuilder.CreateIndex(
                name: "IX_XapiStatements_OrganisationId_StatementId",
                table: "XapiStatements",
                columns: new[] { "OrganisationId", "StatementId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_XapiStatements_OrganisationId_Stored",
                table: "XapiStatements",
                columns: new[] { "OrganisationId", "Stored" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LrsCredentials");

            migrationBuilder.DropTable(
                name: "XapiActivities");

            migrationBuilder.DropTable(
                name: "XapiAttachments");

            migrationBuilder.DropTable(
                name: "XapiDocuments");

            migrationBuilder.DropTable(
                name: "XapiStatementKeys");

            migrationBuilder.DropTable(
                name: "XapiStatements");
        }
    }
}
