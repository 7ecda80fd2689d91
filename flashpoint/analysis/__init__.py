"""Analysis over the store: cross-story dedup, dyad series, escalation flags, timelines and briefs."""
