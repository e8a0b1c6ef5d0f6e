/// A store that can wake a ``ChangeFeed`` the moment another process appends an event, instead of
/// at the next poll. ``PostgresMetadataStore`` implements it with `LISTEN mcpa_events`.
public protocol ChangeNotificationSource: Sendable {
    /// Calls `onNotification` once when listening has started and again for each notification,
    /// until the task is cancelled (then returns) or the connection fails (then throws).
    func listenForChanges(_ onNotification: @escaping @Sendable () -> Void) async throws
}
