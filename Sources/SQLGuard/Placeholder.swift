enum _PlaceholderSQLGuard {}
