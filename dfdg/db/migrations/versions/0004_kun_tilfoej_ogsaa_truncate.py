"""adgangslog and historik refuse TRUNCATE too

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

The access log and the history are evidence (0001: rows are added, never changed or deleted), but
a row trigger does not see TRUNCATE, which empties a table in one statement. A statement trigger
does. ``dfdg seed --reset``, which empties a demo database on purpose, turns it off inside its own
transaction (dfdg.db.seed).
"""
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

TABELLER = ("adgangslog", "historik")


def upgrade() -> None:
    for tabel in TABELLER:
        op.execute(f"""CREATE TRIGGER {tabel}_kun_tilfoej_truncate BEFORE TRUNCATE ON {tabel}
            FOR EACH STATEMENT EXECUTE FUNCTION dfdg_kun_tilfoej()""")


def downgrade() -> None:
    for tabel in TABELLER:
        op.execute(f"DROP TRIGGER {tabel}_kun_tilfoej_truncate ON {tabel}")
