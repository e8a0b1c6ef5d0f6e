enum _PlaceholderControlPlane {}
