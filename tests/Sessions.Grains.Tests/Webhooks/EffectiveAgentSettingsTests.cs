using Sessions.Grains.Webhooks;
using Sessions.Storage.Agents;

namespace Sessions.Grains.Tests.Webhooks;

public sealed class EffectiveAgentSettingsTests
{
    [Fact]
    public void An_agent_that_chose_nothing_gets_the_configured_defaults()
    {
        var effective = EffectiveAgentSettings.From(new AgentSettings(), new WebhookOptions());

        Assert.Equal(new EffectiveAgentSettings(
            TimeSpan.FromSeconds(10), 8, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), TimeSpan.Zero, AgentHistoryMode.Tail, 20), effective);
    }

    [Fact]
    public void An_agent_s_own_settings_win_over_the_defaults()
    {
        var effective = EffectiveAgentSettings.From(new AgentSettings(2500, 3, 200, 5000, 250, AgentHistoryMode.Tail, 7), new WebhookOptions());

        Assert.Equal(new EffectiveAgentSettings(
            TimeSpan.FromMilliseconds(2500), 3, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(250), AgentHistoryMode.Tail, 7), effective);
    }

    [Theory]
    [InlineData(AgentHistoryMode.Last, null, null)]
    [InlineData(AgentHistoryMode.Entire, null, 50)]
    [InlineData(AgentHistoryMode.Entire, 30, 30)]
    [InlineData(AgentHistoryMode.Entire, 80, 50)]
    [InlineData(AgentHistoryMode.Tail, null, 20)]
    [InlineData(AgentHistoryMode.Tail, 80, 50)]
    public void The_history_count_follows_the_mode_and_never_exceeds_today_s_maximum(AgentHistoryMode mode, int? count, int? expected)
    {
        var options = new WebhookOptions { MaxHistoryMessages = 50 };

        Assert.Equal(expected, EffectiveAgentSettings.From(new AgentSettings(HistoryMode: mode, HistoryCount: count), options).HistoryCount);
    }
}
