import AnalyticsCore
import NIOCore
import NIOHTTP1

/// Reads one HTTP request at a time, records it, and answers with the scripted reply.
final class FakeOpenAIHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: FakeOpenAIState
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var scheduled: Scheduled<Void>?

    init(state: FakeOpenAIState) {
        self.state = state
    }

    func channelActive(context: ChannelHandlerContext) {
        self.state.opened(context.channel)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.scheduled?.cancel()
        self.scheduled = nil
        self.state.closed(context.channel)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            self.body.clear()
        case .body(var chunk):
            self.body.writeBuffer(&chunk)
        case .end:
            guard let head = self.head else { return }
            self.head = nil
            var headers: [String: String] = [:]
            for (name, value) in head.headers {
                let key = name.lowercased()
                headers[key] = headers[key].map { $0 + ", " + value } ?? value
            }
            let request = FakeOpenAIRequest(
                method: "\(head.method)",
                path: head.uri,
                headers: headers,
                body: String(buffer: self.body),
                receivedAt: .now
            )
            let reply: FakeOpenAIReply
            if head.method != .POST {
                reply = .status(405, message: "Only POST is supported.")
            } else if let scripted = self.state.receive(request) {
                reply = scripted
            } else {
                reply = .status(404, message: "Unknown route \(head.uri).")
            }
            self.respond(context: context, reply: reply, to: request, keepAlive: head.isKeepAlive)
        }
    }

    private func respond(context: ChannelHandlerContext, reply: FakeOpenAIReply, to request: FakeOpenAIRequest, keepAlive: Bool) {
        switch reply {
        case .delayed(let delay, let next):
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            self.scheduled = context.eventLoop.scheduleTask(in: .nanoseconds(delay.wholeNanoseconds)) {
                let (handler, context) = bound.value
                handler.scheduled = nil
                handler.respond(context: context, reply: next, to: request, keepAlive: keepAlive)
            }
        case .computed(let compute):
            self.respond(context: context, reply: compute(request), to: request, keepAlive: keepAlive)
        case .closeConnection:
            context.close(promise: nil)
        default:
            let response = FakeOpenAIServer.response(for: reply, to: request)
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(response.body.utf8.count))
            for (name, value) in response.headers { headers.add(name: name, value: value) }
            headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
            let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
            context.write(self.wrapOutboundOut(.head(head)), promise: nil)
            context.write(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: response.body)))), promise: nil)
            if keepAlive {
                context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
            } else {
                context.writeAndFlush(self.wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
            }
        }
    }
}
