"""The GraphQL schema's part for seat quotas: types, queries, mutations and nodes."""
