// The README's "From another .NET service" sample, as a program: an ordinary Orleans client (no Sessions helper) that
// appends to a session of a running cluster and reads it back.
//
//   dotnet run --project samples/Sessions.ClientSample -- <connection string> <cluster id> <session id> <sender id>
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Sessions.Abstractions;

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: Sessions.ClientSample <connection string> <cluster id> <session id> <sender id>");
    return 2;
}

var (connectionString, clusterId, sessionId, senderId) = (args[0], args[1], args[2], args[3]);

// README sample begins
var builder = Host.CreateApplicationBuilder();
builder.UseOrleansClient(client => client
    .UseAdoNetClustering(options =>
    {
        options.Invariant = "Npgsql";              // the ADO.NET provider of PostgreSQL
        options.ConnectionString = connectionString; // the database the silos use
    })
    .Configure<ClusterOptions>(options =>
    {
        options.ClusterId = clusterId;   // the silos' SESSIONS_CLUSTER_ID (default "default")
        options.ServiceId = "sessions";  // the silos' SESSIONS_SERVICE_ID (default "sessions")
    }));
using var host = builder.Build();
await host.StartAsync();

var session = host.Services.GetRequiredService<IClusterClient>().GetGrain<IChatSessionGrain>(sessionId);
var sent = await session.AppendAsync(new AppendMessageCommand(
    SenderId: senderId, Kind: "text", Content: JsonSerializer.SerializeToElement(new { text = "hi" }),
    Metadata: null, ClientMessageId: "msg-1", ExpectedSeq: null));
var page = await session.ListMessagesAsync(new MessageQuery(AfterSeq: 0, BeforeSeq: null, Limit: 50));
Console.WriteLine($"appended seq {sent.Message.Seq}; the session holds {page.Messages.Count} message(s)");
// README sample ends

await host.StopAsync();
return 0;
