using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Migrations.Operations.Builders;

namespace Tacit.Web.Data;

/// <summary>
/// SQL that EF's model cannot express (triggers and their functions) lives in <c>Data/Sql/*.sql</c>, embedded in the
/// assembly, and a migration applies it by name: the SQL reads as SQL, and each provider's file sits beside the other's.
/// </summary>
public static class SqlScripts
{
    public static string Read(string name)
    {
        using var stream = typeof(SqlScripts).Assembly.GetManifestResourceStream($"Tacit.Web.Data.Sql.{name}")
            ?? throw new InvalidOperationException($"No embedded SQL script named {name} (Data/Sql/{name}).");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Applies the embedded script <c>Data/Sql/{name}</c> in this migration.</summary>
    public static OperationBuilder<SqlOperation> SqlScript(this MigrationBuilder migrationBuilder, string name) =>
        migrationBuilder.Sql(Read(name));
}
