"""Channel adapters: they translate between a chat channel and bot.messages, and decide nothing."""
