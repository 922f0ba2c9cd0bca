namespace Sessions.Storage.Deliveries;

/// <summary>Deliveries newest first; <see cref="NextCursor"/> fetches the following (older) page, null at the end.</summary>
public sealed record DeliveryRowPage(IReadOnlyList<DeliveryRow> Deliveries, string? NextCursor);
