using Sessions.Deploy.Tests.Support;

namespace Sessions.Deploy.Tests.Docs;

/// <summary>
/// docs/limits-and-settings.md indexes every setting the host reads, with the page that explains it: a section or a
/// SESSIONS_* variable added to the sources without a line there fails here.
/// </summary>
public sealed class SettingsIndexTests
{
    private static readonly string Index = string.Join('\n', MarkdownPage.Load("docs/limits-and-settings.md").Lines);

    public static TheoryData<string> Sections => new(HostSource.SessionsSections.Order(StringComparer.Ordinal));

    public static TheoryData<string> Variables => new(HostSource.SessionsVariables.Order(StringComparer.Ordinal));

    [Fact]
    public void The_host_reads_configuration_sections_and_variables()
    {
        Assert.Contains("Limits", HostSource.SessionsSections);
        Assert.Contains("SESSIONS_ADMIN_KEY", HostSource.SessionsVariables);
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public void Every_configuration_section_is_in_the_index(string section)
    {
        Assert.True(Index.Contains($"`Sessions__{section}__", StringComparison.Ordinal), $"The host reads the section Sessions:{section}, which docs/limits-and-settings.md does not index as `Sessions__{section}__…`.");
    }

    [Theory]
    [MemberData(nameof(Variables))]
    public void Every_SESSIONS_variable_is_in_the_index(string variable)
    {
        Assert.True(Index.Contains($"`{variable}`", StringComparison.Ordinal), $"The host reads {variable}, which docs/limits-and-settings.md does not index.");
    }
}
