import Foundation

/// Parses the provider's requested wait from `Retry-After` (RFC 9110: delay-seconds or an
/// HTTP-date) or the `retry-after-ms` extension that OpenAI and Azure send.
enum RetryAfter {
    static func parse(retryAfter: String?, retryAfterMilliseconds: String?, now: Date = Date()) -> Duration? {
        if let raw = retryAfterMilliseconds?.trimmingCharacters(in: .whitespaces), let ms = Double(raw), ms.isFinite, ms >= 0 {
            return .milliseconds(Int64(ms.rounded(.up)))
        }
        guard let raw = retryAfter?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        if let seconds = Double(raw) {
            guard seconds.isFinite, seconds >= 0 else { return nil }
            return .milliseconds(Int64((seconds * 1000).rounded(.up)))
        }
        guard let date = Self.httpDate(raw) else { return nil }
        let seconds = max(0, date.timeIntervalSince(now))
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }

    /// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) plus the two obsolete forms RFC 9110 still accepts.
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
