import AnalyticsCore
import MetadataStore
import TestSupport
import Testing

@testable import AnalyticsServer

/// `tools/call` without a stream is answered by the tool dispatcher directly, not through the SDK
/// server: the answer must be the SDK's own, and the exchange must behave like any other request.
@Suite("MCP tools/call path")
struct MCPToolCallPathTests {
    @Test("a JSON tools/call answers exactly what the SDK server answers on a stream, results and errors alike")
    func sameAnswerAsSDK() async throws {
        try await MCPTestServer.run { server in
            try await server.activateDataset(id: "panel")
            let session = try await server.openSession(as: .analyst)
            let calls: [JSONValue] = [
                [
                    "name": "execute_sql",
                    "arguments": ["dataset_id": "panel", "sql": "SELECT gender, count(*) AS n FROM respondents GROUP BY gender"],
                ],
                ["name": "execute_sql", "arguments": ["dataset_id": "panel", "sql": "DELETE FROM respondents"]],
                ["name": "execute_sql", "arguments": ["dataset_id": "nope", "sql": "SELECT 1"]],
                ["name": "list_datasets", "arguments": [:]],
                ["name": "list_datasets"],
                ["name": "no_such_tool", "arguments": [:]],
            ]
            for (index, call) in calls.enumerated() {
                let id = Int64(100 + index)
                let direct = try await server.send(MCPTestServer.request(id, "tools/call", call), as: .analyst, session: session)
                var streamedCall = call.objectValue ?? [:]
                streamedCall["_meta"] = ["progressToken": .string("p\(index)")]
                let viaSDK = try await server.send(
                    MCPTestServer.request(id + 50, "tools/call", .object(streamedCall)),
                    as: .analyst,
                    session: session
                )
                #expect(direct.status == .ok && direct.contentType == "application/json", "\(call)")
                #expect(viaSDK.contentType == "text/event-stream", "\(call)")
                let sdk = try #require(viaSDK.events.last, "\(call)")
                #expect(direct.json?["id"] == .int(id))
                #expect(Self.withoutTimings(direct.json?["result"]) == Self.withoutTimings(sdk["result"]), "\(call): \(direct.text)")
                #expect(direct.json?["error"] == sdk["error"], "\(call)")
            }
            let refused = try await server.send(
                MCPTestServer.request(
                    200,
                    "tools/call",
                    ["name": "execute_sql", "arguments": ["dataset_id": "panel", "sql": "DELETE FROM respondents"]]
                ),
                as: .analyst,
                session: session
            )
            #expect(refused.json?["result"]?["isError"] == true)
            #expect(refused.json?["result"]?["structuredContent"]?["error"]?["code"] == "SQL_NOT_READ_ONLY")
        }
    }

    /// Timings and query ids differ between two runs of the same call; everything else must not.
    /// The text content repeats them, so of it only the kinds of items are compared.
    static func withoutTimings(_ value: JSONValue?) -> JSONValue? {
        guard var result = value?.objectValue else { return value }
        if var structured = result["structuredContent"]?.objectValue {
            structured["query_id"] = nil
            structured["elapsed_ms"] = nil
            structured["cached"] = nil
            result["structuredContent"] = .object(structured)
        }
        if let content = result["content"]?.arrayValue {
            result["content"] = .array(content.map { $0["type"] ?? .null })
        }
        return .object(result)
    }

    @Test("notifications/cancelled stops a running call, which answers 'Request cancelled' and is logged QUERY_CANCELLED")
    func cancellation() async throws {
        try await MCPTestServer.run { server in
            try await server.activateDataset(id: "panel")
            let session = try await server.openSession(as: .analyst)
            // Counts to 10^11: it would run until the statement timeout without the cancellation.
            let sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000000) SELECT count(*) AS n FROM c"
            let call = MCPTestServer.request(7, "tools/call", ["name": "execute_sql", "arguments": ["dataset_id": "panel", "sql": .string(sql)]])
            async let answer = server.send(call, as: .analyst, session: session)
            try await Task.sleep(for: .milliseconds(300))
            let duplicate = try await server.sendAside(call, as: .analyst, session: session)
            #expect(duplicate.status == .badRequest)
            #expect(duplicate.text.contains("already in flight"))
            let cancel = try await server.sendAside(
                ["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": 7, "reason": "user stopped"]],
                as: .analyst,
                session: session
            )
            #expect(cancel.status == .accepted)
            let reply = try await answer
            #expect(reply.rpcErrorCode == -32800, "\(reply.text)")
            try await eventually {
                try await server.dependencies.dataPlane.queryLog.flush()
                let entries = try await server.dependencies.store.queryLog(QueryLogFilter(datasetID: "panel", limit: 10))
                return entries.contains { $0.errorCode == "QUERY_CANCELLED" }
            }
            let after = try await server.send(
                MCPTestServer.request(
                    8,
                    "tools/call",
                    ["name": "execute_sql", "arguments": ["dataset_id": "panel", "sql": "SELECT count(*) AS n FROM respondents"]]
                ),
                as: .analyst,
                session: session
            )
            #expect(after.json?["result"]?["isError"] == nil, "the session and the dataset still answer")
        }
    }
}
