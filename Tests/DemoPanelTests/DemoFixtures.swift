import AnalyticsCore
import DataPlane
import DemoPanel
import Foundation
import Logging

/// Shared specs and helpers for the demo panel tests: a fixed end day keeps every run identical.
enum DemoFixtures {
    static let endDay: DemoDay = {
        guard let day = try? DemoDay(year: 2025, month: 6, day: 30) else { fatalError("fixture date") }
        return day
    }()

    static func spec(scale: Double = 0.1, seed: UInt64 = 7, months: Int = DemoPanelSpec.defaultMonths) -> DemoPanelSpec {
        DemoPanelSpec(seed: seed, scale: scale, endDay: endDay, months: months)
    }

    static let logger = Logger(label: "test.demo")

    /// FNV-1a over a canonical text form of every row, a cheap fingerprint of a whole table.
    static func checksum<S: Sequence>(_ rows: S, _ line: (S.Element) -> String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for row in rows {
            for byte in line(row).utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01B3
            }
            hash ^= 0x0A
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    static func line(_ r: DemoRespondent) -> String {
        "\(r.respondentID)|\(r.gender)|\(r.ageBand)|\(r.nccs)|\(r.region)|\(r.cityTier)|\(r.householdSize)|\(r.weight)"
    }

    static func line(_ e: DemoViewingEvent) -> String {
        "\(e.eventID)|\(e.respondentID)|\(e.channel)|\(e.genre)|\(e.startTime.text)|\(e.minutes)"
    }

    static func line(_ p: DemoPurchase) -> String {
        "\(p.purchaseID)|\(p.respondentID)|\(p.category)|\(p.brand)|\(p.amountText)|\(p.purchaseDate.text)"
    }

    /// Runs `body` and returns the `AnalyticsError` it throws, or nil when it throws nothing or something else.
    static func analyticsError(_ body: () throws -> Void) -> AnalyticsError? {
        do {
            try body()
            return nil
        } catch {
            return error as? AnalyticsError
        }
    }

    static func asyncAnalyticsError(_ body: () async throws -> Void) async -> AnalyticsError? {
        do {
            try await body()
            return nil
        } catch {
            return error as? AnalyticsError
        }
    }
}
