"""Use cases: validation, transactions, provenance and history. No HTTP, no GraphQL."""
