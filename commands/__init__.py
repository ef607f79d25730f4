"""The bot's behaviour, platform-neutral: grammar, handlers, replies. Knows nothing of Slack or Teams."""
