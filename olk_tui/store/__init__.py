"""The SQLite cache: schema and migrations, upserts, window queries, FTS5, delta links, the
durable operation queue and the outbox."""
