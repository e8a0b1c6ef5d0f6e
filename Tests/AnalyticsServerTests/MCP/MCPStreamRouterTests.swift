import Foundation
import NIOCore
import Synchronization
import Testing

@testable import AnalyticsServer

@Suite("MCP stream routing")
struct MCPStreamRouterTests {
    static func data(_ text: String) -> Data { Data(text.utf8) }

    static func collect(_ stream: AsyncStream<ByteBuffer>) async -> String {
        var text = ""
        for await buffer in stream { text += String(buffer: buffer) }
        return text
    }

    @Test("progress goes to the stream of the request with that token, then the response ends it")
    func progressOnRequestStream() async throws {
        let router = MCPStreamRouter()
        let stream = try #require(router.expectStream(id: "n:1", progress: "s:tok"))
        let other = try #require(router.expectStream(id: "n:2", progress: "n:7"))
        router.route(Self.data(#"{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"tok","progress":1,"total":2}}"#))
        router.route(Self.data(#"{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":7,"progress":1}}"#))
        router.route(Self.data(#"{"jsonrpc":"2.0","id":1,"result":{}}"#))
        let text = await Self.collect(stream)
        #expect(text.components(separatedBy: "event: message").count == 3)
        #expect(text.contains(#""progressToken":"tok""#))
        #expect(!text.contains(#""progressToken":7"#))
        router.route(Self.data(#"{"jsonrpc":"2.0","id":2,"result":{}}"#))
        let second = await Self.collect(other)
        #expect(second.contains(#""progressToken":7"#))
        #expect(router.idleDuration(now: .now) != nil)
    }

    @Test("server-initiated messages wait for the GET stream and are delivered when it opens; one GET at a time")
    func listChangedWaitsForGet() async throws {
        let router = MCPStreamRouter()
        router.route(Self.data(#"{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}"#))
        let get = try #require(router.openStandalone())
        #expect(router.openStandalone() == nil)
        router.route(Self.data(#"{"jsonrpc":"2.0","method":"notifications/resources/list_changed"}"#))
        router.close()
        let text = await Self.collect(get)
        #expect(text.contains("tools/list_changed"))
        #expect(text.contains("resources/list_changed"))
        #expect(router.openStandalone() == nil, "a closed session opens no stream")
    }

    @Test("a dropped GET stream frees the slot for the next one")
    func reopen() async throws {
        let router = MCPStreamRouter()
        var first: AsyncStream<ByteBuffer>? = try #require(router.openStandalone())
        #expect(first != nil)
        first = nil
        #expect(router.openStandalone() != nil)
    }

    @Test("cancelling ends a waiting JSON exchange with no response; duplicate ids are refused; close ends everything")
    func cancelAndClose() async throws {
        let router = MCPStreamRouter()
        let waiting = Task {
            await withCheckedContinuation { continuation in
                #expect(router.expectJSON(id: "s:a", progress: nil, continuation: continuation))
            }
        }
        while router.idleDuration(now: .now) != nil { await Task.yield() }
        #expect(router.expectStream(id: "s:a", progress: nil) == nil, "id already in flight")
        router.cancel(id: "s:a")
        #expect(await waiting.value == nil)
        let stream = try #require(router.expectStream(id: "s:b", progress: nil))
        router.close()
        #expect(await Self.collect(stream).isEmpty)
        #expect(router.isClosed)
        router.route(Self.data(#"{"jsonrpc":"2.0","id":"b","result":{}}"#))
    }

    @Test("a stream dropped before its response reports abandonment; an answered one does not")
    func abandonment() async throws {
        let router = MCPStreamRouter()
        let abandoned = Mutex<[String]>([])
        var dropped: AsyncStream<ByteBuffer>? = router.expectStream(id: "n:1", progress: nil) { abandoned.withLock { $0.append("1") } }
        let answered = try #require(router.expectStream(id: "n:2", progress: nil) { abandoned.withLock { $0.append("2") } })
        #expect(dropped != nil)
        dropped = nil
        router.route(Self.data(#"{"jsonrpc":"2.0","id":2,"result":{}}"#))
        #expect(await Self.collect(answered).contains(#""id":2"#))
        #expect(abandoned.withLock { $0 } == ["1"])
    }
}
