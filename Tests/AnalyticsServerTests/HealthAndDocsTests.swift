import AnalyticsCore
import AnalyticsServer
import Foundation
import TestSupport
import Testing

@Suite("Health and documents")
struct HealthAndDocsTests {
    @Test("health endpoints answer without auth and report the store", arguments: StoreBackend.allCases)
    func health(backend: StoreBackend) async throws {
        try await TestApp.run(backend) { app in
            for path in ["/health", "/mcp/health"] {
                let result = try await app.request(.get, path, as: nil)
                #expect(result.status == .ok)
                #expect(result.json?["status"]?.stringValue == "ok")
                #expect(result.json?["version"]?.stringValue == BuildInfo.version)
                #expect(result.json?["store"]?["backend"]?.stringValue == backend.rawValue)
                #expect(result.json?["store"]?["reachable"]?.boolValue == true)
            }
        }
    }

    @Test("the OpenAPI document lists exactly the routes the router serves")
    func openAPIMatchesRoutes() async throws {
        let document = try #require(OpenAPIDocument.data)
        let paths = try #require(try JSONValue.parse(document)["paths"]?.objectValue)
        var documented: Set<RouteTable.Entry> = []
        for (path, item) in paths {
            for method in (item.objectValue ?? [:]).keys where method != "parameters" {
                documented.insert(RouteTable.Entry(method: method.uppercased(), path: path))
            }
        }
        let table = RouteTable()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try await StoreSession.with(url: "sqlite:" + directory.file("r.sqlite"), logger: .init(label: "t")) { store in
            var configuration = ServerConfiguration()
            configuration.dataDirectory = directory.path
            let dependencies = try ServerRuntime.dependencies(configuration: configuration, store: store, logger: .init(label: "t"))
            _ = AnalyticsApplication.buildRouter(dependencies, routes: table)
        }
        let registered = Set(table.entries)
        #expect(!registered.isEmpty)
        #expect(registered.subtracting(documented).sorted() == [], "routes missing from openapi.json")
        #expect(documented.subtracting(registered).sorted() == [], "documented routes the router does not serve")
    }

    @Test("every documented route is served over HTTP (no router 404)")
    func documentedRoutesRespond() async throws {
        let document = try #require(OpenAPIDocument.data)
        let paths = try #require(try JSONValue.parse(document)["paths"]?.objectValue)
        try await TestApp.run(.sqlite) { app in
            for (path, item) in paths {
                for method in (item.objectValue ?? [:]).keys where method != "parameters" {
                    let concrete = path.replacingOccurrences(of: #"\{[^}]+\}"#, with: "no_such_id", options: .regularExpression)
                    let result = try await app.request(.init(rawValue: method.uppercased())!, concrete, body: "{}")
                    let message = result.json?["error"]?["message"]?.stringValue ?? ""
                    #expect(!message.hasPrefix("No route for"), "\(method.uppercased()) \(path) is documented but not routed")
                }
            }
        }
    }

    @Test("unknown routes get a coded 404")
    func unknownRoute() async throws {
        try await TestApp.run(.sqlite) { app in
            let result = try await app.request(.get, "/api/nope")
            #expect(result.status == .notFound, "\(result.text)")
            #expect(result.errorCode == "NOT_FOUND")
            let unauthenticated = try await app.request(.get, "/nothing/here", as: nil)
            #expect(unauthenticated.status == .notFound)
            #expect(unauthenticated.errorCode == "NOT_FOUND")
        }
    }

    @Test("metrics are exposed in Prometheus format")
    func metrics() async throws {
        try await TestApp.run(.sqlite) { app in
            let result = try await app.request(.get, "/metrics", as: nil)
            #expect(result.status == .ok)
            #expect(result.headers[.contentType]?.hasPrefix("text/plain") == true)
        }
    }
}
