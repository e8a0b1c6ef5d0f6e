import AnalyticsCore
import Foundation
import Hummingbird

extension Request {
    /// Decodes a JSON body strictly: malformed JSON is `MALFORMED_JSON`, unknown fields and wrong types are
    /// `INVALID_REQUEST` naming the field, so a typo never silently does nothing.
    public func decodeJSON<T: Decodable>(
        as type: T.Type,
        allowedKeys: [String],
        context: some RequestContext
    ) async throws -> T {
        try self.requireJSONContentType()
        let buffer: ByteBuffer
        do {
            buffer = try await self.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw AnalyticsError(
                .invalidRequest,
                "The request body is larger than \(context.maxUploadSize) bytes.",
                hint: "Send a smaller body."
            )
        }
        let data = Data(buffer: buffer)
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch {
            throw AnalyticsError(
                .malformedJSON,
                "The request body is not valid JSON.",
                hint: "Send a JSON object with Content-Type: application/json."
            )
        }
        guard let object = value.objectValue else {
            throw AnalyticsError(.invalidRequest, "The request body must be a JSON object.", hint: "Send {…} with the documented fields.")
        }
        let unknown = object.keys.filter { !allowedKeys.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw AnalyticsError(
                .invalidRequest,
                "Unknown field\(unknown.count == 1 ? "" : "s"): \(unknown.joined(separator: ", ")).",
                hint: "Allowed fields: \(allowedKeys.sorted().joined(separator: ", "))."
            )
        }
        do {
            return try APIResponse.decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw AnalyticsError(.invalidRequest, Self.describe(error), hint: "See /openapi.json for the request schema.")
        } catch let error as AnalyticsError {
            throw error
        } catch {
            throw AnalyticsError(.invalidRequest, "The request body does not match the expected shape.", hint: "See /openapi.json.")
        }
    }

    /// Refuses bodies not declared as JSON (415): a browser can send `text/plain` or form bodies
    /// cross-site without a preflight, but never `application/json`.
    func requireJSONContentType() throws {
        let mediaType = self.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard let mediaType, mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json")) else {
            throw AnalyticsError(
                .unsupportedMediaType,
                "The request body must be sent as Content-Type: application/json.",
                hint: "Add the header Content-Type: application/json (curl: -H 'Content-Type: application/json')."
            )
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let prefix = path(context.codingPath)
            return "Missing required field '\(prefix.isEmpty ? key.stringValue : prefix + "." + key.stringValue)'."
        case .typeMismatch(let type, let context):
            return "Field '\(path(context.codingPath))' has the wrong type (expected \(Self.typeName(type)))."
        case .valueNotFound(let type, let context):
            return "Field '\(path(context.codingPath))' must not be null (expected \(Self.typeName(type)))."
        case .dataCorrupted(let context):
            let where_ = path(context.codingPath)
            return where_.isEmpty
                ? "The request body is not valid."
                : "Field '\(where_)' has an invalid value (\(context.debugDescription))."
        @unknown default:
            return "The request body does not match the expected shape."
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "string"
        case is Int.Type, is Int64.Type: "integer"
        case is Double.Type: "number"
        case is Bool.Type: "boolean"
        default: "\(type)".hasPrefix("Array") ? "array" : "\(type)".hasPrefix("Dictionary") ? "object" : "\(type)"
        }
    }
}
