using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Rendering;

namespace Tacit.Web.Components.Shared;

/// <summary>
/// A bound drop-down list for statically rendered forms. <see cref="InputSelect{TValue}"/> writes the current value as a
/// <c>value</c> attribute on <c>&lt;select&gt;</c>, which HTML does not allow; this marks the chosen option
/// <c>selected</c> instead, and keeps InputSelect's binding, validation state and <c>aria-invalid</c>.
/// </summary>
public sealed class OptionSelect<TValue> : InputSelect<TValue>
{
    /// <summary>The options in order: the value each stands for and the text people read.</summary>
    [Parameter, EditorRequired] public IReadOnlyList<KeyValuePair<TValue, string>> Options { get; set; } = [];

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "select");
        builder.AddMultipleAttributes(1, AdditionalAttributes);
        builder.AddAttribute(2, "name", NameAttributeValue);
        builder.AddAttribute(3, "class", CssClass);
        builder.AddAttribute(4, "onchange", EventCallback.Factory.CreateBinder<string?>(this, value => CurrentValueAsString = value, CurrentValueAsString));
        foreach (var (value, text) in Options)
        {
            var asString = BindConverter.FormatValue(value)?.ToString() ?? "";
            builder.OpenElement(5, "option");
            builder.AddAttribute(6, "value", asString);
            builder.AddAttribute(7, "selected", EqualityComparer<TValue>.Default.Equals(value, CurrentValue));
            builder.AddContent(8, text);
            builder.CloseElement();
        }
        builder.CloseElement();
    }
}
