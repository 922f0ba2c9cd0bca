namespace Sessions.Abstractions;

/// <summary>
/// A <see cref="MessagePage"/> in its wire form: the UTF-8 JSON an HTTP response carries (snake_case, as
/// <see cref="SessionsJsonContext"/> writes it). The grain writes it from messages its tail cache holds serialized,
/// so the gateway passes it on without parsing it. Immutable: within a silo the bytes cross the call by reference.
/// </summary>
[GenerateSerializer, Immutable, Alias("Sessions.MessagePageJson")]
public sealed record MessagePageJson([property: Id(0)] byte[] Utf8Json);
