namespace Sessions.Gateway.Tests;

/// <summary>Rows per table at one moment; equal snapshots before and after a request mean it wrote nothing.</summary>
public readonly record struct RowCounts(long Participants, long Sessions, long Messages);
