import AnalyticsCore
import AsyncHTTPClient
import Foundation
import NIOCore

extension OpenAICompatibleClient {
    /// A 2xx answer, with the body read in full.
    struct HTTPReply: Sendable {
        var status: Int
        var body: Data
    }

    /// POSTs `body` to `path` under the base URL, once, within the request timeout.
    ///
    /// Throws ``AttemptFailure`` for every non-2xx status and transport problem (classified as
    /// retryable or not) and `CancellationError` when the calling task is cancelled.
    func post(_ path: String, body: JSONValue) async throws -> HTTPReply {
        var request = HTTPClientRequest(url: self.configuration.baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(self.apiKey.value)")
        request.headers.add(name: "User-Agent", value: "mcp-analytics")
        request.body = .bytes(ByteBuffer(bytes: body.serializedData()))

        let prepared = request
        let timeout = self.configuration.requestTimeout
        let httpClient = self.httpClient
        let limit = self.configuration.maxResponseBytes
        let exchange: (status: Int, retryAfter: String?, retryAfterMilliseconds: String?, body: ByteBuffer)
        do {
            exchange = try await withTimeout(timeout) {
                let response = try await httpClient.execute(prepared, timeout: .nanoseconds(timeout.wholeNanoseconds))
                let body = try await response.body.collect(upTo: limit)
                return (
                    Int(response.status.code), response.headers.first(name: "Retry-After"),
                    response.headers.first(name: "retry-after-ms"), body
                )
            }
        } catch {
            throw self.transportFailure(error)
        }

        let data = Data(exchange.body.readableBytesView)
        guard (200..<300).contains(exchange.status) else {
            throw self.statusFailure(
                status: exchange.status,
                body: data,
                retryAfter: RetryAfter.parse(retryAfter: exchange.retryAfter, retryAfterMilliseconds: exchange.retryAfterMilliseconds)
            )
        }
        return HTTPReply(status: exchange.status, body: data)
    }

    /// Classifies an error thrown while sending or receiving.
    func transportFailure(_ error: any Error) -> any Error {
        if error is CancellationError || Task.isCancelled { return CancellationError() }
        if error is TimeoutError || (error as? HTTPClientError) == .deadlineExceeded || (error as? HTTPClientError) == .readTimeout {
            return AttemptFailure(kind: .timeout, reason: "no answer within \(self.configuration.requestTimeout)")
        }
        if error is NIOTooManyBytesError {
            return AttemptFailure(kind: .invalidOutput, reason: "response larger than \(self.configuration.maxResponseBytes) bytes")
        }
        // Transport errors describe hosts and sockets, never headers, so the text is safe to keep.
        return AttemptFailure(kind: .connection, reason: "connection failed (\(self.apiKey.redact(in: String(describing: error))))")
    }

    /// Classifies a non-2xx answer. 429 and 5xx (and 408) are retryable; other 4xx are final.
    func statusFailure(status: Int, body: Data, retryAfter: Duration?) -> AttemptFailure {
        let detail = (try? JSONDecoder().decode(OpenAIWireFormat.ErrorBody.self, from: body))?.error
        let providerCode = detail?.code ?? detail?.type
        var reason = "HTTP \(status)"
        if let providerCode { reason += " (\(self.apiKey.redact(in: providerCode)))" }
        // Authentication errors echo a masked key; their message is never repeated.
        if status != 401, status != 403, let message = detail?.message, !message.isEmpty {
            reason += ": " + String(self.apiKey.redact(in: message).prefix(300))
        }
        let kind: AttemptFailure.Kind
        switch status {
        case 429: kind = .rateLimited
        case 408: kind = .timeout
        case 500...599: kind = .serverError
        default: kind = .rejected
        }
        let honoursRetryAfter = status == 429 || status == 503
        return AttemptFailure(
            kind: kind,
            status: status,
            reason: reason,
            retryAfter: honoursRetryAfter ? retryAfter : nil,
            providerCode: providerCode.map(self.apiKey.redact(in:))
        )
    }
}
