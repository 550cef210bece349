using Microsoft.AspNetCore.Components.Forms;
using Tacit.Domain;

namespace Tacit.Web.Components.Shared;

/// <summary>Shows a refused action's message next to the field it is about, or above the form when it names none.</summary>
public static class FormErrors
{
    public static void Show(EditContext context, ValidationMessageStore store, DomainException error)
    {
        var properties = context.Model.GetType();
        // Forms often ask for a thing by name where the domain names its id (Skill for SkillId).
        var name = error.Field switch
        {
            { } f when properties.GetProperty(f) is not null => f,
            { } f when f.EndsWith("Id", StringComparison.Ordinal) && properties.GetProperty(f[..^2]) is not null => f[..^2],
            _ => null,
        };
        var field = name is null ? new FieldIdentifier(context.Model, string.Empty) : context.Field(name);
        store.Add(field, error.Message);
        context.NotifyValidationStateChanged();
    }
}
