enum _PlaceholderAnalyticsServer {}
