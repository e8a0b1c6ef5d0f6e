import Hummingbird
import Synchronization

/// Every route the server registers, as `(method, path)` in OpenAPI spelling (`/api/datasets/{id}`).
///
/// Routes are registered only through ``RouteBuilder``, which records them here, so a test can hold
/// the published OpenAPI document against what the router really serves.
public final class RouteTable: Sendable {
    public struct Entry: Hashable, Sendable, Comparable {
        public var method: String
        public var path: String

        public init(method: String, path: String) {
            self.method = method
            self.path = path
        }

        public static func < (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.path, lhs.method) < (rhs.path, rhs.method)
        }
    }

    let storage = Mutex<Set<Entry>>([])

    public init() {}

    func record(_ method: HTTPRequest.Method, _ path: String) {
        _ = self.storage.withLock { $0.insert(Entry(method: method.rawValue, path: path)) }
    }

    public var entries: [Entry] {
        self.storage.withLock { $0.sorted() }
    }
}

/// Registers routes on a router group and records them in a ``RouteTable``.
struct RouteBuilder {
    let group: RouterGroup<AppRequestContext>
    let prefix: String
    let table: RouteTable

    init(router: Router<AppRequestContext>, prefix: String, table: RouteTable) {
        self.group = router.group(RouterPath(prefix))
        self.prefix = prefix
        self.table = table
    }

    init(group: RouterGroup<AppRequestContext>, prefix: String, table: RouteTable) {
        self.group = group
        self.prefix = prefix
        self.table = table
    }

    /// A builder whose routes pass through `middleware` first.
    func adding(middleware: any MiddlewareProtocol<Request, Response, AppRequestContext>) -> RouteBuilder {
        let group: RouterGroup<AppRequestContext> = self.group.group()
        group.add(middleware: middleware)
        return RouteBuilder(group: group, prefix: self.prefix, table: self.table)
    }

    func on(
        _ method: HTTPRequest.Method,
        _ path: String,
        use handler: @Sendable @escaping (Request, AppRequestContext) async throws -> Response
    ) {
        self.table.record(method, self.prefix + path)
        self.group.on(RouterPath(path), method: method, use: handler)
    }
}
