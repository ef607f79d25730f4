"""Slack: the bot in the QA sub-group's and agencies' Slack channels, on slack-bolt.

Only settings.py is imported unless SLACK_BOT_TOKEN is set (see bot.web and bot.runtime);
connector.py is the way in (settings, sender, route, Socket Mode, doctor).
"""
