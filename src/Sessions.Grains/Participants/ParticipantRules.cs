namespace Sessions.Grains;

/// <summary>
/// What a new participant must be. Every rule is checked, so that a caller hears of all it broke at once; metadata and
/// text are judged by the same rules as a session's and a message's (<see cref="MessageValidator"/>).
/// </summary>
internal static class ParticipantRules
{
    public static FieldErrors Check(string id, CreateParticipantCommand command, LimitsOptions limits)
    {
        ArgumentNullException.ThrowIfNull(command);
        var errors = new FieldErrors();
        if (!IdRule.IsValid(id, limits))
        {
            errors.Add("id", $"id {IdRule.Describe(limits)}.");
        }

        if (command.Kind is not { } kind)
        {
            errors.Add("kind", "kind is required.");
        }
        else if (!Enum.IsDefined(kind))
        {
            errors.Add("kind", "kind must be one of human, agent, system.");
        }

        if (command.DisplayName?.Length > limits.MaxDisplayNameLength)
        {
            errors.Add("display_name", $"display_name must be at most {limits.MaxDisplayNameLength} characters.");
        }
        else
        {
            MessageValidator.CheckStorable(errors, "display_name", command.DisplayName);
        }

        return MessageValidator.CheckMetadata(errors, "metadata", command.Metadata, limits);
    }
}
