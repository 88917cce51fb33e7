"""The GraphQL schema root and what every resolver shares (context, errors, ids)."""
