"""Who is asking: app tokens with scopes, local accounts with passwords, login sessions in Redis, and the
principal every GraphQL request and page carries."""
