using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tacit.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EvidenceTrainingAndPacks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "EvidencePacks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    Title = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    From = table.Column<DateOnly>(type: "date", nullable: true),
                    To = table.Column<DateOnly>(type: "date", nullable: true),
                    Contents = table.Column<int>(type: "integer", nullable: false),
                    SharedWithId = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    WithdrawnAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvidencePacks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EvidencePacks_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_EvidencePacks_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_EvidencePacks_People_SharedWithId",
                        column: x => x.SharedWithId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SubmittedTraining",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    What = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    On = table.Column<DateOnly>(type: "date", nullable: false),
                    Hours = table.Column<double>(type: "double precision", nullable: false),
                    SkillIds = table.Column<Guid[]>(type: "uuid[]", nullable: false),
                    Link = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    FileName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    FileContentType = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    FileSha2 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ConfirmerId = table.Column<Guid>(type: "uuid", nullable: true),
                    Confirmation = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    AnsweredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SubmittedTraining", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SubmittedTraining_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SubmittedTraining_People_ConfirmerId",
                        column: x => x.ConfirmerId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SubmittedTraining_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EvidencePackOpenings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    PackId = table.Column<Guid>(type: "uuid", nullable: false),
                    OpenedById = table.Column<Guid>(type: "uuid", nullable: false),
                    OpenedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvidencePackOpenings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EvidencePackOpenings_EvidencePacks_PackId",
                        column: x => x.PackId,
                        principalTable: "EvidencePacks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_EvidencePackOpenings_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_EvidencePackOpenings_People_OpenedById",
                        column: x => x.OpenedById,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_EvidencePackOpenings_OpenedById",
                table: "EvidencePackOpenings",
                column: "OpenedById");

            migrationBuilder.CreateIndex(
                name: "IX_EvidencePackOpenings_OrganisationId_PackId",
                table: "EvidencePackOpenings",
                columns: new[] { "OrganisationId", "PackId" });

            migrationBuilder.CreateIndex(
                name: "IX_EvidencePackOpenings_PackId",
                table: "EvidencePackOpenings",
                column: "PackId");

            migrationBuilder.CreateIndex(
                name: "IX_EvidencePacks_OrganisationId_PersonId",
                table: "EvidencePacks",
                columns: new[] { "OrganisationId", "PersonId" });

            migrationBuilder.CreateIndex(
                name: "IX_EvidencePacks_OrganisationId_SharedWithId",
                table: "EvidencePacks",
                columns: new[] { "OrganisationId", "SharedWithId" });

            migrationBuilder.CreateIndex(
                name: "IX_EvidencePacks_PersonId",
                table: "EvidencePacks",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_EvidencePacks_SharedWithId",
                table: "EvidencePacks",
                column: "SharedWithId");

            migrationBuilder.CreateIndex(
                name: "IX_SubmittedTraining_ConfirmerId",
                table: "SubmittedTraining",
                column: "ConfirmerId");

            migrationBuilder.CreateIndex(
                name: "IX_SubmittedTraining_OrganisationId_ConfirmerId",
                table: "SubmittedTraining",
                columns: new[] { "OrganisationId", "ConfirmerId" });

            migrationBuilder.CreateIndex(
                name: "IX_SubmittedTraining_OrganisationId_PersonId_On",
                table: "SubmittedTraining",
                columns: new[] { "OrganisationId", "PersonId", "On" });

            migrationBuilder.CreateIndex(
                name: "IX_SubmittedTraining_PersonId",
                table: "SubmittedTraining",
                column: "PersonId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EvidencePackOpenings");

            migrationBuilder.DropTable(
                name: "SubmittedTraining");

            migrationBuilder.DropTable(
                name: "EvidencePacks");
        }
    }
}
