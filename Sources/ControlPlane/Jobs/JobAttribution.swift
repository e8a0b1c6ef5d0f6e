/// The job the current task works for, so costs incurred deep inside a handler (language-model
/// tokens) are recorded against the job and its dataset without threading ids through every call.
public struct JobAttribution: Sendable, Hashable {
    public var jobID: String
    public var datasetID: String?

    public init(jobID: String, datasetID: String?) {
        self.jobID = jobID
        self.datasetID = datasetID
    }

    /// Set by the ``JobWorker`` around each handler run.
    @TaskLocal public static var current: JobAttribution?
}
