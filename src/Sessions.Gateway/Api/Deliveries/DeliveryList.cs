using Sessions.Abstractions;

namespace Sessions.Gateway.Api.Deliveries;

/// <summary>A page of deliveries, newest first; pass <see cref="NextCursor"/> as <c>cursor</c> for the next one.</summary>
public sealed record DeliveryList(IReadOnlyList<DeliveryView> Deliveries, string? NextCursor)
{
    public static DeliveryList From(DeliveryPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new DeliveryList([.. page.Deliveries.Select(DeliveryView.From)], page.NextCursor);
    }
}
