import Foundation

/// A directory under the system temp dir that a test owns; removed by ``remove()``.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    public init(prefix: String = "mcpa") throws {
        self.url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.url, withIntermediateDirectories: true)
    }

    public var path: String { self.url.path }

    public func file(_ name: String) -> String {
        self.url.appendingPathComponent(name).path
    }

    public func remove() {
        try? FileManager.default.removeItem(at: self.url)
    }
}
