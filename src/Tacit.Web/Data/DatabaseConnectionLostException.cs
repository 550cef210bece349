using System.Data.Common;

namespace Tacit.Web.Data;

/// <summary>
/// The connection under a transaction was lost without the statement that met the loss saying so: Npgsql can read
/// PostgreSQL's "terminating connection" while it finishes an answer it already gave (as a restart cuts every
/// connection), and then ends the transaction itself, so the next statement finds it over. Nothing was committed, and
/// the database is away for the moment: a transient failure, answered 503 like any other.
/// </summary>
public sealed class DatabaseConnectionLostException(Exception inner)
    : DbException("The connection to the database was lost during the transaction; nothing was committed.", inner)
{
    public override bool IsTransient => true;
}
