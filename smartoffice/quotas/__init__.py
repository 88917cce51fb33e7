"""Ministry quotas in shared towers: an organisation's or unit's share of a building, floor or zone per weekday."""
