"""release 2022-3 schema and code lists

Revision ID: 0001
Revises:
Create Date: 2026-11-26

Creates every table, index and constraint of release 2022-3 and loads its code lists (expired
codes included) from dfdg.db.kodelister.
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from dfdg.db import kodelister
from dfdg.db.tables import metadata

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


CVR_GYLDIG = """
CREATE FUNCTION dfdg_cvr_gyldig(cvr text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    -- 8 digits, weights 2,7,6,5,4,3,2,1, weighted sum divisible by 11
    SELECT cvr ~ '^[0-9]{8}$' AND (
        SELECT sum(substr(cvr, i, 1)::int * (ARRAY[2,7,6,5,4,3,2,1])[i]) FROM generate_series(1, 8) AS i
    ) % 11 = 0
$$
"""

# The access log and the history are evidence: rows are added, never changed or removed.
APPEND_ONLY = [
    """CREATE FUNCTION dfdg_kun_tilfoej() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% kan kun tilføjes, ikke ændres eller slettes', TG_TABLE_NAME;
    END
    $$""",
    *(
        f"""CREATE TRIGGER {table}_kun_tilfoej BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION dfdg_kun_tilfoej()"""
        for table in ("adgangslog", "historik")
    ),
]


def upgrade() -> None:
    op.execute(CVR_GYLDIG)
    op.create_table('adgangslog',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('tid', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('subjekt', sa.String(), nullable=False),
    sa.Column('rolle', sa.String(), nullable=False),
    sa.Column('myndighed', sa.String(), nullable=True),
    sa.Column('cpr', sa.String(), nullable=False),
    sa.Column('operation', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adgangslog'))
    )
    op.create_index('ix_adgangslog_cpr_tid', 'adgangslog', ['cpr', 'tid'], unique=False)
    op.create_table('akasse',
    sa.Column('nummer', sa.String(length=5), nullable=False),
    sa.Column('navn', sa.String(), nullable=False),
    sa.CheckConstraint("nummer ~ '^[0-9]{1,5}$'", name=op.f('ck_akasse_format')),
    sa.PrimaryKeyConstraint('nummer', name=op.f('pk_akasse'))
    )
    op.create_table('formidlingsstatustype',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('navn', sa.String(), nullable=False),
    sa.Column('beskrivelse', sa.String(), nullable=True),
    sa.Column('gyldig_fra', sa.Date(), nullable=False),
    sa.Column('gyldig_til', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_formidlingsstatustype'))
    )
    op.create_table('fravaerstype',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('navn', sa.String(), nullable=False),
    sa.Column('beskrivelse', sa.String(), nullable=True),
    sa.Column('gyldig_fra', sa.Date(), nullable=False),
    sa.Column('gyldig_til', sa.Date(), nullable=True),
    sa.Column('fritager_selvbooking', sa.Boolean(), nullable=False),
    sa.Column('ingen_selvbookingfrist', sa.Boolean(), nullable=False),
    sa.Column('mindre_intensiv', sa.Boolean(), nullable=False),
    sa.Column('ingen_dagpenge', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fravaerstype'))
    )
    op.create_table('historik',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('cpr', sa.String(), nullable=True),
    sa.Column('entitet', sa.String(), nullable=False),
    sa.Column('entitet_id', sa.String(), nullable=False),
    sa.Column('handling', sa.String(), nullable=False),
    sa.Column('aktoer_rolle', sa.String(), nullable=False),
    sa.Column('aktoer_myndighed', sa.String(), nullable=True),
    sa.Column('foer', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('efter', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('tid', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_historik'))
    )
    op.create_index('ix_historik_cpr_tid', 'historik', ['cpr', 'tid'], unique=False)
    op.create_table('idempotens',
    sa.Column('noegle', sa.String(), nullable=False),
    sa.Column('aktoer', sa.String(), nullable=False),
    sa.Column('operation', sa.String(), nullable=False),
    sa.Column('resultat', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('oprettet', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('noegle', 'aktoer', name=op.f('pk_idempotens'))
    )
    op.create_table('jobcenter',
    sa.Column('nummer', sa.String(length=5), nullable=False),
    sa.Column('navn', sa.String(), nullable=False),
    sa.Column('myndighed', sa.String(length=3), nullable=False),
    sa.CheckConstraint("nummer ~ '^[0-9]{5}$'", name=op.f('ck_jobcenter_format')),
    sa.PrimaryKeyConstraint('nummer', name=op.f('pk_jobcenter'))
    )
    op.create_index(op.f('ix_jobcenter_myndighed'), 'jobcenter', ['myndighed'], unique=False)
    op.create_table('jobordrestatus',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('navn', sa.String(), nullable=False),
    sa.Column('beskrivelse', sa.String(), nullable=True),
    sa.Column('gyldig_fra', sa.Date(), nullable=False),
    sa.Column('gyldig_til', sa.Date(), nullable=True),
    sa.Column('tillader_formidling', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobordrestatus'))
    )
    op.create_table('kontaktgruppe',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('navn', sa.String(), nullable=False),
    sa.Column('beskrivelse', sa.String(), nullable=True),
    sa.Column('gyldig_fra', sa.Date(), nullable=False),
    sa.Column('gyldig_til', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kontaktgruppe'))
    )
    op.create_table('moedeform',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('navn', sa.String(), nullable=False),
    sa.Column('beskrivelse', sa.String(), nullable=True),
    sa.Column('gyldig_fra', sa.Date(), nullable=False),
    sa.Column('gyldig_til', sa.Date(), nullable=True),
    sa.Column('borgervalg', sa.Boolean(), nullable=False),
    sa.Column('kraever_link', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moedeform'))
    )
    op.create_table('ophoersaarsag',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('navn', sa.String(), nullable=False),
    sa.Column('beskrivelse', sa.String(), nullable=True),
    sa.Column('gyldig_fra', sa.Date(), nullable=False),
    sa.Column('gyldig_til', sa.Date(), nullable=True),
    sa.Column('kun_vitas', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ophoersaarsag'))
    )
    op.create_table('samtaletype',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('navn', sa.String(), nullable=False),
    sa.Column('beskrivelse', sa.String(), nullable=True),
    sa.Column('gyldig_fra', sa.Date(), nullable=False),
    sa.Column('gyldig_til', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_samtaletype'))
    )
    op.create_table('virksomhed',
    sa.Column('cvr_nummer', sa.String(length=8), nullable=False),
    sa.Column('navn', sa.String(), nullable=False),
    sa.Column('spaerret', sa.Boolean(), nullable=False),
    sa.CheckConstraint('dfdg_cvr_gyldig(cvr_nummer)', name=op.f('ck_virksomhed_cvr_modulus11')),
    sa.PrimaryKeyConstraint('cvr_nummer', name=op.f('pk_virksomhed'))
    )
    op.create_table('webservicebesked',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('modtagertype', sa.String(), nullable=False),
    sa.Column('modtager', sa.String(), nullable=False),
    sa.Column('beskedtype', sa.String(), nullable=False),
    sa.Column('cpr', sa.String(), nullable=True),
    sa.Column('indhold', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('fejlaarsag', sa.String(), nullable=True),
    sa.Column('oprettet', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('kvitteret', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("modtagertype IN ('akasse', 'jobcenter')", name=op.f('ck_webservicebesked_modtagertype')),
    sa.CheckConstraint("status IN ('klar', 'kvitteret', 'tilsidesat')", name=op.f('ck_webservicebesked_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webservicebesked'))
    )
    op.create_index('ix_webservicebesked_modtager', 'webservicebesked', ['modtagertype', 'modtager', 'status', 'id'], unique=False)
    op.create_table('borger',
    sa.Column('cpr', sa.String(length=10), nullable=False),
    sa.Column('fornavn', sa.String(), nullable=False),
    sa.Column('efternavn', sa.String(), nullable=False),
    sa.Column('kontaktgruppe_id', sa.Integer(), nullable=False),
    sa.Column('ledighedsdato', sa.Date(), nullable=True),
    sa.Column('jobcenter_nummer', sa.String(), nullable=False),
    sa.Column('akasse_nummer', sa.String(), nullable=True),
    sa.Column('moedeform_maalgruppe', sa.Boolean(), nullable=False),
    sa.Column('oprettet', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("cpr ~ '^[0-9]{10}$'", name=op.f('ck_borger_cpr_format')),
    sa.ForeignKeyConstraint(['akasse_nummer'], ['akasse.nummer'], name=op.f('fk_borger_akasse_nummer')),
    sa.ForeignKeyConstraint(['jobcenter_nummer'], ['jobcenter.nummer'], name=op.f('fk_borger_jobcenter_nummer')),
    sa.ForeignKeyConstraint(['kontaktgruppe_id'], ['kontaktgruppe.id'], name=op.f('fk_borger_kontaktgruppe_id')),
    sa.PrimaryKeyConstraint('cpr', name=op.f('pk_borger'))
    )
    op.create_index(op.f('ix_borger_akasse_nummer'), 'borger', ['akasse_nummer'], unique=False)
    op.create_index(op.f('ix_borger_jobcenter_nummer'), 'borger', ['jobcenter_nummer'], unique=False)
    op.create_index(op.f('ix_borger_kontaktgruppe_id'), 'borger', ['kontaktgruppe_id'], unique=False)
    op.create_table('fravaerstype_kontaktgruppe',
    sa.Column('fravaerstype_id', sa.Integer(), nullable=False),
    sa.Column('kontaktgruppe_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['fravaerstype_id'], ['fravaerstype.id'], name=op.f('fk_fravaerstype_kontaktgruppe_fravaerstype_id')),
    sa.ForeignKeyConstraint(['kontaktgruppe_id'], ['kontaktgruppe.id'], name=op.f('fk_fravaerstype_kontaktgruppe_kontaktgruppe_id')),
    sa.PrimaryKeyConstraint('fravaerstype_id', 'kontaktgruppe_id', name=op.f('pk_fravaerstype_kontaktgruppe'))
    )
    op.create_table('moedetilbud',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('jobcenter_nummer', sa.String(), nullable=False),
    sa.Column('starttid', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sluttid', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sted', sa.String(), nullable=False),
    sa.Column('lokationsuddybning', sa.String(), nullable=True),
    sa.Column('moedeform_id', sa.Integer(), nullable=False),
    sa.Column('tilladte_moedeformer', postgresql.ARRAY(sa.Integer()), nullable=False),
    sa.Column('samtaletype_id', sa.Integer(), nullable=False),
    sa.Column('kapacitet', sa.Integer(), nullable=False),
    sa.Column('antal_booket', sa.Integer(), nullable=False),
    sa.Column('kun_personligt', sa.Boolean(), nullable=False),
    sa.Column('moedelink', sa.String(), nullable=True),
    sa.Column('oprettet', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("lokationsuddybning IS NULL OR lokationsuddybning ~ '\\S'", name=op.f('ck_moedetilbud_lokationsuddybning')),
    sa.CheckConstraint("moedelink IS NULL OR moedelink ~ '^https://[^\\s/]+'", name=op.f('ck_moedetilbud_moedelink')),
    sa.CheckConstraint('NOT (8 = ANY(tilladte_moedeformer)) OR moedelink IS NOT NULL', name=op.f('ck_moedetilbud_digitalt_link')),
    sa.CheckConstraint('NOT kun_personligt OR tilladte_moedeformer = ARRAY[1]', name=op.f('ck_moedetilbud_kun_personligt')),
    sa.CheckConstraint('kapacitet >= 0 AND antal_booket >= 0 AND antal_booket <= kapacitet', name=op.f('ck_moedetilbud_kapacitet')),
    sa.CheckConstraint('sluttid > starttid', name=op.f('ck_moedetilbud_tid')),
    sa.CheckConstraint('tilladte_moedeformer <@ ARRAY[1,2,8] AND cardinality(tilladte_moedeformer) > 0', name=op.f('ck_moedetilbud_moedeformer')),
    sa.ForeignKeyConstraint(['jobcenter_nummer'], ['jobcenter.nummer'], name=op.f('fk_moedetilbud_jobcenter_nummer')),
    sa.ForeignKeyConstraint(['moedeform_id'], ['moedeform.id'], name=op.f('fk_moedetilbud_moedeform_id')),
    sa.ForeignKeyConstraint(['samtaletype_id'], ['samtaletype.id'], name=op.f('fk_moedetilbud_samtaletype_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moedetilbud'))
    )
    op.create_index('ix_moedetilbud_jobcenter_starttid', 'moedetilbud', ['jobcenter_nummer', 'starttid'], unique=False)
    op.create_table('produktionsenhed',
    sa.Column('p_nummer', sa.String(length=10), nullable=False),
    sa.Column('cvr_nummer', sa.String(), nullable=False),
    sa.Column('navn', sa.String(), nullable=False),
    sa.Column('adresse', sa.String(), nullable=True),
    sa.CheckConstraint("p_nummer ~ '^[0-9]{10}$'", name=op.f('ck_produktionsenhed_p_format')),
    sa.ForeignKeyConstraint(['cvr_nummer'], ['virksomhed.cvr_nummer'], name=op.f('fk_produktionsenhed_cvr_nummer')),
    sa.PrimaryKeyConstraint('p_nummer', name=op.f('pk_produktionsenhed'))
    )
    op.create_index(op.f('ix_produktionsenhed_cvr_nummer'), 'produktionsenhed', ['cvr_nummer'], unique=False)
    op.create_table('anden_aktoer_tildeling',
    sa.Column('cpr', sa.String(), nullable=False),
    sa.Column('aktoer', sa.String(), nullable=False),
    sa.Column('fra', sa.Date(), nullable=False),
    sa.Column('til', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['cpr'], ['borger.cpr'], name=op.f('fk_anden_aktoer_tildeling_cpr')),
    sa.PrimaryKeyConstraint('cpr', 'aktoer', name=op.f('pk_anden_aktoer_tildeling'))
    )
    op.create_index(op.f('ix_anden_aktoer_tildeling_aktoer'), 'anden_aktoer_tildeling', ['aktoer'], unique=False)
    op.create_table('fravaer',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('cpr', sa.String(), nullable=False),
    sa.Column('fravaerstype_id', sa.Integer(), nullable=False),
    sa.Column('fra', sa.Date(), nullable=False),
    sa.Column('til', sa.Date(), nullable=True),
    sa.Column('registreret_af', sa.String(), nullable=False),
    sa.Column('registreret', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('opdateret', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('til IS NULL OR til >= fra', name=op.f('ck_fravaer_periode')),
    sa.ForeignKeyConstraint(['cpr'], ['borger.cpr'], name=op.f('fk_fravaer_cpr')),
    sa.ForeignKeyConstraint(['fravaerstype_id'], ['fravaerstype.id'], name=op.f('fk_fravaer_fravaerstype_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fravaer'))
    )
    op.create_index('ix_fravaer_cpr_fra', 'fravaer', ['cpr', 'fra'], unique=False)
    op.create_index(op.f('ix_fravaer_fravaerstype_id'), 'fravaer', ['fravaerstype_id'], unique=False)
    op.create_table('indkaldelse',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('cpr', sa.String(), nullable=False),
    sa.Column('jobcenter_nummer', sa.String(), nullable=False),
    sa.Column('moedetilbud_id', sa.BigInteger(), nullable=True),
    sa.Column('starttid', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sluttid', sa.DateTime(timezone=True), nullable=False),
    sa.Column('moedeform_id', sa.Integer(), nullable=False),
    sa.Column('samtaletype_id', sa.Integer(), nullable=False),
    sa.Column('sted', sa.String(), nullable=True),
    sa.Column('lokationsuddybning', sa.String(), nullable=True),
    sa.Column('moedelink', sa.String(), nullable=True),
    sa.Column('kun_personligt', sa.Boolean(), nullable=False),
    sa.Column('moededeltagelsesvalg_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('oprettet_af', sa.String(), nullable=False),
    sa.Column('oprettet', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('opdateret', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("lokationsuddybning IS NULL OR lokationsuddybning ~ '\\S'", name=op.f('ck_indkaldelse_lokationsuddybning')),
    sa.CheckConstraint("moedelink IS NULL OR moedelink ~ '^https://[^\\s/]+'", name=op.f('ck_indkaldelse_moedelink')),
    sa.CheckConstraint("status IN ('aktiv', 'aflyst')", name=op.f('ck_indkaldelse_status')),
    sa.CheckConstraint('moedeform_id <> 8 OR moedelink IS NOT NULL', name=op.f('ck_indkaldelse_digitalt_link')),
    sa.CheckConstraint('sluttid > starttid', name=op.f('ck_indkaldelse_tid')),
    sa.ForeignKeyConstraint(['cpr'], ['borger.cpr'], name=op.f('fk_indkaldelse_cpr')),
    sa.ForeignKeyConstraint(['jobcenter_nummer'], ['jobcenter.nummer'], name=op.f('fk_indkaldelse_jobcenter_nummer')),
    sa.ForeignKeyConstraint(['moededeltagelsesvalg_id'], ['moedeform.id'], name=op.f('fk_indkaldelse_moededeltagelsesvalg_id')),
    sa.ForeignKeyConstraint(['moedeform_id'], ['moedeform.id'], name=op.f('fk_indkaldelse_moedeform_id')),
    sa.ForeignKeyConstraint(['moedetilbud_id'], ['moedetilbud.id'], name=op.f('fk_indkaldelse_moedetilbud_id')),
    sa.ForeignKeyConstraint(['samtaletype_id'], ['samtaletype.id'], name=op.f('fk_indkaldelse_samtaletype_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indkaldelse'))
    )
    op.create_index('ix_indkaldelse_cpr_starttid', 'indkaldelse', ['cpr', 'starttid'], unique=False)
    op.create_index(op.f('ix_indkaldelse_jobcenter_nummer'), 'indkaldelse', ['jobcenter_nummer'], unique=False)
    op.create_index(op.f('ix_indkaldelse_moedetilbud_id'), 'indkaldelse', ['moedetilbud_id'], unique=False)
    op.create_table('indsats',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('cpr', sa.String(), nullable=False),
    sa.Column('betegnelse', sa.String(), nullable=False),
    sa.Column('startdato', sa.Date(), nullable=False),
    sa.Column('slutdato', sa.Date(), nullable=True),
    sa.Column('ophoersaarsag_id', sa.Integer(), nullable=True),
    sa.Column('oprettet', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('slutdato IS NULL OR slutdato >= startdato', name=op.f('ck_indsats_periode')),
    sa.ForeignKeyConstraint(['cpr'], ['borger.cpr'], name=op.f('fk_indsats_cpr')),
    sa.ForeignKeyConstraint(['ophoersaarsag_id'], ['ophoersaarsag.id'], name=op.f('fk_indsats_ophoersaarsag_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indsats'))
    )
    op.create_index(op.f('ix_indsats_cpr'), 'indsats', ['cpr'], unique=False)
    op.create_table('joblog',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('cpr', sa.String(), nullable=False),
    sa.Column('stillingsbetegnelse', sa.String(), nullable=False),
    sa.Column('virksomhedsnavn', sa.String(), nullable=False),
    sa.Column('ansoegningsdato', sa.Date(), nullable=False),
    sa.Column('ansoegningsfrist', sa.Date(), nullable=True),
    sa.Column('oprettet', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("ansoegningsdato >= DATE '2015-01-01'", name=op.f('ck_joblog_ansoegningsdato')),
    sa.CheckConstraint("ansoegningsfrist IS NULL OR ansoegningsfrist >= DATE '2015-01-01'", name=op.f('ck_joblog_ansoegningsfrist')),
    sa.ForeignKeyConstraint(['cpr'], ['borger.cpr'], name=op.f('fk_joblog_cpr')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_joblog'))
    )
    op.create_index('ix_joblog_cpr_ansoegningsdato', 'joblog', ['cpr', 'ansoegningsdato'], unique=False)
    op.create_table('jobordre',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('cvr_nummer', sa.String(), nullable=False),
    sa.Column('p_nummer', sa.String(), nullable=True),
    sa.Column('titel', sa.String(), nullable=False),
    sa.Column('antal_stillinger', sa.Integer(), nullable=False),
    sa.Column('status_id', sa.Integer(), nullable=False),
    sa.Column('ansvarligt_jobcenter', sa.String(), nullable=False),
    sa.Column('oprettet', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('opdateret', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['ansvarligt_jobcenter'], ['jobcenter.nummer'], name=op.f('fk_jobordre_ansvarligt_jobcenter')),
    sa.ForeignKeyConstraint(['cvr_nummer'], ['virksomhed.cvr_nummer'], name=op.f('fk_jobordre_cvr_nummer')),
    sa.ForeignKeyConstraint(['p_nummer'], ['produktionsenhed.p_nummer'], name=op.f('fk_jobordre_p_nummer')),
    sa.ForeignKeyConstraint(['status_id'], ['jobordrestatus.id'], name=op.f('fk_jobordre_status_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobordre'))
    )
    op.create_index(op.f('ix_jobordre_ansvarligt_jobcenter'), 'jobordre', ['ansvarligt_jobcenter'], unique=False)
    op.create_index(op.f('ix_jobordre_cvr_nummer'), 'jobordre', ['cvr_nummer'], unique=False)
    op.create_index('ix_jobordre_status_ansvarligt', 'jobordre', ['status_id', 'ansvarligt_jobcenter'], unique=False)
    op.create_table('kontaktperson',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('cpr', sa.String(), nullable=False),
    sa.Column('navn', sa.String(), nullable=False),
    sa.Column('rolle', sa.String(), nullable=True),
    sa.Column('telefon', sa.String(), nullable=True),
    sa.Column('email', sa.String(), nullable=True),
    sa.Column('oprettet_af', sa.String(), nullable=False),
    sa.Column('oprettet', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['cpr'], ['borger.cpr'], name=op.f('fk_kontaktperson_cpr')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kontaktperson'))
    )
    op.create_index(op.f('ix_kontaktperson_cpr'), 'kontaktperson', ['cpr'], unique=False)
    op.create_table('medlemskab',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('cpr', sa.String(), nullable=False),
    sa.Column('akasse_nummer', sa.String(), nullable=False),
    sa.Column('indmeldt', sa.Date(), nullable=False),
    sa.Column('dagpengeretsdato', sa.Date(), nullable=True),
    sa.Column('udmeldt', sa.Date(), nullable=True),
    sa.Column('oprettet', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['akasse_nummer'], ['akasse.nummer'], name=op.f('fk_medlemskab_akasse_nummer')),
    sa.ForeignKeyConstraint(['cpr'], ['borger.cpr'], name=op.f('fk_medlemskab_cpr')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_medlemskab'))
    )
    op.create_index(op.f('ix_medlemskab_akasse_nummer'), 'medlemskab', ['akasse_nummer'], unique=False)
    op.create_index(op.f('ix_medlemskab_cpr'), 'medlemskab', ['cpr'], unique=False)
    op.create_table('virksomhedskonto',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('cvr_nummer', sa.String(), nullable=False),
    sa.Column('p_nummer', sa.String(), nullable=False),
    sa.Column('oprettet', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['cvr_nummer'], ['virksomhed.cvr_nummer'], name=op.f('fk_virksomhedskonto_cvr_nummer')),
    sa.ForeignKeyConstraint(['p_nummer'], ['produktionsenhed.p_nummer'], name=op.f('fk_virksomhedskonto_p_nummer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_virksomhedskonto')),
    sa.UniqueConstraint('p_nummer', name=op.f('uq_virksomhedskonto_p_nummer'))
    )
    op.create_index(op.f('ix_virksomhedskonto_cvr_nummer'), 'virksomhedskonto', ['cvr_nummer'], unique=False)
    op.create_table('formidling',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('jobordre_id', sa.BigInteger(), nullable=False),
    sa.Column('cpr', sa.String(), nullable=False),
    sa.Column('formidlingsstatustype_id', sa.Integer(), nullable=False),
    sa.Column('oprettet_af', sa.String(), nullable=False),
    sa.Column('oprettet', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['cpr'], ['borger.cpr'], name=op.f('fk_formidling_cpr')),
    sa.ForeignKeyConstraint(['formidlingsstatustype_id'], ['formidlingsstatustype.id'], name=op.f('fk_formidling_formidlingsstatustype_id')),
    sa.ForeignKeyConstraint(['jobordre_id'], ['jobordre.id'], name=op.f('fk_formidling_jobordre_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_formidling'))
    )
    op.create_index(op.f('ix_formidling_cpr'), 'formidling', ['cpr'], unique=False)
    op.create_index(op.f('ix_formidling_jobordre_id'), 'formidling', ['jobordre_id'], unique=False)
    op.create_table('jobag_bruger',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('konto_id', sa.BigInteger(), nullable=False),
    sa.Column('navn', sa.String(), nullable=False),
    sa.Column('aktiv', sa.Boolean(), nullable=False),
    sa.Column('seneste_login', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['konto_id'], ['virksomhedskonto.id'], name=op.f('fk_jobag_bruger_konto_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobag_bruger'))
    )
    op.create_index(op.f('ix_jobag_bruger_konto_id'), 'jobag_bruger', ['konto_id'], unique=False)
    for statement in APPEND_ONLY:
        op.execute(statement)
    _load_code_lists()


def _load_code_lists() -> None:
    for table, rows in kodelister.rows().items():
        op.bulk_insert(metadata.tables[table], rows)


def downgrade() -> None:
    op.drop_index(op.f('ix_jobag_bruger_konto_id'), table_name='jobag_bruger')
    op.drop_table('jobag_bruger')
    op.drop_index(op.f('ix_formidling_jobordre_id'), table_name='formidling')
    op.drop_index(op.f('ix_formidling_cpr'), table_name='formidling')
    op.drop_table('formidling')
    op.drop_index(op.f('ix_virksomhedskonto_cvr_nummer'), table_name='virksomhedskonto')
    op.drop_table('virksomhedskonto')
    op.drop_index(op.f('ix_medlemskab_cpr'), table_name='medlemskab')
    op.drop_index(op.f('ix_medlemskab_akasse_nummer'), table_name='medlemskab')
    op.drop_table('medlemskab')
    op.drop_index(op.f('ix_kontaktperson_cpr'), table_name='kontaktperson')
    op.drop_table('kontaktperson')
    op.drop_index('ix_jobordre_status_ansvarligt', table_name='jobordre')
    op.drop_index(op.f('ix_jobordre_cvr_nummer'), table_name='jobordre')
    op.drop_index(op.f('ix_jobordre_ansvarligt_jobcenter'), table_name='jobordre')
    op.drop_table('jobordre')
    op.drop_index('ix_joblog_cpr_ansoegningsdato', table_name='joblog')
    op.drop_table('joblog')
    op.drop_index(op.f('ix_indsats_cpr'), table_name='indsats')
    op.drop_table('indsats')
    op.drop_index(op.f('ix_indkaldelse_moedetilbud_id'), table_name='indkaldelse')
    op.drop_index(op.f('ix_indkaldelse_jobcenter_nummer'), table_name='indkaldelse')
    op.drop_index('ix_indkaldelse_cpr_starttid', table_name='indkaldelse')
    op.drop_table('indkaldelse')
    op.drop_index(op.f('ix_fravaer_fravaerstype_id'), table_name='fravaer')
    op.drop_index('ix_fravaer_cpr_fra', table_name='fravaer')
    op.drop_table('fravaer')
    op.drop_index(op.f('ix_anden_aktoer_tildeling_aktoer'), table_name='anden_aktoer_tildeling')
    op.drop_table('anden_aktoer_tildeling')
    op.drop_index(op.f('ix_produktionsenhed_cvr_nummer'), table_name='produktionsenhed')
    op.drop_table('produktionsenhed')
    op.drop_index('ix_moedetilbud_jobcenter_starttid', table_name='moedetilbud')
    op.drop_table('moedetilbud')
    op.drop_table('fravaerstype_kontaktgruppe')
    op.drop_index(op.f('ix_borger_kontaktgruppe_id'), table_name='borger')
    op.drop_index(op.f('ix_borger_jobcenter_nummer'), table_name='borger')
    op.drop_index(op.f('ix_borger_akasse_nummer'), table_name='borger')
    op.drop_table('borger')
    op.drop_index('ix_webservicebesked_modtager', table_name='webservicebesked')
    op.drop_table('webservicebesked')
    op.drop_table('virksomhed')
    op.drop_table('samtaletype')
    op.drop_table('ophoersaarsag')
    op.drop_table('moedeform')
    op.drop_table('kontaktgruppe')
    op.drop_table('jobordrestatus')
    op.drop_index(op.f('ix_jobcenter_myndighed'), table_name='jobcenter')
    op.drop_table('jobcenter')
    op.drop_table('idempotens')
    op.drop_index('ix_historik_cpr_tid', table_name='historik')
    op.drop_table('historik')
    op.drop_table('fravaerstype')
    op.drop_table('formidlingsstatustype')
    op.drop_table('akasse')
    op.drop_index('ix_adgangslog_cpr_tid', table_name='adgangslog')
    op.drop_table('adgangslog')
    op.execute("DROP FUNCTION dfdg_kun_tilfoej()")
    op.execute("DROP FUNCTION dfdg_cvr_gyldig(text)")
