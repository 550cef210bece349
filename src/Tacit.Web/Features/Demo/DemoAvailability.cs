using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tacit.Domain;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Demo;

public sealed class DemoOptions
{
    /// <summary>
    /// <c>Demo__Enabled</c>: true or false forces the demo on or off. Unset, the demo is offered only while the database
    /// holds no organisation but the demo, so a fresh local <c>./run.sh</c> offers it and a server with a real
    /// organisation does not.
    /// </summary>
    public bool? Enabled { get; set; }
}

/// <summary>Whether this server offers the demo, and why not when it does not.</summary>
public sealed record DemoStatus(bool Offered, bool Loaded, string? WhyNot);

public sealed class DemoAvailability(TacitDbContext db, IOptions<DemoOptions> options)
{
    public async Task<DemoStatus> StatusAsync(CancellationToken cancellationToken = default)
    {
        var loaded = await db.Organisations.AnyAsync(o => o.IsDemo, cancellationToken);
        if (options.Value.Enabled is { } forced)
            return new DemoStatus(forced, loaded, forced ? null : "The demo is turned off on this server (Demo__Enabled=false).");
        var realOrganisation = await db.Organisations.AnyAsync(o => !o.IsDemo, cancellationToken);
        return realOrganisation
            ? new DemoStatus(false, loaded, "The demo is turned off because this server holds a real organisation (an operator can set Demo__Enabled=true).")
            : new DemoStatus(true, loaded, null);
    }

    /// <summary>Throws <see cref="ForbiddenException"/>, saying why, when the demo is not offered.</summary>
    public async Task RequireOfferedAsync(CancellationToken cancellationToken = default)
    {
        var status = await StatusAsync(cancellationToken);
        if (!status.Offered) throw new ForbiddenException(status.WhyNot!);
    }
}
