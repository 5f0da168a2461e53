"""Database access: models, engine/session factory, migrations."""
