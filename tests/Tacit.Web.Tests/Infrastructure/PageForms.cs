using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Tacit.Web.Tests.Infrastructure;

/// <summary>One field of a form as the page rendered it: its kind (an input's type, textarea, select) and what a browser would send for it.</summary>
public sealed record FormField(string Name, string Value, string Type)
{
    public bool IsFile => Type == "file";
}

/// <summary>
/// A form as a page rendered it: where and how it is sent, the Blazor handler it names (<c>_handler</c>, empty for a
/// plain GET form), and its fields with the values a browser would send unchanged (the antiforgery token among them).
/// </summary>
public sealed record PageForm(string Page, string Action, bool IsPost, bool IsMultipart, string Handler, IReadOnlyList<FormField> Fields)
{
    public const string HandlerField = "_handler";
    public const string AntiforgeryField = "__RequestVerificationToken";

    /// <summary>The fields a person (or a careless client) can change: all but the handler and the antiforgery token.</summary>
    public IEnumerable<string> Editable => Fields.Select(f => f.Name).Where(n => n is not HandlerField and not AntiforgeryField).Distinct();

    public override string ToString() => $"{(IsPost ? "POST" : "GET")} {Action}{(Handler.Length > 0 ? $" ({Handler})" : "")}";

    /// <summary>The request a browser sends for the form with <paramref name="fields"/> instead of its own.</summary>
    /// <param name="multipart">Sent as multipart/form-data even where the form says otherwise (a client may).</param>
    public HttpRequestMessage Request(IEnumerable<FormField> fields, bool multipart = false)
    {
        if (!IsPost)
            return new HttpRequestMessage(HttpMethod.Get, $"{Action.Split('?')[0]}?{string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Name)}={Uri.EscapeDataString(f.Value)}"))}");
        HttpContent content;
        if (IsMultipart || multipart)
        {
            var parts = new MultipartFormDataContent();
            foreach (var f in fields)
            {
                if (f.IsFile) parts.Add(new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(f.Value)), f.Name, "people.csv");
                else parts.Add(new StringContent(f.Value), f.Name);
            }
            content = parts;
        }
        else content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));
        return new HttpRequestMessage(HttpMethod.Post, Action) { Content = content };
    }
}

/// <summary>Reads a page's HTML as a browser does: the forms it can send and the links it can follow.</summary>
public static class PageForms
{
    private static readonly HtmlParser Parser = new();

    public static IReadOnlyList<PageForm> Read(string page, string html)
    {
        var document = Parser.ParseDocument(html);
        var forms = new List<PageForm>();
        foreach (var form in document.Forms)
        {
            var isPost = string.Equals(form.Method, "post", StringComparison.OrdinalIgnoreCase);
            var action = form.GetAttribute("action") is { Length: > 0 } set ? set : page;
            var fields = new List<FormField>();
            foreach (var element in form.Elements)
            {
                switch (element)
                {
                    case IHtmlInputElement input when input.Name is { Length: > 0 } name:
                        var type = (input.Type ?? "text").ToLowerInvariant();
                        if (type is "checkbox" or "radio" && !input.IsChecked) break;
                        if (type is "submit" or "button" or "reset" or "image") break;
                        fields.Add(new FormField(name, type == "file" ? "" : input.Value ?? (type is "checkbox" or "radio" ? "on" : ""), type));
                        break;
                    case IHtmlTextAreaElement area when area.Name is { Length: > 0 } name:
                        fields.Add(new FormField(name, area.Value, "textarea"));
                        break;
                    case IHtmlSelectElement select when select.Name is { Length: > 0 } name:
                        var chosen = select.Options.Where(o => o.IsSelected).ToList();
                        if (chosen.Count == 0 && !select.IsMultiple && select.Options.Length > 0) chosen = [select.Options[0]!];
                        fields.AddRange(chosen.Select(o => new FormField(name, o.Value, "select")));
                        break;
                    case IHtmlButtonElement button when button.Name is { Length: > 0 } name && button.Type == "submit":
                        // The first named submit button is the one pressed.
                        if (!fields.Any(f => f.Name == name)) fields.Add(new FormField(name, button.Value, "submit"));
                        break;
                }
            }
            var handler = fields.FirstOrDefault(f => f.Name == PageForm.HandlerField)?.Value ?? "";
            forms.Add(new PageForm(page, action, isPost, string.Equals(form.Enctype, "multipart/form-data", StringComparison.OrdinalIgnoreCase), handler, fields));
        }
        return forms;
    }

    /// <summary>The site's own paths the page links to, without query or fragment.</summary>
    public static IEnumerable<string> Links(string html) =>
        Parser.ParseDocument(html).QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!)
            .Where(href => href.StartsWith('/') && !href.StartsWith("//", StringComparison.Ordinal))
            .Select(href => href.Split('#', '?')[0])
            .Distinct();
}
