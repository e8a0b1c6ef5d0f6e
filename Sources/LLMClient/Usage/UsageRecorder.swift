/// Receives the usage of every client call, successful or not.
///
/// The control plane implements this to persist token usage next to the job that caused it;
/// the client awaits ``record(_:)`` before returning, so a recorder should be quick.
public protocol UsageRecorder: Sendable {
    func record(_ usage: LLMUsage) async
}
