"""The waitlist in the GraphQL API."""
