enum _PlaceholderDataPlane {}
