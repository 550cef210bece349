using Microsoft.EntityFrameworkCore;

namespace Tacit.Web.Data;

public static class BulkInsert
{
    /// <summary>
    /// Inserts many rows in batches, saving and detaching each batch so the change tracker stays small (tens of
    /// thousands of proposals or notifications would otherwise make every save scan them all). Run it inside a
    /// transaction when the rows must appear all or not at all.
    /// </summary>
    public static async Task InsertAsync<T>(this TacitDbContext db, IEnumerable<T> rows, CancellationToken ct, int batchSize = 2000)
        where T : class
    {
        var batch = new List<T>(batchSize);
        foreach (var row in rows)
        {
            batch.Add(row);
            if (batch.Count == batchSize) await FlushAsync();
        }
        await FlushAsync();

        async Task FlushAsync()
        {
            if (batch.Count == 0) return;
            db.AddRange(batch);
            await db.SaveChangesAsync(ct);
            foreach (var row in batch) db.Entry(row).State = EntityState.Detached;
            batch.Clear();
        }
    }
}
