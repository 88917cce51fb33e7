"""Integrations for other apps: booking events (outbox, Redis pub/sub), webhooks, calendar feeds, live updates."""
