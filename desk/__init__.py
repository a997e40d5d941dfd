"""The staff desk: what staff do (events, leads, notices), called by Slack, the CLI and the web console."""
