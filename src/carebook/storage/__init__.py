"""Storage: SQLAlchemy models, the database opener, migrations and queries (no commits here)."""
