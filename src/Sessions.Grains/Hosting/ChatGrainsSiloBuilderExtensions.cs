using Microsoft.Extensions.DependencyInjection;
using Sessions.Abstractions;
using Sessions.Actors;

namespace Sessions.Grains;

public static class ChatGrainsSiloBuilderExtensions
{
    /// <summary>
    /// Hosts the chat grains on this silo, with their options bound from configuration
    /// (<c>Sessions:ChatSession</c>, <c>Sessions:Limits</c>). Storage must be registered too (<c>AddSessionsStorage</c>).
    /// </summary>
    public static SiloBuilder AddChatGrains(this SiloBuilder builder)
    {
        builder.Services.AddOptions<ChatSessionOptions>().BindConfiguration(ChatSessionOptions.SectionName);
        builder.Services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.SectionName);
        return builder
            .AddJsonContext(SessionsJsonContext.Default)
            .AddGrain<IChatSessionGrain, ChatSessionGrain>();
    }
}
