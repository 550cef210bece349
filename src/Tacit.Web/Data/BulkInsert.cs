using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Tacit.Domain;

namespace Tacit.Web.Data;

/// <summary>
/// Inserts many new rows of one entity type at once, bypassing the change tracker: PostgreSQL's binary COPY
/// (<see cref="PostgresBinaryCopy"/>), or on SQLite multi-row INSERTs. A match run's tens of thousands of proposals took
/// seconds through SaveChanges (issue 13); this writes them in a fraction of that.
/// </summary>
/// <remarks>
/// The columns and their values come from the EF model (the same column names, value converters and parameter types
/// SaveChanges uses), so a row written here reads back exactly as one saved through EF. It writes on the context's
/// connection and in its current transaction: run it inside <see cref="UseCaseTransaction"/> when several inserts must
/// appear all or not at all. One call stores all its rows or, if anything fails, none of them. Rows of another
/// organisation are refused, as SaveChanges refuses them; a duplicate key is a <see cref="ConflictException"/>, as from
/// SaveChanges.
/// </remarks>
public static class BulkInsert
{
    /// <summary>SQLite binds at most 32,766 parameters a statement; a few hundred rows a statement is already as fast.</summary>
    private const int SqliteParametersPerStatement = 8000;

    public static async Task InsertAsync<T>(this TacitDbContext db, IEnumerable<T> rows, CancellationToken ct) where T : class
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        if (entity.GetComplexProperties().Any() || entity.GetNavigations().Any(n => n.TargetEntityType.IsOwned()))
            throw new NotSupportedException($"{typeof(T).Name} has owned or complex parts, which a bulk insert does not write.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties()
            .Select(p => new Column(p, p.GetColumnName(table) ?? throw new InvalidOperationException($"{p.Name} has no column."), (RelationalTypeMapping)p.GetRelationalTypeMapping()))
            .ToList();
        var organisation = db.CurrentOrganisationId;
        var checkedRows = rows.Select(row => row is ITenantOwned owned && owned.OrganisationId != organisation
            ? throw new InvalidOperationException($"Refused to save a {typeof(T).Name} of another organisation.")
            : row);

        var sql = db.GetService<ISqlGenerationHelper>();
        var tableName = sql.DelimitIdentifier(table.Name, table.Schema);
        var columnNames = string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)));
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            if (connection is Npgsql.NpgsqlConnection postgres) await CopyAsync(postgres, $"COPY {tableName} ({columnNames}) FROM STDIN (FORMAT BINARY)", columns, checkedRows, ct);
            else if (db.Database.CurrentTransaction is { } current)
                await InsertInBatchesAsync(connection, current.GetDbTransaction(), $"INSERT INTO {tableName} ({columnNames}) VALUES ", columns, checkedRows, ct);
            else
            {
                // Several statements: in a transaction of their own, so that a failure part way leaves none of the rows, as a COPY does.
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await InsertInBatchesAsync(connection, transaction, $"INSERT INTO {tableName} ({columnNames}) VALUES ", columns, checkedRows, ct);
                await transaction.CommitAsync(ct);
            }
        }
        catch (Exception e) when (IsUniqueViolation(e))
        {
            throw TacitDbContext.SavedAtTheSameMoment(e);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private sealed record Column(IProperty Property, string Name, RelationalTypeMapping Mapping)
    {
        /// <summary>The value as the database stores it: after the property's converter (an enum's name, a list as JSON on SQLite).</summary>
        public object? ProviderValue(object row)
        {
            var value = Property.GetGetter().GetClrValue(row);
            return value is null || Mapping.Converter is null ? value : Mapping.Converter.ConvertToProvider(value);
        }
    }

    /// <summary>One binary COPY for all rows (<see cref="PostgresBinaryCopy"/>): all of them are stored, or none.</summary>
    private static Task CopyAsync<T>(Npgsql.NpgsqlConnection connection, string copy, List<Column> columns, IEnumerable<T> rows, CancellationToken ct)
        where T : class =>
        PostgresBinaryCopy.For(columns.Select(c => (c.Name, c.Mapping.StoreType)))
            .WriteAsync(connection, copy, rows, (row, i) => columns[i].ProviderValue(row), ct);

    /// <summary>INSERT … VALUES (…), (…), … with as many rows a statement as SQLite binds parameters; parameters made by each column's type mapping, as SaveChanges makes them.</summary>
    private static async Task InsertInBatchesAsync<T>(DbConnection connection, DbTransaction? transaction, string insert, List<Column> columns, IEnumerable<T> rows, CancellationToken ct)
        where T : class
    {
        int rowsPerStatement = Math.Max(1, SqliteParametersPerStatement / columns.Count);
        var batch = new List<T>(rowsPerStatement);
        foreach (var row in rows)
        {
            batch.Add(row);
            if (batch.Count == rowsPerStatement) await FlushAsync();
        }
        await FlushAsync();

        async Task FlushAsync()
        {
            if (batch.Count == 0) return;
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var text = new StringBuilder(insert);
            int parameter = 0;
            foreach (var row in batch)
            {
                text.Append(parameter == 0 ? "(" : ", (");
                for (int i = 0; i < columns.Count; i++)
                {
                    var name = "@p" + parameter++;
                    text.Append(i == 0 ? name : ", " + name);
                    // CreateParameter applies the converter itself, so it is given the model's value.
                    command.Parameters.Add(columns[i].Mapping.CreateParameter(command, name, columns[i].Property.GetGetter().GetClrValue(row), columns[i].Property.IsNullable));
                }
                text.Append(')');
            }
            command.CommandText = text.ToString();
            await command.ExecuteNonQueryAsync(ct);
            batch.Clear();
        }
    }

    internal static bool IsUniqueViolation(Exception e) =>
        e is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation }
        || e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };
}
