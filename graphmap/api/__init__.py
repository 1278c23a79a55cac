"""The GraphQL API: thin resolvers over :mod:`graphmap.services`."""
