"""webservicebesked NOTIFY trigger and the persisted_query table

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

* Every message queued as ready ('klar') in ``webservicebesked`` sends
  ``NOTIFY dfdg_webservicebesked, '{"id":…,"modtagertype":…,"modtager":…}'``. PostgreSQL delivers
  a notification when (and only if) the inserting transaction commits, to every API instance
  that LISTENs (dfdg.db.notify), so subscriptions work across processes with no other broker.
* ``persisted_query``: documents registered by automatic persisted queries (APQ) or approved
  for the allow-list (dfdg.http.persisted).
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

CHANNEL = "dfdg_webservicebesked"

NOTIFY_FUNCTION = f"""
CREATE FUNCTION dfdg_webservicebesked_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', json_build_object(
        'id', NEW.id, 'modtagertype', NEW.modtagertype, 'modtager', NEW.modtager)::text);
    RETURN NULL;
END
$$
"""

NOTIFY_TRIGGER = """
CREATE TRIGGER webservicebesked_notify AFTER INSERT ON webservicebesked
FOR EACH ROW WHEN (NEW.status = 'klar') EXECUTE FUNCTION dfdg_webservicebesked_notify()
"""


def upgrade() -> None:
    op.execute(NOTIFY_FUNCTION)
    op.execute(NOTIFY_TRIGGER)
    op.create_table(
        'persisted_query',
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('dokument', sa.Text(), nullable=False),
        sa.Column('godkendt', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('navn', sa.String(), nullable=True),
        sa.Column('oprettet', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name=op.f('ck_persisted_query_sha256')),
        sa.PrimaryKeyConstraint('sha256', name=op.f('pk_persisted_query')),
    )


def downgrade() -> None:
    op.drop_table('persisted_query')
    op.execute("DROP TRIGGER webservicebesked_notify ON webservicebesked")
    op.execute("DROP FUNCTION dfdg_webservicebesked_notify()")
