import ArgumentParser

/// `serve` options for background jobs, onboarding, review and scheduled refreshes.
struct OnboardingOptions: ParsableArguments {
    @Option(
        name: .customLong("job-workers"),
        help:
            "Background jobs this process runs at once (profiling, drafting, drift checks, embeddings); 0 runs none (env MCPA_JOB_WORKERS; default 2)."
    )
    var jobWorkers: Int?

    @Option(
        name: .customLong("job-lease-seconds"),
        help: "Seconds a job's lease holds without a heartbeat; a dead process's job is picked up after it (env MCPA_JOB_LEASE_SECONDS; default 60)."
    )
    var jobLeaseSeconds: Double?

    @Option(
        name: .customLong("job-retry-base-seconds"),
        help: "First retry delay of a failed job, doubled per attempt (env MCPA_JOB_RETRY_BASE_SECONDS; default 5)."
    )
    var jobRetryBaseSeconds: Double?

    @Option(
        name: .customLong("job-max-attempts"),
        help: "Attempts a background job gets before it ends failed (env MCPA_JOB_MAX_ATTEMPTS; default 3)."
    )
    var jobMaxAttempts: Int?

    @Option(
        name: .customLong("refuse-privileged-logins"),
        help:
            "true refuses dataset logins that can do more than read (superuser, write or create rights) instead of registering them with warnings (env MCPA_REFUSE_PRIVILEGED_LOGINS; default false)."
    )
    var refusePrivilegedLogins: String?

    @Option(
        name: .customLong("auto-onboard"),
        help: "true: registering a dataset profiles it and drafts its metadata, then leaves it in human_review (env MCPA_AUTO_ONBOARD; default true)."
    )
    var autoOnboard: String?

    @Option(
        name: .customLong("required-reviewers"),
        help: """
            Reviewers a dataset needs; above 1 nobody may approve a dataset they registered or last documented \
            (SELF_APPROVAL_REFUSED) (env MCPA_REQUIRED_REVIEWERS; default 1).
            """
    )
    var requiredReviewers: Int?

    @Option(
        name: .customLong("profile-refresh-hours"),
        help: """
            Hours between scheduled re-profiles with drift checks of active datasets; a dataset's settings.profile_refresh_hours \
            wins; 0 turns them off (env MCPA_PROFILE_REFRESH_HOURS; default 24).
            """
    )
    var profileRefreshHours: Int?

    @Option(
        name: .customLong("refresh-draft-on-drift"),
        help: "true: drift also drafts refreshed metadata, proposed on the drift's review item (env MCPA_REFRESH_DRAFT_ON_DRIFT; default false)."
    )
    var refreshDraftOnDrift: String?

    var flags: [String: String] {
        var flags: [String: String] = [:]
        flags["job-workers"] = self.jobWorkers.map(String.init)
        flags["job-lease-seconds"] = self.jobLeaseSeconds.map { String($0) }
        flags["job-retry-base-seconds"] = self.jobRetryBaseSeconds.map { String($0) }
        flags["job-max-attempts"] = self.jobMaxAttempts.map(String.init)
        flags["auto-onboard"] = self.autoOnboard
        flags["refuse-privileged-logins"] = self.refusePrivilegedLogins
        flags["required-reviewers"] = self.requiredReviewers.map(String.init)
        flags["profile-refresh-hours"] = self.profileRefreshHours.map(String.init)
        flags["refresh-draft-on-drift"] = self.refreshDraftOnDrift
        return flags
    }
}
