import AnalyticsCore
import Foundation
import Logging

/// Opens the metadata store a URL names.
public enum MetadataStores {
    /// Where the registry lives when nothing is configured: a SQLite file beside the working directory.
    public static let defaultURL = "sqlite:./data/registry.sqlite"

    /// `sqlite:PATH` opens (creating the file and its directory) a ``SQLiteMetadataStore``;
    /// `postgres://…` or `postgresql://…` prepares a ``PostgresMetadataStore`` (which connects once
    /// run). Anything else is `INVALID_CONNECTION_URL`. The caller runs the store as a `Service` and
    /// calls `migrate()` before use.
    public static func open(url: String, logger: Logger) throws -> any MetadataStore {
        let parsed = try ConnectionURL(url)
        switch parsed.kind {
        case .sqlite:
            guard let path = parsed.path else {
                throw AnalyticsError(.invalidConnectionURL, "A sqlite: store URL needs a file path.", hint: "Example: \(defaultURL)")
            }
            return try SQLiteMetadataStore(path: path, logger: logger)
        case .postgres:
            return try PostgresMetadataStore(url: parsed, logger: logger)
        }
    }
}
