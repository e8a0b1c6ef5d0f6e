enum _PlaceholderMCPTools {}
