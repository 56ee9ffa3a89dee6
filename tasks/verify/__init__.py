"""The plausibility gate: a verdict on each article and comment thread before it may replace stored content."""
