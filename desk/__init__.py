"""The staff desk: what staff do with leads, handoffs, reports, events and notices, whatever they
use to do it.

Plain Python over the storage layer, with typed results: the Slack buttons, modals and slash
command, the `concierge` CLI and the web console at /staff all call these functions and only
translate their results. Nothing here knows Slack, LINE or HTTP.
"""
