"""The staff desk: what city staff do through Slack and the command line, acting for staff."""
