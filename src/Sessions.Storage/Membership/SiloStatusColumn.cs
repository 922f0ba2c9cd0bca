using Sessions.Actors;

namespace Sessions.Storage.Membership;

/// <summary><see cref="SiloStatus"/> in the <c>silo_membership.status</c> column: its numeric value (checked 1..4 there).</summary>
internal static class SiloStatusColumn
{
    public static short ToValue(SiloStatus status) =>
        Enum.IsDefined(status) ? (short)status : throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown silo status.");

    public static SiloStatus Parse(short value) =>
        Enum.IsDefined((SiloStatus)value)
            ? (SiloStatus)value
            : throw new InvalidOperationException($"Unknown silo status {value} in the database.");
}
