using System.Diagnostics.Metrics;
using FastRealtime.Chat.Gateways;
using FastRealtime.Chat.ScaleOut;
using FastRealtime.Tests.Gateways;
using FastRealtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FastRealtime.Tests.ScaleOut;

public sealed class ScaleOutWiringTests
{
    [Fact]
    public void AddScaleOut_NoRedisConfigured_RegistersNothing()
    {
        var services = new ServiceCollection().AddGateway<TestGateway>();
        int before = services.Count;

        Assert.False(services.AddScaleOut(new ScaleOutSettings()));

        Assert.Equal(before, services.Count);
        using var provider = services.BuildServiceProvider();
        Assert.Null(provider.GetRequiredService<GatewayServer>().Of("test").Relay);
    }

    public static TheoryData<string, ScaleOutSettings> UnworkableSettings() => new()
    {
        { "ScaleOut:OperationTimeout", new ScaleOutSettings { Redis = "127.0.0.1:1", OperationTimeout = TimeSpan.Zero } },
        { "ScaleOut:QueryTimeout", new ScaleOutSettings { Redis = "127.0.0.1:1", QueryTimeout = TimeSpan.FromSeconds(-1) } },
        { "ScaleOut:HeartbeatInterval", new ScaleOutSettings { Redis = "127.0.0.1:1", HeartbeatInterval = TimeSpan.Zero } },
        { "ScaleOut:NodeTimeout", new ScaleOutSettings { Redis = "127.0.0.1:1", NodeTimeout = TimeSpan.FromSeconds(2), HeartbeatInterval = TimeSpan.FromSeconds(2) } },
        { "MaxPendingPublishes", new ScaleOutSettings { Redis = "127.0.0.1:1", MaxPendingPublishes = 0 } },
    };

    [Theory]
    [MemberData(nameof(UnworkableSettings))]
    public void AddScaleOut_UnworkableSetting_RefusedNamingIt(string named, ScaleOutSettings settings)
    {
        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddScaleOut(settings));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public async Task Serve_ZeroOperationTimeout_ExitsWithTheSettingNamed()
    {
        var (exitCode, output) = await HostProcess.RunUntilExitAsync(TimeSpan.FromSeconds(60),
            "--redis", "127.0.0.1:1", "--set", "ScaleOut:OperationTimeout=00:00:00");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("ScaleOut:OperationTimeout must be positive", output);
    }

    [Fact]
    public void AddScaleOut_RedisConfigured_GatewaysRelayThroughItAndTheHostRunsTheNode()
    {
        var services = new ServiceCollection().AddGateway<TestGateway>();

        Assert.True(services.AddScaleOut(new ScaleOutSettings { Redis = "127.0.0.1:1" }));

        using var provider = services.BuildServiceProvider();
        Assert.Same(provider.GetRequiredService<ScaleOutRelay>(), provider.GetRequiredService<GatewayServer>().Of("test").Relay);
        Assert.Same(provider.GetRequiredService<ScaleOutNode>(), provider.GetServices<IHostedService>().Single());
        Assert.IsType<RedisBackplane>(provider.GetRequiredService<IBackplane>());
    }

    [Fact]
    public void Metrics_ConnectedGaugeAndCounters_OnTheScaleOutMeter()
    {
        bool connected = true;
        using var metrics = new ScaleOutMetrics(() => connected);
        var measured = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            measured[instrument.Name] = measured.GetValueOrDefault(instrument.Name) + value);
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => measured[instrument.Name] = value);
        listener.Start();

        metrics.OnPublished();
        metrics.OnDropped(BackplanePublishResult.DroppedBacklog);
        metrics.OnReceived();
        listener.RecordObservableInstruments();
        bool connectedThen = measured["fastrealtime.scaleout.connected"] == 1;
        connected = false;
        listener.RecordObservableInstruments();

        Assert.Equal(ScaleOutMetrics.MeterName, metrics.Meter.Name);
        Assert.True(connectedThen);
        Assert.Equal(0, measured["fastrealtime.scaleout.connected"]);
        Assert.Equal(1, measured["fastrealtime.scaleout.published"]);
        Assert.Equal(1, measured["fastrealtime.scaleout.dropped"]);
        Assert.Equal(1, measured["fastrealtime.scaleout.received"]);
    }
}
