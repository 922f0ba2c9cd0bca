using System.Text;
using System.Text.RegularExpressions;

namespace Sessions.Deploy.Tests.Support;

/// <summary>
/// One Markdown page of the repository, read as GitHub renders it, as far as links go: its inline links (outside code
/// blocks and code spans) and the anchors its headings get.
/// </summary>
public sealed partial class MarkdownPage
{
    private MarkdownPage(string path, string[] lines)
    {
        Path = path;
        Lines = lines;
        var prose = Prose(lines);
        Links = [.. Link().Matches(CodeSpan().Replace(prose, "")).Select(match => match.Groups["target"].Value)];
        Anchors = HeadingAnchors(lines);
    }

    /// <summary>The page's path relative to the repository root, with forward slashes.</summary>
    public string Path { get; }

    public IReadOnlyList<string> Lines { get; }

    /// <summary>Every inline link's target as written (<c>docs/x.md#y</c>, <c>#y</c>, <c>https://…</c>).</summary>
    public IReadOnlyList<string> Links { get; }

    /// <summary>The anchors of the page's headings, as GitHub makes them (<c>## Securing the cluster's ports</c> → <c>securing-the-clusters-ports</c>).</summary>
    public IReadOnlySet<string> Anchors { get; }

    /// <summary>The pages a reader navigates: the README, every page of docs/, and the deploy READMEs.</summary>
    public static IReadOnlyList<string> AllPaths() =>
    [
        "README.md",
        .. Directory.EnumerateFiles(Repository.PathOf("docs"), "*.md").Select(RelativePath).Order(StringComparer.Ordinal),
        .. Directory.EnumerateFiles(Repository.PathOf("deploy"), "*.md", SearchOption.AllDirectories).Select(RelativePath).Order(StringComparer.Ordinal),
    ];

    public static MarkdownPage Load(string relativePath) =>
        new(relativePath, File.ReadAllLines(Repository.PathOf([.. relativePath.Split('/')])));

    /// <summary>Whether a link target leaves the repository (a URL), so that only the web can check it.</summary>
    public static bool IsExternal(string target) => target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal);

    /// <summary>GitHub's anchor for a heading's text: lower case, punctuation dropped, spaces as hyphens.</summary>
    public static string Slug(string heading)
    {
        var slug = new StringBuilder(heading.Length);
        foreach (var character in heading.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(character) || character is '-' or '_')
            {
                slug.Append(character);
            }
            else if (character == ' ')
            {
                slug.Append('-');
            }
        }

        return slug.ToString();
    }

    private static string RelativePath(string file) =>
        System.IO.Path.GetRelativePath(Repository.Root, file).Replace(System.IO.Path.DirectorySeparatorChar, '/');

    /// <summary>The page without its fenced code blocks, whose brackets and <c>#</c> lines are code, not Markdown.</summary>
    private static string Prose(string[] lines)
    {
        var prose = new StringBuilder();
        var inFence = false;
        foreach (var line in lines)
        {
            if (IsFence(line))
            {
                inFence = !inFence;
            }
            else if (!inFence)
            {
                prose.Append(line).Append('\n');
            }
        }

        return prose.ToString();
    }

    private static HashSet<string> HeadingAnchors(string[] lines)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var inFence = false;
        foreach (var line in lines)
        {
            if (IsFence(line))
            {
                inFence = !inFence;
                continue;
            }

            if (inFence || Heading().Match(line) is not { Success: true } heading)
            {
                continue;
            }

            // A second heading with the same text gets -1, a third -2, and so on.
            var slug = Slug(heading.Groups["text"].Value);
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : $"{slug}-{count}");
        }

        return anchors;
    }

    private static bool IsFence(string line) =>
        line.TrimStart().StartsWith("```", StringComparison.Ordinal) || line.TrimStart().StartsWith("~~~", StringComparison.Ordinal);

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\[[^\]]*\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex Link();
}
