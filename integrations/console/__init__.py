"""The local console: chat with the bot in a terminal, and see its posts."""
