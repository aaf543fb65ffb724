using FastRealtime.Chat.Auth;
using FastRealtime.Chat.Gateways;

namespace FastRealtime.Chat.ChatApp;

/// <summary>
/// Seed 002's <c>/notifications</c> namespace. It handles no events: its connection guard authenticates each socket,
/// which registers it under its user id (one user, many sockets), and <see cref="NotificationService"/> pushes
/// <c>notification:new</c> to them. The seed's userId → sockets map is the framework's user registry.
/// </summary>
[Gateway(Namespace = "notifications")]
[UseGuards(typeof(JwtConnectionGuard))]
public sealed class NotificationsGateway;
