namespace Sessions.Storage.Migrations;

/// <summary>
/// The schema of the Orleans ADO.NET providers (clustering, grain persistence, reminders, streams), which this
/// project creates with its own migrations (0003 to 0006, and 0011): the providers' statement table
/// <c>OrleansQuery</c> and the tables and functions its statements use. Sessions.Storage references no Orleans package; this only records
/// which contract those migrations were written against.
/// </summary>
public static class OrleansSchema
{
    /// <summary>
    /// The Microsoft.Orleans.* package version whose ADO.NET provider contract the migrations implement: the
    /// query keys the providers require, their parameter names and types, and the result columns they read back
    /// by name, as in Orleans 10.4.2. A test fails when Directory.Packages.props names another Orleans version:
    /// moving Orleans means checking that contract again and, where it changed, adding a migration.
    /// </summary>
    public const string PackageVersion = "10.4.2";
}
