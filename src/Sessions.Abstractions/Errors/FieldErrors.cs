namespace Sessions.Abstractions;

/// <summary>
/// The invalid fields of one command, gathered so that a caller hears of every broken rule at once: grains check a
/// whole command into one of these, then <see cref="ThrowIfAny"/> raises a single <see cref="SessionErrors.Validation"/>
/// error whose <see cref="SessionException.Fields"/> name them all.
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    /// <summary>Notes that <paramref name="field"/> (snake_case, as the caller named it) breaks a rule.</summary>
    public FieldErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
        return this;
    }

    /// <summary>Whether <paramref name="field"/> already broke a rule (later checks that build on it can be skipped).</summary>
    public bool Has(string field) => _errors.ContainsKey(field);

    /// <summary>One sentence: the message itself when only one thing is wrong, else the fields' names.</summary>
    public string Summary() => _errors.Count == 1 && _errors.First().Value.Count == 1
        ? _errors.First().Value[0]
        : $"The request has invalid fields: {string.Join(", ", _errors.Keys)}.";

    /// <summary>The validation error naming every field noted so far.</summary>
    public SessionException ToException()
    {
        if (!Any)
        {
            throw new InvalidOperationException("No field broke a rule.");
        }

        var fields = _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
        var details = new Dictionary<string, string> { [SessionErrors.FieldDetail] = _errors.Keys.First() };
        return new SessionException(SessionErrors.Validation, Summary(), details, fields);
    }

    /// <summary>Throws the validation error (<see cref="ToException"/>) when any field broke a rule.</summary>
    public void ThrowIfAny()
    {
        if (Any)
        {
            throw ToException();
        }
    }
}
