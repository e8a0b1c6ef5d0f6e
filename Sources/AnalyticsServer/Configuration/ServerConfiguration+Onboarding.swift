import AnalyticsCore

/// Settings of the job worker, the onboarding pipeline, review and the refresh scheduler
/// (`serve --help` lists them).
extension ServerConfiguration {
    static let onboardingOptions: [Option] = [
        Option(name: "job-workers") { config, value in config.jobWorkers = try bounded("job-workers", value, 0...64) },
        Option(name: "job-lease-seconds") { config, value in
            config.jobLeaseSeconds = try seconds("job-lease-seconds", value, 1...3_600)
        },
        Option(name: "job-retry-base-seconds") { config, value in
            config.jobRetryBaseSeconds = try seconds("job-retry-base-seconds", value, 0...3_600)
        },
        Option(name: "job-max-attempts") { config, value in config.jobMaxAttempts = try bounded("job-max-attempts", value, 1...20) },
        Option(name: "auto-onboard") { config, value in config.autoOnboard = try bool("auto-onboard", value) },
        Option(name: "refuse-privileged-logins") { config, value in
            config.refusePrivilegedLogins = try bool("refuse-privileged-logins", value)
        },
        Option(name: "required-reviewers") { config, value in
            config.requiredReviewers = try bounded("required-reviewers", value, 1...10)
        },
        Option(name: "profile-refresh-hours") { config, value in
            config.profileRefreshHours = try bounded("profile-refresh-hours", value, 0...8_760)
        },
        Option(name: "refresh-draft-on-drift") { config, value in config.refreshDraftOnDrift = try bool("refresh-draft-on-drift", value) },
    ]

    static func bounded(_ name: String, _ value: String, _ range: ClosedRange<Int>) throws -> Int {
        guard let number = Int(value.trimmingCharacters(in: .whitespaces)), range.contains(number) else {
            throw invalid(name, value, "an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    static func seconds(_ name: String, _ value: String, _ range: ClosedRange<Double>) throws -> Double {
        guard let number = Double(value.trimmingCharacters(in: .whitespaces)), number.isFinite, range.contains(number) else {
            throw invalid(name, value, "a number of seconds from \(Int(range.lowerBound)) to \(Int(range.upperBound))")
        }
        return number
    }
}
