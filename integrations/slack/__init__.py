"""Slack: the bot in the QA sub-group's and agencies' Slack channels, on slack-bolt.

Nothing here is imported unless SLACK_BOT_TOKEN is set (see bot.web and bot.runtime).
"""
