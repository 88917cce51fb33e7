"""The GraphQL schema's part for this domain: types, inputs, queries, mutations, nodes and loaders."""
