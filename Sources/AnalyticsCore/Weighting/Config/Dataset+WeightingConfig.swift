extension Dataset {
    /// The dataset's stored weighting config, read and checked, or `WEIGHTING_NOT_CONFIGURED`.
    public func weightingConfig() throws -> WeightingConfig {
        guard let document = self.weighting, !document.isNull else {
            throw AnalyticsError(
                .weightingNotConfigured,
                "Dataset '\(self.id)' has no weighting config.",
                hint: "An editor sets one with PUT /api/datasets/\(self.id)/weighting or `mcp-analytics datasets weighting set`."
            )
        }
        return try WeightingConfig(document: document)
    }
}
