// The sample of docs/orleans-client.md, as a program: an ordinary Orleans client (no Sessions helper, no HTTP) that
// does through the grain contract alone what a product back end does: two participants, an agent with a webhook, a
// token, a session with the agent, two messages, the delivery to the agent and its redelivery, an inbox.
//
//   dotnet run --project samples/Sessions.ClientSample -- <connection string> <cluster id> <webhook url>
//
// The silos must accept the webhook URL (a loopback one needs Sessions__Webhooks__AllowLoopback=true on the silos).
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Sessions.Abstractions;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: Sessions.ClientSample <connection string> <cluster id> <webhook url>");
    return 2;
}

var (connectionString, clusterId, webhookUrl) = (args[0], args[1], args[2]);

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
var grains = host.Services.GetRequiredService<IClusterClient>();

// Two people and an agent. Ids are yours to choose (letters, digits and . _ : @ -); registering the agent's webhook
// creates the agent participant too, and answers the secret that signs its deliveries (shown this once).
var run = Guid.NewGuid().ToString("N")[..8];
var (alice, bob, agent) = ($"alice-{run}", $"bob-{run}", $"helper-{run}");
await grains.GetGrain<IParticipantGrain>(alice).CreateAsync(new CreateParticipantCommand(ParticipantKind.Human, "Alice"));
await grains.GetGrain<IParticipantGrain>(bob).CreateAsync(new CreateParticipantCommand(ParticipantKind.Human, "Bob"));
var registered = await grains.GetGrain<IAgentGrain>(agent).RegisterAsync(new RegisterAgentCommand(Url: webhookUrl));
Console.WriteLine($"participants {alice} {bob}, agent {agent} at {registered.Agent.Url}");

// A bearer token that acts as alice on the HTTP API, for her browser: its value is in this answer and nowhere else.
var token = await grains.GetGrain<IParticipantGrain>(alice).IssueTokenAsync(new IssueTokenCommand(ExpiresAt: DateTimeOffset.UtcNow.AddHours(1)));
Console.WriteLine($"token {token.Id} {token.Token}");

// A session between alice and bob with the agent in it; its id is the grain's key, so the caller makes one.
var sessionId = Guid.CreateVersion7().ToString("N");
var session = grains.GetGrain<IChatSessionGrain>(sessionId);
await session.CreateAsync(new CreateSessionCommand(
    InitiatorId: alice, PeerId: bob, AgentId: agent, Kind: "support", Metadata: null, TaskId: null));
var hello = await session.AppendAsync(Text(alice, "Hello Bob", clientMessageId: "hello"));
var question = await session.AppendAsync(Text(alice, "Can the agent find my order?", clientMessageId: "question"));
Console.WriteLine($"session {sessionId} seqs {hello.Message.Seq} {question.Message.Seq}");

// The agent's dispatcher posts new messages to the webhook and logs every attempt: wait for the delivery of the last
// message, then send it again. A redelivery keeps the delivery's id (the webhook-id header), so the agent can dedupe.
var log = grains.GetGrain<IDeliveryLogGrain>(0);
var delivery = await SucceededAsync(async () => (await log.ListBySessionAsync(sessionId, new DeliveryQuery()))
    .Deliveries.FirstOrDefault(d => d.LastSeq == question.Message.Seq));
Console.WriteLine($"delivery {delivery.Id} {delivery.Status} after {delivery.AttemptCount} attempt(s)");
await log.RedeliverAsync(delivery.Id);
var again = await SucceededAsync(async () => await log.GetAsync(delivery.Id));
Console.WriteLine($"redelivery {again.Id} {again.Status} after {again.AttemptCount} attempt(s), the last {again.Attempts[^1].Trigger}");

// Bob's inbox: his sessions by last activity, with what he has not read yet.
var inbox = await grains.GetGrain<IInboxGrain>(bob).ListAsync(new InboxQuery(Cursor: null, Limit: 20));
var entry = inbox.Sessions.Single(s => s.SessionId == sessionId);
Console.WriteLine($"inbox {bob} session {entry.SessionId} unread {entry.UnreadCount}");

static AppendMessageCommand Text(string senderId, string text, string clientMessageId) => new(
    SenderId: senderId, Kind: "text", Content: JsonSerializer.SerializeToElement(new { text }),
    Metadata: null, ClientMessageId: clientMessageId, ExpectedSeq: null);

// Polls the delivery log until the delivery is there and succeeded, for 30 seconds at most.
static async Task<Delivery> SucceededAsync(Func<Task<Delivery?>> find)
{
    var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
    while (true)
    {
        var delivery = await find();
        if (delivery is { Status: DeliveryStatus.Succeeded })
        {
            return delivery;
        }

        if (DateTimeOffset.UtcNow > deadline)
        {
            throw new TimeoutException($"No successful delivery within 30 s (last seen: {delivery?.Status.ToString() ?? "none"}).");
        }

        await Task.Delay(200);
    }
}
// README sample ends

await host.StopAsync();
return 0;
