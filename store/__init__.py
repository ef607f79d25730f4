"""The database: typed models, sessions, queries and migrations. Knows nothing of chat."""
