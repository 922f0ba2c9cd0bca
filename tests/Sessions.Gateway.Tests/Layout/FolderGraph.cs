using System.Text.RegularExpressions;

namespace Sessions.Gateway.Tests.Layout;

/// <summary>
/// Which folder of a C# project uses which: an edge A → B when a file in A has a <c>using {root namespace}.B</c> or names
/// a type declared in B (a type declared in one folder only; private nested types do not count). Comments and string
/// literals are left out, so a <c>&lt;see cref&gt;</c> is no dependency. A source-level approximation, which errs
/// towards edges that are not there (a local named like a type), never away from ones that are.
/// </summary>
public sealed partial class FolderGraph
{
    private readonly Dictionary<string, SortedDictionary<string, SortedSet<string>>> _edges = new(StringComparer.Ordinal);

    private FolderGraph()
    {
    }

    /// <summary>Every folder that has an edge, with the folders it uses and the names that make each edge.</summary>
    public IReadOnlyDictionary<string, SortedDictionary<string, SortedSet<string>>> Edges => _edges;

    /// <summary>The graph of <paramref name="files"/> (path relative to the project, source text), folders cut at <paramref name="depth"/> levels.</summary>
    public static FolderGraph Build(IReadOnlyList<(string Path, string Text)> files, string rootNamespace, int depth = 1)
    {
        var code = files.Select(f => (Folder: FolderOf(f.Path, depth), Text: CommentsAndStrings().Replace(f.Text, " "))).ToList();
        var declaredIn = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (folder, text) in code)
        {
            foreach (Match declaration in Declaration().Matches(text))
            {
                if (!declaration.Groups["modifiers"].Value.Contains("private", StringComparison.Ordinal))
                {
                    declaredIn.TryAdd(declaration.Groups["name"].Value, new HashSet<string>(StringComparer.Ordinal));
                    declaredIn[declaration.Groups["name"].Value].Add(folder);
                }
            }
        }

        var graph = new FolderGraph();
        var usingPattern = new Regex(@"^\s*using\s+" + Regex.Escape(rootNamespace) + @"\.([\w.]+)\s*;", RegexOptions.Multiline);
        foreach (var (folder, text) in code)
        {
            foreach (Match used in usingPattern.Matches(text))
            {
                graph.Add(folder, string.Join('/', used.Groups[1].Value.Split('.').Take(depth)), "using");
            }

            foreach (var name in Identifier().Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal))
            {
                if (declaredIn.TryGetValue(name, out var folders) && folders.Count == 1)
                {
                    graph.Add(folder, folders.Single(), name);
                }
            }
        }

        return graph;
    }

    /// <summary>
    /// Every set of folders that use each other in a circle (strongly connected components of two or more), among the
    /// folders <paramref name="among"/> accepts (all by default).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles(Func<string, bool>? among = null)
    {
        among ??= _ => true;
        var nodes = _edges.Keys.Concat(_edges.Values.SelectMany(e => e.Keys)).Distinct(StringComparer.Ordinal).Where(among).Order(StringComparer.Ordinal).ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<IReadOnlyList<string>>();

        // Tarjan's algorithm; the graphs are a few dozen folders, so recursion depth is no concern.
        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in Uses(node).Where(among))
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);

                if (component.Count > 1)
                {
                    cycles.Add([.. component.Order(StringComparer.Ordinal)]);
                }
            }
        }

        foreach (var node in nodes.Where(n => !index.ContainsKey(n)))
        {
            Visit(node);
        }

        return cycles;
    }

    /// <summary>The folders <paramref name="folder"/> uses.</summary>
    public IEnumerable<string> Uses(string folder) => _edges.TryGetValue(folder, out var uses) ? uses.Keys : [];

    /// <summary>One line per edge: <c>A -> B: the names</c>.</summary>
    public string Describe(IEnumerable<string>? only = null)
    {
        var within = only?.ToHashSet(StringComparer.Ordinal);
        return string.Join('\n', _edges
            .Where(e => within is null || within.Contains(e.Key))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .SelectMany(e => e.Value.Where(u => within is null || within.Contains(u.Key)).Select(u => $"{e.Key} -> {u.Key}: {string.Join(", ", u.Value)}")));
    }

    private void Add(string from, string to, string why)
    {
        if (from == to)
        {
            return;
        }

        if (!_edges.TryGetValue(from, out var uses))
        {
            _edges[from] = uses = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        }

        if (!uses.TryGetValue(to, out var names))
        {
            uses[to] = names = new SortedSet<string>(StringComparer.Ordinal);
        }

        names.Add(why);
    }

    /// <summary>"Api/Messages/MessagesApi.cs" at depth 1 is "Api"; a file at the project's root is in ".".</summary>
    private static string FolderOf(string path, int depth)
    {
        var folders = path.Replace('\\', '/').Split('/')[..^1];
        return folders.Length == 0 ? "." : string.Join('/', folders.Take(depth));
    }

    // Line and block comments, and string literals (regular, verbatim, raw, interpolated alike: their text is no code).
    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|"""""".*?""""""|@""(?:""""|[^""])*""|""(?:\\.|[^""\\\n])*""|'(?:\\.|[^'\\\n])'", RegexOptions.Singleline)]
    private static partial Regex CommentsAndStrings();

    [GeneratedRegex(@"^[ \t]*(?<modifiers>(?:(?:public|internal|private|protected|sealed|static|abstract|partial|readonly|file|ref|unsafe|new)\s+)*)(?:class|record|struct|interface|enum)\s+(?:(?:class|struct)\s+)?(?<name>[A-Z]\w*)", RegexOptions.Multiline)]
    private static partial Regex Declaration();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();
}
