"""Database layer: engine, tables, queries, migrations, demo data."""
