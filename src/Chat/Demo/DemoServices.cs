using FastRealtime.Chat.Endpoints;
using FastRealtime.Chat.Gateways;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastRealtime.Chat.Demo;

public static class DemoServices
{
    /// <summary>The seed 001 demo gateway on "/" and its stats.</summary>
    public static IServiceCollection AddDemoGateway(this IServiceCollection services)
    {
        services.AddSingleton<DemoGatewayStats>();
        return services.AddGateway<DemoGateway>();
    }

    /// <summary>The container a server gets when its host supplies none: logging, the demo gateway and the /bench gateway.</summary>
    public static ServiceProvider CreateDefaultProvider(ILoggerFactory? loggerFactory)
    {
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory ?? NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddDemoGateway();
        services.AddBenchmarkGateway();
        return services.BuildServiceProvider();
    }
}
