import AnalyticsCore
import AnalyticsServer
import DataPlane
import DemoPanel
import Foundation
import HTTPTypes
import Logging
import NIOCore
import TestSupport
import Testing

/// Issue 6's "done when": a PostgreSQL dataset registered through the API goes, with no manual
/// step but the approval, from `draft` to `active` with a profile, quality findings and a drafted
/// description, and appears in a connected MCP session's tool list without a restart.
@Suite("Onboarding done-when")
struct OnboardingDoneWhenTests {
    @Test(
        "a PostgreSQL demo panel registered over REST reaches human_review on its own and goes active on approval",
        arguments: StoreBackend.allCases
    )
    func registerToActive(backend: StoreBackend) async throws {
        let database = try await TestPostgres.createDatabase(prefix: "done")
        do {
            try await DemoPanelLoader(spec: ProfileRoutesTests.spec, logger: Logger(label: "test.demo")).load(into: database.url)
            // One table with problems, so the quality rules have something to find.
            try await TestPostgres.execute(
                [
                    "CREATE TABLE panel_notes (note_id integer, respondent_id integer, remark text)",
                    "INSERT INTO panel_notes SELECT g, g % 7, NULL FROM generate_series(1, 200) g",
                ],
                on: database.url
            )
            try await TestApp.run(backend, configure: { $0.autoOnboard = true }) { app in
                // An analyst's MCP session, open before the dataset exists and kept open throughout.
                let session = try await app.openMCPSession()
                #expect(try await app.mcpDatasetIDs(session).isEmpty)
                let before = try await app.mcpToolEnum(session)
                #expect(before == nil || before == [], "\(String(describing: before))")

                let created = try await app.request(
                    .post,
                    "/api/datasets",
                    json: ["id": "consumer_panel", "name": "Consumer panel", "connection_url": .string(database.url.raw)]
                )
                #expect(created.status == .created, "\(created.text.prefix(300))")
                #expect(created.json?["state"] == "draft")
                #expect(created.json?["description"] == "")

                let review = try #require(try await app.waitForDataset("consumer_panel", state: "human_review"))
                #expect(review["description"]?.stringValue?.isEmpty == false, "the drafted description")
                #expect(review["metadata"]?["provenance"]?["generator"] == "offline")

                let profile = try await app.request(.get, "/api/datasets/consumer_panel/profile", as: .viewer)
                #expect(profile.status == .ok)
                let tables = Set(profile.json?["tables"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [])
                #expect(tables.isSuperset(of: ["respondents", "panel_notes"]), "\(tables)")
                let quality = try await app.request(.get, "/api/datasets/consumer_panel/quality", as: .viewer)
                let findings = quality.json?["findings"]?.arrayValue ?? []
                #expect(!findings.isEmpty, "the bad table has findings")
                #expect(findings.contains { $0["table"]?.stringValue == "panel_notes" }, "\(quality.text.prefix(600))")
                let metadata = try await app.request(.get, "/api/datasets/consumer_panel/metadata", as: .viewer)
                #expect(metadata.json?["metadata"]?["data_dictionary"]?.arrayValue?.count == tables.count)

                let transitions = try await app.request(.get, "/api/datasets/consumer_panel/history", as: .viewer)
                let path = transitions.json?["transitions"]?.arrayValue?.compactMap { $0["to"]?.stringValue } ?? []
                #expect(path == ["draft", "metadata_pending", "human_review"] || path == ["metadata_pending", "human_review"], "\(path)")

                let approved = try await app.request(.post, "/api/datasets/consumer_panel/review", as: .reviewer, json: ["decision": "approve"])
                #expect(approved.status == .ok, "\(approved.text.prefix(300))")
                #expect(approved.json?["state"] == "active")
                let active = try await app.request(.get, "/api/datasets?state=active", as: .viewer)
                #expect(active.json?["datasets"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["consumer_panel"])

                // The same session sees it: in the tools' dataset enum and in list_datasets.
                let deadline = Date().addingTimeInterval(60)
                var listed = try await app.mcpToolEnum(session)
                while listed != ["consumer_panel"], Date() < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                    listed = try await app.mcpToolEnum(session)
                }
                #expect(listed == ["consumer_panel"], "describe_dataset's dataset_id enum after approval")
                let datasets = try await app.mcpDatasetIDs(session)
                #expect(datasets == ["consumer_panel"])
            }
            await database.drop()
        } catch {
            await database.drop()
            throw error
        }
    }
}

/// Just enough MCP over Streamable HTTP for the done-when check (the MCP suites test the transport).
extension TestApp {
    static let sessionHeader = HTTPField.Name("Mcp-Session-Id")!

    func mcp(_ message: JSONValue, session: String?, as role: Role = .analyst) async throws -> (HTTPResponse, JSONValue?) {
        var headers: HTTPFields = [.contentType: "application/json", .accept: "application/json, text/event-stream"]
        if let token = self.tokens[role] { headers[.authorization] = "Bearer \(token)" }
        if let session { headers[Self.sessionHeader] = session }
        let response = try await self.client.execute(uri: "/mcp", method: .post, headers: headers, body: ByteBuffer(string: message.serialized()))
        var head = HTTPResponse(status: response.status)
        head.headerFields = response.headers
        return (head, try? JSONValue.parse(String(buffer: response.body)))
    }

    func openMCPSession() async throws -> String {
        let (reply, _) = try await self.mcp(
            [
                "jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": ["protocolVersion": "2025-11-25", "capabilities": [:], "clientInfo": ["name": "done-when", "version": "1"]],
            ],
            session: nil
        )
        let session = try #require(reply.headerFields[Self.sessionHeader], "initialize: \(reply.status)")
        let (initialized, _) = try await self.mcp(["jsonrpc": "2.0", "method": "notifications/initialized"], session: session)
        #expect(initialized.status == .accepted)
        return session
    }

    /// The dataset ids `describe_dataset` accepts, from `tools/list` (nil when the schema has no enum).
    func mcpToolEnum(_ session: String) async throws -> [String]? {
        let (_, json) = try await self.mcp(["jsonrpc": "2.0", "id": 2, "method": "tools/list"], session: session)
        let describe = json?["result"]?["tools"]?.arrayValue?.first { $0["name"] == "describe_dataset" }
        return describe?["inputSchema"]?["properties"]?["dataset_id"]?["enum"]?.arrayValue?.compactMap(\.stringValue)
    }

    /// The ids `list_datasets` returns in this session.
    func mcpDatasetIDs(_ session: String) async throws -> [String] {
        let (_, json) = try await self.mcp(
            ["jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": ["name": "list_datasets", "arguments": [:]]],
            session: session
        )
        let datasets = try #require(json?["result"]?["structuredContent"]?["datasets"]?.arrayValue, "\(String(describing: json))")
        return datasets.compactMap { $0["id"]?.stringValue }
    }
}
