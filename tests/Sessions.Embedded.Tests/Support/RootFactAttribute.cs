namespace Sessions.Embedded.Tests;

/// <summary>A fact about running as root (switching to the postgres OS user); skipped for ordinary users.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = "Only meaningful when the tests run as root.";
        }
    }
}
