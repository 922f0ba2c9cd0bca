namespace Sessions.Actors;

/// <summary>One silo's row of the membership table.</summary>
public sealed record MembershipEntry(
    SiloAddress Address,
    string SiloName,
    SiloStatus Status,
    DateTimeOffset StartTime,
    DateTimeOffset IAmAliveTime,
    IReadOnlyList<SiloSuspicion> Suspicions);

/// <summary>A vote that <see cref="Suspecter"/> could not reach the silo, cast at <see cref="At"/>.</summary>
public sealed record SiloSuspicion(SiloAddress Suspecter, DateTimeOffset At);

/// <summary>
/// The whole table at one moment: its version (bumped by every status change) and rows, and the database's clock
/// when it was read, so staleness is judged on one clock rather than on each silo's own.
/// </summary>
public sealed record MembershipSnapshot(long Version, IReadOnlyList<MembershipEntry> Entries, DateTimeOffset ReadAt);
