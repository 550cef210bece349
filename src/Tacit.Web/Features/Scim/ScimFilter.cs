using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tacit.Web.Features.Scim;

/// <summary>
/// A SCIM filter (RFC 7644 §3.4.2.2): comparisons eq, ne, co, sw, ew, gt, ge, lt, le and pr, joined with and, or, not
/// and parentheses, and value paths (<c>emails[type eq "work" and value co "@example.com"]</c>). Evaluated against a
/// resource's SCIM JSON, so every attribute Tacit shows can be filtered on.
/// </summary>
public abstract record ScimFilter
{
    /// <summary>Attributes compared case-sensitively (RFC 7643 caseExact); every other string compares ignoring case.</summary>
    private static readonly HashSet<string> CaseExact = new(StringComparer.OrdinalIgnoreCase) { "id", "externalId", "version" };

    public abstract bool Matches(JsonObject resource);

    public static ScimFilter Parse(string text)
    {
        var parser = new Parser(text);
        var filter = parser.ParseOr();
        parser.SkipSpace();
        if (!parser.AtEnd) throw Invalid($"Unexpected '{parser.Rest}' in the filter.");
        return filter;
    }

    public sealed record And(ScimFilter Left, ScimFilter Right) : ScimFilter
    {
        public override bool Matches(JsonObject resource) => Left.Matches(resource) && Right.Matches(resource);
    }

    public sealed record Or(ScimFilter Left, ScimFilter Right) : ScimFilter
    {
        public override bool Matches(JsonObject resource) => Left.Matches(resource) || Right.Matches(resource);
    }

    public sealed record Not(ScimFilter Inner) : ScimFilter
    {
        public override bool Matches(JsonObject resource) => !Inner.Matches(resource);
    }

    public sealed record Present(ScimPath Path) : ScimFilter
    {
        public override bool Matches(JsonObject resource) => ScimJson.Values(resource, Path).Any(v => v switch
        {
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>().Length > 0,
            JsonValue value => value.GetValueKind() != JsonValueKind.Null,
            JsonArray array => array.Count > 0,
            _ => true,
        });
    }

    public sealed record Compare(ScimPath Path, string Operator, JsonNode? Value) : ScimFilter
    {
        public override bool Matches(JsonObject resource)
        {
            var exact = CaseExact.Contains(Path.SubAttribute ?? Path.Attribute);
            // A multi-valued attribute matches when any of its values does; "ne" when none equals.
            if (Operator == "ne") return !ScimJson.Values(resource, Path).Any(v => Test("eq", v, exact));
            return ScimJson.Values(resource, Path).Any(v => Test(Operator, v, exact));
        }

        private bool Test(string op, JsonNode actual, bool exact)
        {
            if (actual is not JsonValue value) return false;
            var wanted = Value as JsonValue;
            switch (value.GetValueKind())
            {
                case JsonValueKind.String:
                    if (wanted is null || wanted.GetValueKind() != JsonValueKind.String) return false;
                    var (a, b) = (value.GetValue<string>(), wanted.GetValue<string>());
                    var comparison = exact ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
                    if (IsDateTime(a, out var at) && IsDateTime(b, out var bt) && op is "gt" or "ge" or "lt" or "le" or "eq")
                        return Order(op, at.CompareTo(bt));
                    return op switch
                    {
                        "eq" => string.Equals(a, b, comparison),
                        "co" => a.Contains(b, comparison),
                        "sw" => a.StartsWith(b, comparison),
                        "ew" => a.EndsWith(b, comparison),
                        _ => Order(op, string.Compare(a, b, comparison)),
                    };
                case JsonValueKind.True or JsonValueKind.False:
                    if (op != "eq" || wanted is null || wanted.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)) return false;
                    return value.GetValue<bool>() == wanted.GetValue<bool>();
                case JsonValueKind.Number:
                    if (wanted is null || wanted.GetValueKind() != JsonValueKind.Number) return false;
                    var difference = value.GetValue<decimal>().CompareTo(wanted.GetValue<decimal>());
                    return op == "eq" ? difference == 0 : op is "co" or "sw" or "ew" ? false : Order(op, difference);
                default:
                    return false;
            }
        }

        private static bool Order(string op, int difference) => op switch
        {
            "eq" => difference == 0,
            "gt" => difference > 0,
            "ge" => difference >= 0,
            "lt" => difference < 0,
            "le" => difference <= 0,
            _ => false,
        };

        private static bool IsDateTime(string text, out DateTimeOffset moment)
        {
            moment = default;
            return text.Length >= 19 && text[4] == '-' && text[10] == 'T'
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out moment);
        }
    }

    public sealed record ValuePath(ScimPath Path, ScimFilter Inner) : ScimFilter
    {
        public override bool Matches(JsonObject resource) =>
            ScimJson.Values(resource, Path).OfType<JsonObject>().Any(Inner.Matches);
    }

    private static ScimException Invalid(string message) => new(400, ScimException.InvalidFilter, message);

    private sealed class Parser(string text)
    {
        private int _at;
        private int _depth;

        public bool AtEnd => _at >= text.Length;
        public string Rest => text[_at..];

        public void SkipSpace()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++;
        }

        public ScimFilter ParseOr()
        {
            var left = ParseAnd();
            while (TryKeyword("or")) left = new Or(left, ParseAnd());
            return left;
        }

        private ScimFilter ParseAnd()
        {
            var left = ParseUnary();
            while (TryKeyword("and")) left = new And(left, ParseUnary());
            return left;
        }

        private ScimFilter ParseUnary()
        {
            if (++_depth > 32) throw Invalid("The filter nests too deeply.");
            try
            {
                SkipSpace();
                if (TryKeyword("not"))
                {
                    SkipSpace();
                    if (!TryChar('(')) throw Invalid("'not' must be followed by a filter in parentheses.");
                    var inner = ParseOr();
                    Expect(')');
                    return new Not(inner);
                }
                if (TryChar('('))
                {
                    var inner = ParseOr();
                    Expect(')');
                    return inner;
                }
                return ParseComparison();
            }
            finally { _depth--; }
        }

        private ScimFilter ParseComparison()
        {
            SkipSpace();
            var start = _at;
            while (_at < text.Length && !char.IsWhiteSpace(text[_at]) && text[_at] is not ('[' or '(' or ')')) _at++;
            if (_at == start) throw Invalid(AtEnd ? "The filter ends where an attribute was expected." : $"An attribute was expected at '{Rest}'.");
            var attribute = text[start.._at];
            if (_at < text.Length && text[_at] == '[')
            {
                _at++;
                var inner = ParseOr();
                Expect(']');
                var path = ScimPath.Parse(attribute, ScimException.InvalidFilter);
                var subStart = _at;
                if (_at < text.Length && text[_at] == '.')
                {
                    while (_at < text.Length && !char.IsWhiteSpace(text[_at]) && text[_at] != ')') _at++;
                    throw Invalid($"A sub-attribute after a value filter ('{text[subStart.._at]}') is for PATCH paths, not filters.");
                }
                return new ValuePath(path, inner);
            }
            var attributePath = ScimPath.Parse(attribute, ScimException.InvalidFilter);
            SkipSpace();
            var opStart = _at;
            while (_at < text.Length && char.IsAsciiLetter(text[_at])) _at++;
            var op = text[opStart.._at].ToLowerInvariant();
            if (op == "pr") return new Present(attributePath);
            if (op is not ("eq" or "ne" or "co" or "sw" or "ew" or "gt" or "ge" or "lt" or "le"))
                throw Invalid(op.Length == 0 ? $"An operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr) was expected after '{attribute}'." : $"'{op}' is not a SCIM filter operator.");
            SkipSpace();
            return new Compare(attributePath, op, ParseValue());
        }

        private JsonNode? ParseValue()
        {
            if (AtEnd) throw Invalid("The filter ends where a value was expected.");
            if (text[_at] == '"')
            {
                var start = _at++;
                while (_at < text.Length && text[_at] != '"') _at += text[_at] == '\\' ? 2 : 1;
                if (_at >= text.Length) throw Invalid("A string in the filter is not closed with '\"'.");
                _at++;
                try { return JsonNode.Parse(text[start.._at]); }
                catch (JsonException) { throw Invalid($"{text[start.._at]} is not a valid JSON string."); }
            }
            var valueStart = _at;
            while (_at < text.Length && !char.IsWhiteSpace(text[_at]) && text[_at] is not (')' or ']')) _at++;
            var word = text[valueStart.._at];
            if (word == "true") return JsonValue.Create(true);
            if (word == "false") return JsonValue.Create(false);
            if (word == "null") return null;
            if (decimal.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return JsonValue.Create(number);
            throw Invalid($"'{word}' is not a filter value: strings go in double quotes; true, false, null and numbers go bare.");
        }

        private bool TryKeyword(string keyword)
        {
            var save = _at;
            SkipSpace();
            if (save == _at && _at > 0 && keyword != "not") { _at = save; return false; }
            if (text.Length - _at > keyword.Length && string.Compare(text, _at, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) == 0
                && (char.IsWhiteSpace(text[_at + keyword.Length]) || (keyword == "not" && text[_at + keyword.Length] == '(')))
            {
                _at += keyword.Length;
                return true;
            }
            _at = save;
            return false;
        }

        private bool TryChar(char c)
        {
            SkipSpace();
            if (_at < text.Length && text[_at] == c) { _at++; return true; }
            return false;
        }

        private void Expect(char c)
        {
            if (!TryChar(c)) throw Invalid(AtEnd ? $"The filter ends where '{c}' was expected." : $"'{c}' was expected at '{Rest}'.");
        }
    }
}
