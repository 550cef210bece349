using Tacit.Web.Tenancy;

namespace Tacit.Web.Infrastructure;

/// <summary>Fills <see cref="CurrentUser"/> and the request's organisation from whoever signed in, before any feature runs.</summary>
public sealed class CurrentUserMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, CurrentUser current, TenantContext tenant)
    {
        current.Fill(context.User);
        if (current.IsSignedIn) tenant.Use(current.OrganisationId);
        await next(context);
    }
}
