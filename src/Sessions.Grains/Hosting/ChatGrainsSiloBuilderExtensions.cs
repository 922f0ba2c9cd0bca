using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sessions.Abstractions;

namespace Sessions.Grains;

public static class ChatGrainsSiloBuilderExtensions
{
    /// <summary>
    /// The chat grains' options, bound from configuration (<c>Sessions:ChatSession</c>, <c>Sessions:Inbox</c>,
    /// <c>Sessions:Limits</c>). Orleans finds the grain classes of this assembly itself; storage must be registered too (<c>AddSessionsStorage</c>).
    /// </summary>
    public static ISiloBuilder AddChatGrains(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ChatSessionOptions>().BindConfiguration(ChatSessionOptions.SectionName);
        builder.Services.AddOptions<InboxOptions>().BindConfiguration(InboxOptions.SectionName);
        builder.Services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
