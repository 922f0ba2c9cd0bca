using Sessions.Deploy.Tests.Support;

namespace Sessions.Deploy.Tests.K8s;

public sealed class LocalPostgresOverlayTests
{
    private const string Directory = "overlays/local-postgres";

    private static Kustomization Overlay => Kustomization.Load(Directory);

    private static YamlDotNet.RepresentationModel.YamlNode SecretReference =>
        SiloBase.Container.Items("env").Named("ConnectionStrings__Sessions")?.At("valueFrom.secretKeyRef")
        ?? throw new InvalidOperationException("The Deployment reads no connection string from a Secret.");

    [Fact]
    public void Builds_on_the_base()
    {
        Assert.Contains(Overlay.Bases, b => b.Directory == SiloBase.Directory);
    }

    [Fact]
    public void Generates_the_secret_and_key_the_silos_read_their_connection_string_from()
    {
        var literals = Overlay.GeneratedSecretLiterals(SecretReference.Scalar("name")!);

        Assert.NotNull(literals);
        Assert.Contains(SecretReference.Scalar("key")!, literals.Keys);
    }

    [Fact]
    public void Generates_the_admin_key_the_silos_read_long_enough_to_be_accepted()
    {
        var reference = SiloBase.Container.Items("env").Named("SESSIONS_ADMIN_KEY")?.At("valueFrom.secretKeyRef");
        Assert.NotNull(reference);

        var literals = Overlay.GeneratedSecretLiterals(reference.Scalar("name")!);

        Assert.NotNull(literals);
        Assert.True(literals[reference.Scalar("key")!].Length >= 32, "the gateway refuses admin keys shorter than 32 characters");
    }

    [Fact]
    public void The_connection_string_reaches_the_overlays_postgres_service_with_its_credentials()
    {
        var secret = Overlay.GeneratedSecretLiterals(SecretReference.Scalar("name")!);
        Assert.NotNull(secret);
        var connection = ConnectionString.Parse(secret[SecretReference.Scalar("key")!]);
        var service = Assert.Single(Overlay.ResourceManifests, m => m.Kind == "Service" && m.Name == connection["Host"]);
        var statefulSet = Assert.Single(Overlay.ResourceManifests, m => m.Kind == "StatefulSet");
        var container = Assert.Single(statefulSet.Root.Items("spec.template.spec.containers"));
        var serverSecret = container.Items("envFrom").Select(source => source.Scalar("secretRef.name")).OfType<string>().Single();
        var server = Overlay.GeneratedSecretLiterals(serverSecret);

        Assert.Equal(service.Root.Items("spec.ports").Single().Integer("port"), int.Parse(connection["Port"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(statefulSet.Root.StringMap("spec.selector.matchLabels"), service.Root.StringMap("spec.selector"));
        Assert.NotNull(server);
        Assert.Equal(server["POSTGRES_USER"], connection["Username"]);
        Assert.Equal(server["POSTGRES_PASSWORD"], connection["Password"]);
        Assert.Equal(server["POSTGRES_DB"], connection["Database"]);
    }

    [Fact]
    public void Runs_one_postgres_15_with_a_volume_claim_for_its_data()
    {
        var statefulSet = Assert.Single(Overlay.ResourceManifests, m => m.Kind == "StatefulSet");
        var container = Assert.Single(statefulSet.Root.Items("spec.template.spec.containers"));
        var claim = Assert.Single(statefulSet.Root.Items("spec.volumeClaimTemplates"));

        Assert.Equal(1, statefulSet.Root.Integer("spec.replicas"));
        Assert.Equal("postgres:15", container.Scalar("image"));
        Assert.Contains(container.Items("volumeMounts"), mount => mount.Scalar("name") == claim.Scalar("metadata.name"));
    }

    [Fact]
    public void The_postgres_pods_are_not_selected_by_the_silo_services()
    {
        var statefulSet = Assert.Single(Overlay.ResourceManifests, m => m.Kind == "StatefulSet");
        var postgresLabels = statefulSet.Root.StringMap("spec.template.metadata.labels");

        Assert.All(SiloBase.Services, service =>
            Assert.False(service.Root.StringMap("spec.selector").All(label => postgresLabels.GetValueOrDefault(label.Key) == label.Value)));
    }

    [Fact]
    public void Every_patch_targets_an_object_of_the_base()
    {
        var targets = Overlay.PatchFiles.SelectMany(path => Manifest.LoadFile(Overlay.Relative(path)));

        Assert.All(targets, target => Assert.Contains(SiloBase.Manifests, m => m.Kind == target.Kind && m.Name == target.Name));
    }

    /// <summary>Npgsql's <c>Key=Value;...</c> form, as the overlay writes it (no quoting).</summary>
    private static class ConnectionString
    {
        public static IReadOnlyDictionary<string, string> Parse(string value) =>
            value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(part => part.Split('=', 2))
                .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
    }
}
