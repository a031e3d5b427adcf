"""Qt table models: thin adapters over light rows handed back by the services."""
