import AnalyticsCore
import Foundation

extension FakeOpenAIServer {
    struct Response {
        var status: Int
        var headers: [(String, String)]
        var body: String
    }

    /// Renders a reply that answers at once (not delayed, computed or a dropped connection).
    static func response(for reply: FakeOpenAIReply, to request: FakeOpenAIRequest) -> Response {
        switch reply {
        case .content(let content, let usage):
            return Response(status: 200, headers: [], body: Self.chatCompletion(content: content, usage: usage, request: request).serialized())
        case .embeddings:
            return Response(status: 200, headers: [], body: Self.embeddings(for: request, reversed: false).serialized())
        case .embeddingsOutOfOrder:
            return Response(status: 200, headers: [], body: Self.embeddings(for: request, reversed: true).serialized())
        case .status(let status, let retryAfter, let message):
            let key = request.apiKey ?? ""
            let text =
                message?.replacingOccurrences(of: "$API_KEY", with: key)
                ?? (status == 401
                    ? "Incorrect API key provided: \(key). You can find your API key in your account settings."
                    : "Scripted failure (HTTP \(status)).")
            let body: JSONValue = [
                "error": [
                    "message": .string(text),
                    "type": status == 429 ? "rate_limit_exceeded" : (status >= 500 ? "server_error" : "invalid_request_error"),
                    "code": status == 401 ? "invalid_api_key" : .null,
                ]
            ]
            return Response(status: status, headers: retryAfter.map { [("Retry-After", $0)] } ?? [], body: body.serialized())
        case .rawBody(let body, let status):
            return Response(status: status, headers: [], body: body)
        case .delayed, .computed, .closeConnection:
            return Response(status: 500, headers: [], body: #"{"error": {"message": "unrenderable reply"}}"#)
        }
    }

    static func chatCompletion(content: String, usage: FakeOpenAIUsage?, request: FakeOpenAIRequest) -> JSONValue {
        let usage =
            usage
            ?? FakeOpenAIUsage(
                promptTokens: request.messageContents.reduce(0) { $0 + Self.tokenCount($1) },
                completionTokens: Self.tokenCount(content)
            )
        return [
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": .string(request.model ?? "unknown"),
            "choices": [
                [
                    "index": 0,
                    "message": ["role": "assistant", "content": .string(content), "refusal": .null],
                    "finish_reason": "stop",
                ]
            ],
            "usage": [
                "prompt_tokens": .int(Int64(usage.promptTokens)),
                "completion_tokens": .int(Int64(usage.completionTokens)),
                "total_tokens": .int(Int64(usage.totalTokens)),
            ],
        ]
    }

    static func embeddings(for request: FakeOpenAIRequest, reversed: Bool) -> JSONValue {
        let inputs = request.embeddingInputs
        var items: [JSONValue] = inputs.enumerated().map { index, text in
            [
                "object": "embedding",
                "index": .int(Int64(index)),
                "embedding": .array(Self.embedding(for: text).map { .double(Double($0)) }),
            ]
        }
        if reversed { items.reverse() }
        let tokens = Int64(inputs.reduce(0) { $0 + Self.tokenCount($1) })
        return [
            "object": "list",
            "data": .array(items),
            "model": .string(request.model ?? "unknown"),
            "usage": ["prompt_tokens": .int(tokens), "total_tokens": .int(tokens)],
        ]
    }
}
