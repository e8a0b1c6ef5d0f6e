import AnalyticsCore
import Foundation
import Hummingbird

/// Builds JSON responses with one encoder configuration for the whole API.
public enum APIResponse {
    /// ISO-8601 dates, sorted keys: stable output that scripts can diff.
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    public static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return self.bytes(data, status: status)
    }

    public static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        self.bytes(value.serializedData(), status: status)
    }

    public static func error(_ error: AnalyticsError, headers: HTTPFields = [:]) -> Response {
        var response = self.bytes(error.body.serializedData(), status: HTTPResponse.Status(code: error.httpStatus))
        response.headers.append(contentsOf: headers)
        return response
    }

    static func bytes(_ data: Data, status: HTTPResponse.Status) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
