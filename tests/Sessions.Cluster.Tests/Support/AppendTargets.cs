using System.Net;
using System.Text.Json;
using Sessions.Abstractions;
using Sessions.Client;
using Sessions.Testing.Cluster;

namespace Sessions.Cluster.Tests;

/// <summary>An acknowledged append: the session, the seq it got, its client_message_id, and who acknowledged it.</summary>
public sealed record Ack(string SessionId, long Seq, string ClientMessageId, string Via, bool Created);

/// <summary>An append that was not acknowledged: the caller does not know whether it was stored.</summary>
public sealed class AppendFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A way into the cluster for appends: one silo's HTTP port, the readiness balancer, or the cluster client.</summary>
public interface IAppendTarget
{
    string Name { get; }

    /// <summary>Appends a text message with <paramref name="clientMessageId"/>; throws <see cref="AppendFailedException"/> unless acknowledged.</summary>
    Task<Ack> AppendAsync(TestSession session, string clientMessageId);
}

/// <summary>Appends through one silo's HTTP API, straight to its port.</summary>
public sealed class SiloHttpTarget(SiloProcess silo) : IAppendTarget
{
    public string Name => silo.Name;

    public SiloProcess Silo => silo;

    public async Task<Ack> AppendAsync(TestSession session, string clientMessageId)
    {
        HttpResponseMessage response;
        try
        {
            response = await silo.Http.SendAsync(ChatHttp.AppendRequest(session.Id, session.Initiator, clientMessageId));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new AppendFailedException($"{e.GetType().Name}: {e.Message}", e);
        }

        using (response)
        {
            return await HttpAcks.ReadAsync(response, session, clientMessageId, Name);
        }
    }
}

/// <summary>Appends through the <see cref="ReadinessBalancer"/> (the Kubernetes Service stand-in).</summary>
public sealed class BalancerTarget(ReadinessBalancer balancer) : IAppendTarget
{
    public string Name => "balancer";

    public async Task<Ack> AppendAsync(TestSession session, string clientMessageId)
    {
        BalancedResponse answer;
        try
        {
            answer = await balancer.SendAsync(() => ChatHttp.AppendRequest(session.Id, session.Initiator, clientMessageId));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new AppendFailedException($"{e.GetType().Name}: {e.Message}", e);
        }

        using (answer)
        {
            return await HttpAcks.ReadAsync(answer.Response, session, clientMessageId, $"balancer→{answer.Backend.Port}");
        }
    }
}

/// <summary>Appends through the grain interface of a <see cref="SessionsClusterClient"/>.</summary>
public sealed class ClusterClientTarget(SessionsClusterClient client) : IAppendTarget
{
    private static readonly JsonElement Content = JsonDocument.Parse("""{"text":"via the cluster client"}""").RootElement.Clone();

    public string Name => "client";

    public async Task<Ack> AppendAsync(TestSession session, string clientMessageId)
    {
        try
        {
            var result = await client.GetGrain<IChatSessionGrain>(session.Id)
                .AppendAsync(new AppendMessageCommand(session.Initiator, "text", Content, null, clientMessageId, null));
            if (result.Message.ClientMessageId != clientMessageId || result.Message.SessionId != session.Id)
            {
                throw new AppendFailedException($"The client answered with another message: {result.Message}.");
            }

            return new Ack(session.Id, result.Message.Seq, clientMessageId, Name, result.Created);
        }
        catch (SessionException e)
        {
            throw new AppendFailedException($"SessionException {e.Code}: {e.Message}", e);
        }
        catch (Exception e) when (e is not AppendFailedException)
        {
            throw new AppendFailedException($"{e.GetType().Name}: {e.Message}", e);
        }
    }
}

internal static class HttpAcks
{
    public static async Task<Ack> ReadAsync(HttpResponseMessage response, TestSession session, string clientMessageId, string via)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync();
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            throw new AppendFailedException($"HTTP {(int)response.StatusCode}, body unreadable: {e.Message}", e);
        }

        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
        {
            throw new AppendFailedException($"HTTP {(int)response.StatusCode} from {via}: {(body.Length > 300 ? body[..300] : body)}");
        }

        using var document = JsonDocument.Parse(body);
        var message = document.RootElement;
        var echoed = message.GetProperty("client_message_id").GetString();
        if (echoed != clientMessageId || message.GetProperty("session_id").GetString() != session.Id)
        {
            throw new AppendFailedException($"{via} acknowledged another message: {body}");
        }

        return new Ack(session.Id, message.GetProperty("seq").GetInt64(), clientMessageId, via, response.StatusCode == HttpStatusCode.Created);
    }
}
