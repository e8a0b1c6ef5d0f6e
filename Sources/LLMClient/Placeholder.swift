enum _PlaceholderLLMClient {}
