extension FunctionPolicy.Category {
    /// What to do instead, for the error's hint.
    public var hint: String {
        switch self {
        case .serverFiles, .largeObjects, .remoteDatabases:
            "Query the dataset's tables and views; the server's files, large objects and other databases are out of reach."
        case .backendControl, .statistics, .catalogChanges:
            "Remove the call; queries here only read the dataset's tables."
        case .sessionState:
            "Remove the call; settings cannot be changed from a query (current_setting() reads them)."
        case .sequences:
            "Remove the call; sequences cannot be advanced (currval() and lastval() read them)."
        case .advisoryLocks:
            "Remove the call; queries here cannot take locks."
        case .notifications:
            "Remove the call; queries here cannot send notifications."
        case .executesSQLText:
            "Write the query itself instead of passing SQL text (or a table or cursor) to a function."
        case .transactionIDs:
            "Remove the call; use now() or clock_timestamp() if you need a timestamp."
        }
    }
}
