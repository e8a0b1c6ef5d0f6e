import Testing

@testable import AnalyticsCore

@Suite("Error codes")
struct ErrorCodeTests {
    @Test("codes are a closed set of distinct SCREAMING_SNAKE strings, each with an error status")
    func closedSet() {
        let raw = ErrorCode.allCases.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        for code in ErrorCode.allCases {
            #expect(code.rawValue.allSatisfy { $0.isUppercase || $0 == "_" }, "\(code)")
            #expect(ErrorCode(rawValue: code.rawValue) == code)
            let status = AnalyticsError(code, "x").httpStatus
            #expect((400...599).contains(status), "\(code) → \(status)")
        }
        #expect(ErrorCode(rawValue: "NOT_A_CODE") == nil, "unknown strings are not codes")
    }

    @Test("statuses clients depend on")
    func statuses() {
        let expected: [ErrorCode: Int] = [
            .invalidRequest: 400, .unauthenticated: 401, .accessDenied: 403, .datasetNotFound: 404, .invalidTransition: 409,
            .unsupportedMediaType: 415, .connectionFailed: 422, .rateLimited: 429, .internalError: 500, .datasetUnavailable: 503,
            .queryTimeout: 504,
        ]
        for (code, status) in expected {
            #expect(AnalyticsError(code, "x").httpStatus == status, "\(code)")
        }
    }
}
