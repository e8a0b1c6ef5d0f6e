import Foundation
import Hummingbird

/// `application/x-www-form-urlencoded` bodies and query strings, as the OAuth endpoints read them.
enum FormBody {
    /// The parameters of `text`; `nil` when one is repeated (RFC 6749 §3.1 forbids it) or malformed.
    static func parse(_ text: String) -> [String: String]? {
        var values: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), !name.isEmpty else { return nil }
            let value = parts.count == 2 ? Self.decode(parts[1]) : ""
            guard let value, values[name] == nil else { return nil }
            values[name] = value
        }
        return values
    }

    static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// Reads a form body (up to 64 KiB). Another media type or a malformed body is `nil`.
    static func read(_ request: Request, context: some RequestContext) async -> [String: String]? {
        let mediaType = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "application/x-www-form-urlencoded",
            let buffer = try? await request.body.collect(upTo: 64 * 1024)
        else { return nil }
        return self.parse(String(buffer: buffer))
    }

    /// `Set-Cookie` for a cookie scoped to the whole site, `HttpOnly` and `SameSite=Lax`; `Secure`
    /// when the server's public URL is https.
    static func cookie(name: String, value: String, maxAge: Int, secure: Bool) -> String {
        "\(name)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }
}
