import Foundation
import NIOCore

/// Server-Sent Events framing.
enum SSE {
    static func event(_ data: Data) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeString("event: message\ndata: ")
        buffer.writeBytes(data)
        buffer.writeString("\n\n")
        return buffer
    }

    static let comment = ByteBuffer(string: ": keep-alive\n\n")
}
