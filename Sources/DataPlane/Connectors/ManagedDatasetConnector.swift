/// A connector with a lifetime: ``ConnectorRegistry`` runs it inside its own structured task and
/// closes it when its dataset changes or goes away.
public protocol ManagedDatasetConnector: DatasetConnector {
    /// Runs the connector's background work (a PostgreSQL pool's connection management) until it is
    /// closed, cancelled, or the service group shuts down gracefully.
    func run() async

    /// Stops taking queries; in-flight queries finish, then ``run()`` returns and the pool closes.
    func close()
}
