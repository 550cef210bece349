using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Tacit.Domain;

namespace Tacit.Web.Data;

/// <summary>
/// One <c>INSERT INTO … SELECT … FROM …</c> that makes new rows of <typeparamref name="T"/> from rows already in the
/// database, without loading them: a publish turns a run's proposals into offers and notifications this way (issue 13).
/// </summary>
/// <remarks>
/// Every column not computed from the source rows takes its value from <paramref name="template"/>, a row built by the
/// domain's own constructor, through the same type mapping and converter SaveChanges uses — so a row made here reads back
/// as one the constructor made and SaveChanges stored (status, times, empty texts and lists). The SQL is the same on both
/// providers but for what each spells differently (<see cref="IsPostgres"/>, <see cref="NewId"/>). It runs on the
/// context's connection and in its current transaction. A duplicate key is a <see cref="ConflictException"/>.
/// </remarks>
public sealed class InsertSelect<T> where T : class
{
    private readonly TacitDbContext db;
    private readonly T template;
    private readonly IEntityType entity;
    private readonly DbCommand command;
    private readonly Dictionary<string, string> computed = [];

    public InsertSelect(TacitDbContext db, T template)
    {
        if (template is ITenantOwned owned && owned.OrganisationId != db.CurrentOrganisationId)
            throw new InvalidOperationException($"Refused to save a {typeof(T).Name} of another organisation.");
        this.db = db;
        this.template = template;
        entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        command = db.Database.GetDbConnection().CreateCommand();
    }

    public bool IsPostgres => db.Database.IsNpgsql();

    /// <summary>The column of <paramref name="property"/> is <paramref name="sql"/>, an expression over the source rows.</summary>
    public InsertSelect<T> Set(string property, string sql)
    {
        if (entity.FindProperty(property) is null) throw new InvalidOperationException($"{typeof(T).Name} has no property {property}.");
        computed[property] = sql;
        return this;
    }

    /// <summary>A parameter holding <paramref name="value"/> as <typeparamref name="TEntity"/>'s <paramref name="property"/> is stored.</summary>
    public string Parameter<TEntity>(string property, object? value) =>
        Add(db.Model.FindEntityType(typeof(TEntity))!.FindProperty(property)!, value);

    /// <summary>A parameter holding a piece of text.</summary>
    public string Text(string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@p" + command.Parameters.Count;
        parameter.Value = value;
        parameter.DbType = System.Data.DbType.String;
        command.Parameters.Add(parameter);
        return parameter.ParameterName;
    }

    /// <summary>
    /// A new version 7 id for every row, with <paramref name="now"/>'s millisecond and random bits, as
    /// <see cref="Guid.CreateVersion7(DateTimeOffset)"/> makes it (PostgreSQL 15 has no uuidv7(); SQLite stores ids as
    /// upper-case text).
    /// </summary>
    public string NewId(DateTimeOffset now)
    {
        long milliseconds = now.ToUnixTimeMilliseconds();
        if (IsPostgres)
            return $"encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing substring(int8send({milliseconds}::bigint) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid";
        var time = milliseconds.ToString("X12", System.Globalization.CultureInfo.InvariantCulture);
        return $"'{time[..8]}-{time[8..]}-7' || substr(hex(randomblob(2)), 1, 3) || '-' || substr('89AB', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 1, 3) || '-' || hex(randomblob(6))";
    }

    /// <summary>
    /// Text made in SQL by a C# function of text arguments: <paramref name="make"/> is called with markers, and what it
    /// returns becomes a concatenation of its literal pieces (parameters) and <paramref name="arguments"/> (SQL expressions),
    /// cut to <paramref name="maxLength"/> characters. The wording stays in one place, the C# function.
    /// </summary>
    public string Concat(Func<string[], string> make, int maxLength, params string[] arguments)
    {
        var made = make([.. arguments.Select((_, i) => $"\u0001{i}\u0001")]);
        // Split on the marker's character, pieces alternate: literal text, an argument's number, literal text, …
        var pieces = made.Split('\u0001');
        var sql = new StringBuilder();
        for (int i = 0; i < pieces.Length; i++)
        {
            if (i % 2 == 0 && pieces[i].Length == 0) continue;
            if (sql.Length > 0) sql.Append(" || ");
            sql.Append(i % 2 == 0 ? Text(pieces[i]) : arguments[int.Parse(pieces[i], System.Globalization.CultureInfo.InvariantCulture)]);
        }
        return $"substr({sql}, 1, {maxLength})";
    }

    /// <summary>Inserts one row for each row <paramref name="fromAndWhere"/> (the rest of the SELECT) yields; returns how many.</summary>
    public async Task<int> ExecuteAsync(string fromAndWhere, CancellationToken ct)
    {
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().ToList();
        var sql = db.GetService<ISqlGenerationHelper>();
        var values = columns.Select(p => computed.TryGetValue(p.Name, out var expression) ? expression : Add(p, p.GetGetter().GetClrValue(template))).ToList();
        command.CommandText = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)))})\n"
            + $"SELECT {string.Join(", ", values)}\n{fromAndWhere}";
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            return await command.ExecuteNonQueryAsync(ct);
        }
        catch (Exception e) when (BulkInsert.IsUniqueViolation(e))
        {
            throw TacitDbContext.SavedAtTheSameMoment(e);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
            await command.DisposeAsync();
        }
    }

    private string Add(IProperty property, object? value)
    {
        var name = "@p" + command.Parameters.Count;
        // CreateParameter applies the property's converter itself, as SaveChanges does.
        command.Parameters.Add(((RelationalTypeMapping)property.GetRelationalTypeMapping()).CreateParameter(command, name, value, property.IsNullable));
        return name;
    }
}
