using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Orleans.Runtime.MembershipService;
using Orleans.Storage;
using Sessions.Storage.Migrations;

namespace Sessions.Storage.Tests.OrleansProviders;

/// <summary>The Orleans migrations are written for one Orleans release; moving Orleans must not go unnoticed.</summary>
public sealed class PackageVersionTests
{
    [Fact]
    public void Every_Orleans_package_is_at_the_version_the_migrations_implement()
    {
        var props = XDocument.Load(Path.Combine(RepositoryRoot(), "Directory.Packages.props"));
        var orleans = props.Descendants("PackageVersion")
            .Select(p => (Id: (string?)p.Attribute("Include") ?? "", Version: (string?)p.Attribute("Version")))
            .Where(p => p.Id.StartsWith("Microsoft.Orleans.", StringComparison.OrdinalIgnoreCase))
            .ToList();

        Assert.Contains(orleans, p => p.Id == "Microsoft.Orleans.Clustering.AdoNet");
        Assert.Contains(orleans, p => p.Id == "Microsoft.Orleans.Persistence.AdoNet");
        Assert.Contains(orleans, p => p.Id == "Microsoft.Orleans.Reminders.AdoNet");
        // A provider published only as a prerelease of that version (Streaming.AdoNet: 10.4.2-alpha.1) counts as it.
        Assert.All(orleans, p => Assert.True(
            p.Version == OrleansSchema.PackageVersion || p.Version?.StartsWith($"{OrleansSchema.PackageVersion}-", StringComparison.Ordinal) == true,
            $"{p.Id} is at {p.Version}, but the OrleansQuery migrations implement the contract of {OrleansSchema.PackageVersion}: "
            + "check the providers' query keys, parameters and columns for the new version, add a migration where they "
            + "changed, then move OrleansSchema.PackageVersion."));
    }

    [Fact]
    public void The_providers_these_tests_run_are_that_version()
    {
        foreach (var provider in new[]
        {
            typeof(AdoNetClusteringTable).Assembly,
            typeof(AdoNetGrainStorage).Assembly,
            typeof(Orleans.Configuration.AdoNetReminderTableOptions).Assembly,
            typeof(Orleans.Configuration.AdoNetStreamOptions).Assembly,
        })
        {
            var version = provider.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
            // "10.4.2. Commit Hash: ...", "10.4.2+hash" or "10.4.2-alpha.1+hash": the version (or a prerelease of
            // it), then nothing that would make it another one.
            Assert.Matches($@"^{Regex.Escape(OrleansSchema.PackageVersion)}(-[0-9A-Za-z.]+)?(?!\.?[0-9A-Za-z-])", version);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (directory.EnumerateFiles("*.sln").Any())
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No solution file above {AppContext.BaseDirectory}.");
    }
}
