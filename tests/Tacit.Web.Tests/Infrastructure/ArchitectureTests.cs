using System.Reflection;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;

namespace Tacit.Web.Tests.Infrastructure;

/// <summary>
/// The shape docs/architecture.md describes, checked: a page reads and writes only through its feature, forms bind to
/// models, and the domain and the engine depend on nothing. Each failure names what broke the rule.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Web = typeof(Program).Assembly;

    [Fact]
    public void No_component_injects_a_database_context()
    {
        var offending = Components()
            .SelectMany(c => c.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .Where(p => p.GetCustomAttribute<InjectAttribute>() is not null && IsDatabase(p.PropertyType))
                .Select(p => $"{c.FullName} injects {p.PropertyType.Name} as {p.Name}"))
            .ToList();
        Assert.True(offending.Count == 0, "A page calls its feature's query or use case, never the database:\n" + string.Join("\n", offending));
    }

    [Fact]
    public void The_checks_above_see_every_page()
    {
        // A check over no components would pass for ever: it must find the pages it guards, by their routes.
        var routed = Components().Count(c => c.GetCustomAttributes<RouteAttribute>().Any());
        Assert.True(routed >= 30, $"found only {routed} routed components");
    }

    [Fact]
    public void No_page_reads_the_raw_form()
    {
        var offending = RazorFiles().Where(f => File.ReadAllText(f).Contains("Request.Form", StringComparison.Ordinal)).ToList();
        Assert.True(offending.Count == 0, "Forms bind to [SupplyParameterFromForm] models:\n" + string.Join("\n", offending));
    }

    [Theory]
    [InlineData("Tacit.Domain")]
    [InlineData("Tacit.Matching")]
    public void The_domain_and_the_engine_depend_on_nothing(string name)
    {
        var references = Assembly.Load(name).GetReferencedAssemblies().Select(r => r.Name!)
            .Where(r => r != "netstandard" && !r.StartsWith("System", StringComparison.Ordinal) && r != "mscorlib")
            .ToList();
        Assert.True(references.Count == 0, $"{name} references {string.Join(", ", references)}");
    }

    private static IEnumerable<Type> Components() =>
        Web.GetTypes().Where(t => typeof(IComponent).IsAssignableFrom(t) && t.Namespace?.StartsWith("Tacit.Web.Components", StringComparison.Ordinal) == true);

    private static bool IsDatabase(Type type) =>
        typeof(DbContext).IsAssignableFrom(type)
        || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDbContextFactory<>));

    private static string[] RazorFiles()
    {
        var files = Directory.GetFiles(Repository.PathOf("src", "Tacit.Web", "Components"), "*.razor", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        return files;
    }
}
