"""Fake outside systems on loopback (Slack's Web API, …) for tests that drive the real SDKs."""
