"""GraphQL API of the shared employment data platform (DFDG), release 2022-3."""
