"""The concierge's spine: message types, router, storage, channel adapters, the ASGI app and the CLI."""
