"""kontaktperson.oprettet_af_rolle: the creating authority's role beside its number

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

R1.2-a lets only the creating authority change a contact person, and the owner was stored as a
bare number: a jobcentre's authority (its first three digits) or an a-kasse's number. An a-kasse
whose number equalled a jobcentre authority's would have passed the owner check on that
authority's contact persons. Existing rows are the a-kasse's where the number is an a-kasse's and
no jobcentre's authority, else the jobcentre's (the seed's are all jobcentres').
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('kontaktperson', sa.Column('oprettet_af_rolle', sa.String(), nullable=True))
    op.execute("""
        UPDATE kontaktperson k SET oprettet_af_rolle = CASE
            WHEN EXISTS (SELECT 1 FROM akasse a WHERE a.nummer = k.oprettet_af)
             AND NOT EXISTS (SELECT 1 FROM jobcenter j WHERE j.myndighed = k.oprettet_af)
            THEN 'akasse' ELSE 'jobcenter' END
    """)
    op.alter_column('kontaktperson', 'oprettet_af_rolle', nullable=False)


def downgrade() -> None:
    op.drop_column('kontaktperson', 'oprettet_af_rolle')
