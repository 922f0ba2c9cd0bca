using Sessions.Deploy.Tests.Support;

namespace Sessions.Deploy.Tests.K8s;

public sealed class ManifestFilesTests
{
    public static TheoryData<string> Files => new(Manifest.AllFiles());

    public static TheoryData<string> Kustomizations => new(Kustomization.AllDirectories());

    [Fact]
    public void The_base_and_the_local_postgres_overlay_are_kustomizations()
    {
        Assert.Equal(["base", "overlays/local-postgres"], Kustomization.AllDirectories().Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_document_parses_and_has_an_api_version_a_kind_and_a_name(string file)
    {
        var documents = Manifest.LoadFile(file);

        Assert.NotEmpty(documents);
        Assert.All(documents, document =>
        {
            Assert.False(string.IsNullOrWhiteSpace(document.ApiVersion), $"{file}: a document without apiVersion");
            Assert.False(string.IsNullOrWhiteSpace(document.Kind), $"{file}: a document without kind");
            Assert.False(string.IsNullOrWhiteSpace(document.Name), $"{file}: a document without metadata.name");
        });
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Every_resource_and_patch_a_kustomization_names_exists(string directory)
    {
        var kustomization = Kustomization.Load(directory);

        Assert.NotEmpty(kustomization.Resources);
        Assert.All(kustomization.Resources.Concat(kustomization.PatchFiles), path =>
            Assert.True(kustomization.Exists(path), $"{directory}/kustomization.yaml names '{path}', which does not exist"));
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Every_manifest_file_in_a_kustomization_folder_is_used_by_it(string directory)
    {
        var kustomization = Kustomization.Load(directory);
        var used = kustomization.Resources.Concat(kustomization.PatchFiles).Select(kustomization.Relative).Append(kustomization.File.File);

        var files = Manifest.AllFiles().Where(file => Path.GetDirectoryName(file)!.Replace('\\', '/') == directory);

        Assert.All(files, file => Assert.Contains(file, used));
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void No_two_objects_of_a_kustomization_share_a_kind_and_name(string directory)
    {
        var objects = Kustomization.Load(directory).AllResourceManifests.Select(m => $"{m.Kind}/{m.Name}").ToList();

        Assert.Equal(objects.Distinct().Count(), objects.Count);
    }
}
