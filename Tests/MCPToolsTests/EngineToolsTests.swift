import AnalyticsCore
import Foundation
import MCP
import MetadataStore
import Synchronization
import Testing

@testable import MCPTools

@Suite("SQL tools over the real query engine")
struct EngineToolsTests {
    /// Counts to two billion in SQLite: runs for minutes unless stopped.
    static let slowSQL = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) SELECT count(*) FROM c"

    @Test("execute_sql returns columns, rows and a tab-separated rendering; the engine logs it once with the client")
    func executeSQL() async throws {
        try await EngineTestbed.run { bed in
            let result = try await bed.call(
                "execute_sql",
                ["dataset_id": "panel", "sql": "SELECT gender, COUNT(*) AS n FROM respondents GROUP BY gender ORDER BY gender"]
            )
            #expect(result.isError != true, "\(result.text ?? "")")
            let body = try #require(result.structured)
            #expect(body["columns"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["gender", "n"])
            #expect(body["rows"] == [["Female", 20], ["Male", 20]])
            #expect(body["row_count"] == 2)
            #expect(body["truncated"] == false)
            let text = try #require(result.text)
            #expect(text.hasPrefix("2 rows · aggregated"))
            #expect(text.contains("gender\tn\nFemale\t20\nMale\t20"))
            let entries = try await bed.log().filter { $0.tool == "execute_sql" }
            #expect(entries.count == 1)
            #expect(entries.first?.clientName == "inspector")
            #expect(entries.first?.clientVersion == "0.17")
            #expect(entries.first?.principalName == ToolTestbed.analyst.name)
            #expect(entries.first?.status == .ok)
        }
    }

    @Test("guard refusals are error results with their stable codes, logged by the engine")
    func refusals() async throws {
        try await EngineTestbed.run { bed in
            let cases = [
                ("DELETE FROM respondents", "SQL_NOT_READ_ONLY"), ("SELECT 1; SELECT 2", "SQL_MULTIPLE_STATEMENTS"), ("SELEC 1", "SQL_PARSE_ERROR"),
            ]
            for (sql, code) in cases {
                let result = try await bed.call("execute_sql", ["dataset_id": "panel", "sql": .string(sql)])
                #expect(result.errorCode == code, "\(sql)")
            }
            let logged = try await bed.log().filter { $0.tool == "execute_sql" }.compactMap(\.errorCode)
            #expect(logged.sorted() == cases.map(\.1).sorted())
        }
    }

    @Test("every other tool call is logged by the tool layer with principal, client and outcome")
    func toolCallsAreLogged() async throws {
        try await EngineTestbed.run { bed in
            _ = try await bed.call("list_datasets")
            _ = try await bed.call("describe_dataset", ["dataset_id": "nope"])
            _ = try await bed.call("execute_sql", ["dataset_id": "panel", "sql": "SELECT 1"], as: ToolTestbed.viewer)
            let entries = try await bed.log()
            let list = try #require(entries.first { $0.tool == "list_datasets" })
            #expect(list.status == .ok)
            #expect(list.clientName == "inspector" && list.clientVersion == "0.17")
            #expect(list.datasetIDs == ["panel"])
            let describe = try #require(entries.first { $0.tool == "describe_dataset" })
            #expect(describe.errorCode == "DATASET_NOT_FOUND")
            #expect(describe.datasetIDs == ["nope"])
            let denied = entries.filter { $0.tool == "execute_sql" }
            #expect(denied.count == 1, "refused before the engine, logged once by the tool layer")
            #expect(denied.first?.errorCode == "ACCESS_DENIED")
            #expect(denied.first?.principalName == ToolTestbed.viewer.name)
        }
    }

    @Test("run_query_plan reports progress once per finished step, carrying the request's token")
    func planProgress() async throws {
        try await EngineTestbed.run { bed in
            let sent = Mutex<[JSONValue]>([])
            let reporter = ProgressReporter(token: .string("plan-7")) { data in
                let message = try JSONValue.parse(data)
                sent.withLock { $0.append(message) }
            }
            let steps: [JSONValue] = (1...4).map { i in
                ["id": .string("s\(i)"), "dataset_id": "panel", "sql": .string("SELECT COUNT(*) FROM respondents WHERE respondent_id > \(i)")]
            }
            let failing: JSONValue = ["id": "bad", "dataset_id": "panel", "sql": "SELECT nope FROM nowhere"]
            let result = try await bed.call("run_query_plan", ["plan": ["queries": .array(steps + [failing])]], progress: reporter)
            #expect(result.isError != true)
            #expect(result.structured?["succeeded"] == 4)
            #expect(result.structured?["failed"] == 1)
            let messages = sent.withLock { $0 }
            #expect(messages.count == 5)
            #expect(messages.allSatisfy { $0["method"] == "notifications/progress" && $0["params"]?["progressToken"] == "plan-7" })
            #expect(messages.compactMap { $0["params"]?["progress"]?.doubleValue } == [1, 2, 3, 4, 5])
            #expect(messages.allSatisfy { $0["params"]?["total"]?.doubleValue == 5 })
            #expect(result.text?.contains("## bad (panel) error") == true)
        }
    }

    @Test("cancelling a plan stops its statement at once and the engine logs QUERY_CANCELLED")
    func planCancellation() async throws {
        try await EngineTestbed.run { bed in
            let started = ContinuousClock.now
            let call = Task {
                try await bed.call("run_query_plan", ["plan": ["queries": [["id": "slow", "dataset_id": "panel", "sql": .string(Self.slowSQL)]]]])
            }
            try await Task.sleep(for: .milliseconds(500))
            call.cancel()
            await #expect(throws: CancellationError.self) { try await call.value }
            let entries = try await bed.log().filter { $0.tool == "run_query_plan" }
            #expect(entries.count == 1)
            #expect(entries.first?.errorCode == "QUERY_CANCELLED")
            #expect(ContinuousClock.now - started < .seconds(15), "stopped long before the 20 s statement timeout")
        }
    }
}
