namespace FastRealtime.Chat.ScaleOut;

/// <summary>
/// Every Redis channel and key the cluster uses, from one prefix (default "fastrealtime"); see docs/SCALE-OUT.md.
/// </summary>
public sealed class ScaleOutChannels(string prefix)
{
    public string Prefix { get; } = prefix;

    /// <summary>Emissions to a namespace ("fastrealtime:emit:/chat"): one binary envelope per message.</summary>
    public string Emit(string @namespace) => $"{Prefix}:emit:{@namespace}";

    /// <summary>Cluster queries (JSON requests every node answers).</summary>
    public string Queries => $"{Prefix}:query";

    /// <summary>Answers to the queries of one node.</summary>
    public string Replies(string nodeId) => $"{Prefix}:reply:{nodeId}";

    /// <summary>The set of node ids that joined and have not left or been declared lost.</summary>
    public string Nodes => $"{Prefix}:nodes";

    /// <summary>A node's heartbeat key (expires after ScaleOut:NodeTimeout unless refreshed).</summary>
    public string Heartbeat(string nodeId) => $"{Prefix}:node:{nodeId}";

    /// <summary>A node's last membership snapshot (JSON), read by the node that declares it lost.</summary>
    public string Members(string nodeId) => $"{Prefix}:members:{nodeId}";
}
