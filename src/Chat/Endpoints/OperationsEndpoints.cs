using System.Text;
using FastRealtime.Core.Metrics;
using FastRealtime.Transport.Server;

namespace FastRealtime.Chat.Endpoints;

/// <summary>GET /health and GET /metrics (Prometheus text format).</summary>
public static class OperationsEndpoints
{
    public static EndpointRouter MapOperations(this EndpointRouter router, PrometheusTextExporter exporter)
    {
        router.MapHttp("/health", request => ValueTask.FromResult(request.Method is "GET" or "HEAD"
            ? HttpResponse.Text(200, "OK")
            : HttpResponse.Text(405, "Method Not Allowed")));
        router.MapHttp("/metrics", request => ValueTask.FromResult(request.Method is "GET"
            ? new HttpResponse(200, Encoding.UTF8.GetBytes(exporter.Render()), "text/plain; version=0.0.4; charset=utf-8")
            : HttpResponse.Text(405, "Method Not Allowed")));
        return router;
    }
}
