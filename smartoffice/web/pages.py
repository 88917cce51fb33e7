"""Placeholder: filled by the floor-page work."""

PAGE_ROUTES: list = []
STATIC_ROUTES: list = []
