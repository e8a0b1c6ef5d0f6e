import LLMClient

/// A ``UsageRecorder`` that keeps what it is given.
actor RecordingUsageRecorder: UsageRecorder {
    private(set) var records: [LLMUsage] = []

    func record(_ usage: LLMUsage) async {
        self.records.append(usage)
    }
}
