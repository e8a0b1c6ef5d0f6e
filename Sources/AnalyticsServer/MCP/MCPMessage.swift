import AnalyticsCore
import Foundation

/// The routing facts of one JSON-RPC message: what it is, its id, and (for requests) its progress
/// token; read once per message so the transport never decodes a body twice.
struct MCPMessage: Sendable {
    enum Kind: Sendable, Equatable {
        case request(method: String)
        case notification(method: String)
        case response
    }

    var kind: Kind
    /// The JSON-RPC id as sent, for error bodies that must echo it.
    var id: JSONValue?
    /// The JSON-RPC id as a routing key (`s:abc` or `n:7`); `nil` for notifications.
    var idKey: String?
    /// `params._meta.progressToken` of a request, as a routing key.
    var progressKey: String?
    /// `params.requestId` of `notifications/cancelled`, as a routing key.
    var cancelledKey: String?
    var progressTokenOfNotification: String?
    /// `params.name` of a `tools/call` request: the tool, for the per-tool scope check.
    var toolName: String?
    /// `params` of a `tools/call` request, so the call can be answered without parsing the body again.
    var toolParams: JSONValue?

    /// `nil` when the body is not a single JSON-RPC message object.
    init?(_ data: Data) {
        guard let value = try? JSONValue.parse(data), let object = value.objectValue else { return nil }
        self.id = object["id"]
        let id = object["id"].flatMap(Self.key)
        if let method = object["method"]?.stringValue {
            if let id {
                self.kind = .request(method: method)
                self.idKey = id
                self.progressKey = object["params"]?["_meta"]?["progressToken"].flatMap(Self.key)
                if method == "tools/call" {
                    self.toolName = object["params"]?["name"]?.stringValue
                    // Anything the SDK would refuse as malformed still goes to the SDK for its error.
                    if object["jsonrpc"] == "2.0", object["params"]?.objectValue != nil { self.toolParams = object["params"] }
                }
            } else {
                self.kind = .notification(method: method)
                self.idKey = nil
                if method == "notifications/cancelled" {
                    self.cancelledKey = object["params"]?["requestId"].flatMap(Self.key)
                }
                if method == "notifications/progress" {
                    self.progressTokenOfNotification = object["params"]?["progressToken"].flatMap(Self.key)
                }
            }
        } else if object["result"] != nil || object["error"] != nil, let id {
            self.kind = .response
            self.idKey = id
        } else {
            return nil
        }
    }

    var method: String? {
        switch self.kind {
        case .request(let method), .notification(let method): method
        case .response: nil
        }
    }

    var isInitialize: Bool { self.kind == .request(method: "initialize") }

    /// Ids and progress tokens may be strings or integers; `1` and `"1"` are different ids.
    static func key(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): "s:" + s
        case .int(let i): "n:\(i)"
        case .double(let d) where d.rounded() == d: "n:\(Int64(d))"
        default: nil
        }
    }
}
