using Sessions.Deploy.Tests.Support;

namespace Sessions.Deploy.Tests.Docs;

/// <summary>
/// The README is the front door and docs/ the reference: every relative link between them, and into the sources they
/// point at, must lead somewhere, so that moving a file or renaming a heading cannot leave a reader at a dead end.
/// </summary>
public sealed class DocumentationLinksTests
{
    public static TheoryData<string> Pages => new(MarkdownPage.AllPaths());

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_relative_link_leads_to_a_file_and_every_anchor_to_a_heading(string path)
    {
        var page = MarkdownPage.Load(path);
        var directory = Path.GetDirectoryName(Repository.PathOf([.. path.Split('/')]))!;

        var broken = page.Links
            .Where(link => !MarkdownPage.IsExternal(link))
            .Select(link => (Link: link, Problem: Problem(page, directory, link)))
            .Where(check => check.Problem is not null)
            .Select(check => $"{check.Link}: {check.Problem}")
            .ToList();

        Assert.True(broken.Count == 0, $"{path} has links that lead nowhere:\n{string.Join('\n', broken)}");
    }

    [Fact]
    public void The_readme_links_every_page_of_docs()
    {
        var linked = MarkdownPage.Load("README.md").Links.Select(link => link.Split('#')[0]).ToHashSet(StringComparer.Ordinal);
        var pages = MarkdownPage.AllPaths().Where(path => path.StartsWith("docs/", StringComparison.Ordinal));

        Assert.All(pages, page => Assert.True(linked.Contains(page), $"README.md does not link {page}: add it to the Documentation table."));
    }

    [Fact]
    public void The_readme_stays_a_front_door()
    {
        var lines = MarkdownPage.Load("README.md").Lines.Count;

        Assert.True(lines < 150, $"README.md has {lines} lines: reference belongs in a page of docs/, linked from the README.");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_page_opens_with_a_title_and_a_paragraph_for_its_reader(string path)
    {
        var lines = MarkdownPage.Load(path).Lines;

        Assert.StartsWith("# ", lines[0], StringComparison.Ordinal);
        Assert.True(lines.Count > 2 && lines[1].Length == 0 && char.IsLetter(lines[2][0]), $"{path}: the title should be followed by a paragraph that says what the page is for.");
    }

    /// <summary>What is wrong with <paramref name="link"/> on <paramref name="page"/>, or null when it leads somewhere.</summary>
    private static string? Problem(MarkdownPage page, string directory, string link)
    {
        var hash = link.IndexOf('#', StringComparison.Ordinal);
        var target = hash < 0 ? link : link[..hash];
        var anchor = hash < 0 ? null : link[(hash + 1)..];
        if (target.Length == 0)
        {
            return page.Anchors.Contains(anchor!) ? null : $"no heading makes the anchor #{anchor}";
        }

        var file = Path.GetFullPath(Path.Combine(directory, Uri.UnescapeDataString(target)));
        if (!file.StartsWith(Repository.Root, StringComparison.Ordinal))
        {
            return "leads out of the repository";
        }

        if (!File.Exists(file) && !Directory.Exists(file))
        {
            return "no such file or folder";
        }

        if (anchor is null || !file.EndsWith(".md", StringComparison.Ordinal))
        {
            return null;
        }

        var linked = MarkdownPage.Load(Path.GetRelativePath(Repository.Root, file).Replace(Path.DirectorySeparatorChar, '/'));
        return linked.Anchors.Contains(anchor) ? null : $"no heading of {linked.Path} makes the anchor #{anchor}";
    }
}
