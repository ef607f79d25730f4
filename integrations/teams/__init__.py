"""Microsoft Teams, on the Microsoft 365 Agents SDK: the /api/messages endpoint, Adaptive Card
replies, proactive posts through stored conversation references, and the app package."""
