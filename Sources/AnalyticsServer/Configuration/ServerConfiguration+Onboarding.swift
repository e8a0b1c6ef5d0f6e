/// Settings of the job worker, the onboarding pipeline, review and the refresh scheduler.
extension ServerConfiguration {
    static let onboardingOptions: [Option] = [
        .integer(
            "job-workers",
            \.jobWorkers,
            0...64,
            .onboarding,
            "Background jobs this process runs at once (profiling, drafting, drift checks, embeddings); 0 runs none."
        ),
        .number(
            "job-lease-seconds",
            \.jobLeaseSeconds,
            1...3_600,
            .onboarding,
            "Seconds a job's lease holds without a heartbeat; a dead process's job is picked up after it."
        ),
        .number("job-retry-base-seconds", \.jobRetryBaseSeconds, 0...3_600, .onboarding, "First retry delay of a failed job, doubled per attempt."),
        .integer("job-max-attempts", \.jobMaxAttempts, 1...20, .onboarding, "Attempts a background job gets before it ends failed."),
        .boolean(
            "refuse-privileged-logins",
            \.refusePrivilegedLogins,
            .onboarding,
            switch: false,
            "true refuses dataset logins that can do more than read (superuser, write or create rights) instead of registering them with warnings."
        ),
        .boolean(
            "auto-onboard",
            \.autoOnboard,
            .onboarding,
            switch: false,
            "true: registering a dataset profiles it and drafts its metadata, then leaves it in human_review."
        ),
        .integer(
            "required-reviewers",
            \.requiredReviewers,
            1...10,
            .onboarding,
            "Reviewers a dataset needs; above 1 nobody may approve a dataset they registered or last documented (SELF_APPROVAL_REFUSED)."
        ),
        .integer(
            "profile-refresh-hours",
            \.profileRefreshHours,
            0...8_760,
            .onboarding,
            value: "hours",
            "Hours between scheduled re-profiles with drift checks of active datasets; a dataset's settings.profile_refresh_hours wins; 0 turns them off."
        ),
        .boolean(
            "refresh-draft-on-drift",
            \.refreshDraftOnDrift,
            .onboarding,
            switch: false,
            "true: drift also drafts refreshed metadata, proposed on the drift's review item."
        ),
    ]
}
