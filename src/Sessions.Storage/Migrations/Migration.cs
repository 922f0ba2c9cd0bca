namespace Sessions.Storage.Migrations;

/// <summary>One schema change: <c>NNNN_name.sql</c>, applied once, in version order.</summary>
public sealed record Migration(int Version, string Name, string Sql);
