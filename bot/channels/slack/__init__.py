"""Slack: people ask the concierge by DM or mention; staff get alerts, claim leads, use /concierge."""
