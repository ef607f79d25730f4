"""Wiring: settings, the app factory, the web app, the clock, the outbox, the CLI."""
