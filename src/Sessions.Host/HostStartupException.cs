namespace Sessions.Host;

/// <summary>
/// The gateway refuses to start because of something the operator must fix (a missing or unusable setting). The
/// message says what and how, and is written to be read on its own: <c>Program</c> prints it without a stack trace.
/// </summary>
public sealed class HostStartupException(string message) : Exception(message);
