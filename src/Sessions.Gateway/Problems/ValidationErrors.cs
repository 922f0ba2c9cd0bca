namespace Sessions.Gateway.Problems;

/// <summary>The invalid fields of one request (snake_case names, as the client sent them) and what is wrong with each.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public ValidationErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
        return this;
    }

    public IReadOnlyCollection<string> Fields => _errors.Keys;

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>One sentence for the problem's <c>detail</c>: the message itself when only one thing is wrong.</summary>
    public string Summary() => _errors.Count == 1 && _errors.First().Value.Count == 1
        ? _errors.First().Value[0]
        : $"The request has invalid fields: {string.Join(", ", _errors.Keys)}.";
}
