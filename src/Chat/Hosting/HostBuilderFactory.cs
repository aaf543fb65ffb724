using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace FastRealtime.Chat.Hosting;

/// <summary>
/// The one place that decides where settings come from — appsettings.json and appsettings.{Environment}.json next to
/// the executable, environment variables, FASTREALTIME_* variables, then the command's flags — so that
/// <c>serve</c> and <c>token</c> read the same secret and data folder.
/// </summary>
internal static class HostBuilderFactory
{
    public static HostApplicationBuilder Create(IEnumerable<KeyValuePair<string, string?>> overrides)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Configuration.AddEnvironmentVariables("FASTREALTIME_");
        builder.Configuration.AddInMemoryCollection(overrides);
        return builder;
    }
}
