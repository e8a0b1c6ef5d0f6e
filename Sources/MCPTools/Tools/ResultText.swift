import AnalyticsCore
import Foundation

/// Compact text for query results: a status line, a header row and tab-separated rows.
enum ResultText {
    static func render(_ result: QueryResult) -> String {
        var status = ["\(result.rowCount) row\(result.rowCount == 1 ? "" : "s")"]
        status.append(result.aggregated ? "aggregated" : "raw")
        if result.truncated { status.append("truncated") }
        if result.cached { status.append("cached") }
        status.append("\(Self.milliseconds(result.elapsedMs)) ms")
        status.append("query_id \(result.queryID)")
        var lines = [status.joined(separator: " · ")]
        lines.append(result.columns.map(\.name).joined(separator: "\t"))
        for row in result.rows {
            lines.append(row.map(Self.cell).joined(separator: "\t"))
        }
        for warning in result.warnings {
            lines.append("warning \(warning.code): \(warning.message)" + (warning.hint.map { " (\($0))" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }

    static func cell(_ value: JSONValue) -> String {
        switch value {
        case .null: "NULL"
        case .string(let s): s.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
        case .number(let n): n
        default: value.serialized()
        }
    }

    static func milliseconds(_ value: Double) -> String {
        value >= 100 ? String(Int(value.rounded())) : String((value * 10).rounded() / 10)
    }
}
