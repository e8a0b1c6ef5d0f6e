import DataPlane

/// The data plane's engine and query-log writer are what the tools run on.
extension QueryEngine: AnalyticsQueryEngine {}
extension QueryLogWriter: ToolCallRecorder {}
