"""BPS statistical metadata (MS-Keg, MS-Var, MS-Ind)

Revision ID: 0017_statistik
Revises: 0016_generations
Create Date: 2026-12-04 20:40:00

"""
from alembic import op
import sqlalchemy as sa

import satudata.db


revision = '0017_statistik'
down_revision = '0016_generations'
branch_labels = None
depends_on = None


def _stamps():
    return [sa.Column('created_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
            sa.Column('updated_at', satudata.db.UTCDateTime(timezone=True), nullable=False)]


def upgrade():
    op.create_table(
        'statistik_kegiatan',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dataset_id', sa.String(length=36), nullable=False),
        sa.Column('judul_kegiatan', sa.String(length=300), nullable=True),
        sa.Column('kode_kegiatan', sa.String(length=50), nullable=True),
        sa.Column('cara_pengumpulan', sa.Text(), nullable=True),
        sa.Column('sektor_kegiatan', sa.Text(), nullable=True),
        sa.Column('rekomendasi_bps', sa.Text(), nullable=True),
        sa.Column('identitas_rekomendasi', sa.String(length=300), nullable=True),
        sa.Column('tahun_kegiatan', sa.String(length=20), nullable=True),
        sa.Column('instansi_penyelenggara', sa.String(length=300), nullable=True),
        sa.Column('alamat_penyelenggara', sa.Text(), nullable=True),
        sa.Column('telepon_penyelenggara', sa.String(length=100), nullable=True),
        sa.Column('faksimile_penyelenggara', sa.String(length=100), nullable=True),
        sa.Column('email_penyelenggara', sa.String(length=255), nullable=True),
        sa.Column('unit_eselon_1', sa.String(length=300), nullable=True),
        sa.Column('unit_eselon_2', sa.String(length=300), nullable=True),
        sa.Column('pj_jabatan', sa.String(length=300), nullable=True),
        sa.Column('pj_alamat', sa.Text(), nullable=True),
        sa.Column('pj_telepon', sa.String(length=100), nullable=True),
        sa.Column('pj_faksimile', sa.String(length=100), nullable=True),
        sa.Column('pj_email', sa.String(length=255), nullable=True),
        sa.Column('latar_belakang', sa.Text(), nullable=True),
        sa.Column('tujuan', sa.Text(), nullable=True),
        sa.Column('jadwal_perencanaan_awal', sa.String(length=10), nullable=True),
        sa.Column('jadwal_perencanaan_akhir', sa.String(length=10), nullable=True),
        sa.Column('jadwal_desain_awal', sa.String(length=10), nullable=True),
        sa.Column('jadwal_desain_akhir', sa.String(length=10), nullable=True),
        sa.Column('jadwal_pengumpulan_awal', sa.String(length=10), nullable=True),
        sa.Column('jadwal_pengumpulan_akhir', sa.String(length=10), nullable=True),
        sa.Column('jadwal_pengolahan_awal', sa.String(length=10), nullable=True),
        sa.Column('jadwal_pengolahan_akhir', sa.String(length=10), nullable=True),
        sa.Column('jadwal_analisis_awal', sa.String(length=10), nullable=True),
        sa.Column('jadwal_analisis_akhir', sa.String(length=10), nullable=True),
        sa.Column('jadwal_diseminasi_awal', sa.String(length=10), nullable=True),
        sa.Column('jadwal_diseminasi_akhir', sa.String(length=10), nullable=True),
        sa.Column('jadwal_evaluasi_awal', sa.String(length=10), nullable=True),
        sa.Column('jadwal_evaluasi_akhir', sa.String(length=10), nullable=True),
        sa.Column('variabel_dikumpulkan', sa.Text(), nullable=True),
        sa.Column('kegiatan_dilakukan', sa.Text(), nullable=True),
        sa.Column('frekuensi_penyelenggaraan', sa.Text(), nullable=True),
        sa.Column('tipe_pengumpulan', sa.Text(), nullable=True),
        sa.Column('cakupan_wilayah', sa.Text(), nullable=True),
        sa.Column('wilayah_kegiatan', sa.Text(), nullable=True),
        sa.Column('metode_pengumpulan', sa.Text(), nullable=True),
        sa.Column('metode_pengumpulan_lainnya', sa.String(length=500), nullable=True),
        sa.Column('sarana_pengumpulan', sa.Text(), nullable=True),
        sa.Column('sarana_pengumpulan_lainnya', sa.String(length=500), nullable=True),
        sa.Column('unit_pengumpulan', sa.Text(), nullable=True),
        sa.Column('unit_pengumpulan_lainnya', sa.String(length=500), nullable=True),
        sa.Column('jenis_rancangan_sampel', sa.Text(), nullable=True),
        sa.Column('metode_pemilihan_sampel', sa.Text(), nullable=True),
        sa.Column('metode_sampel', sa.Text(), nullable=True),
        sa.Column('kerangka_sampel', sa.Text(), nullable=True),
        sa.Column('fraksi_sampel', sa.String(length=100), nullable=True),
        sa.Column('sampling_error', sa.String(length=100), nullable=True),
        sa.Column('unit_sampel', sa.String(length=300), nullable=True),
        sa.Column('unit_observasi', sa.String(length=300), nullable=True),
        sa.Column('uji_coba', sa.Text(), nullable=True),
        sa.Column('metode_pemeriksaan_kualitas', sa.Text(), nullable=True),
        sa.Column('metode_pemeriksaan_kualitas_lainnya', sa.String(length=500), nullable=True),
        sa.Column('penyesuaian_nonrespon', sa.Text(), nullable=True),
        sa.Column('petugas_pengumpulan', sa.Text(), nullable=True),
        sa.Column('pendidikan_petugas', sa.Text(), nullable=True),
        sa.Column('jumlah_supervisor', sa.String(length=7), nullable=True),
        sa.Column('jumlah_enumerator', sa.String(length=7), nullable=True),
        sa.Column('pelatihan_petugas', sa.Text(), nullable=True),
        sa.Column('pengolahan_editing', sa.Text(), nullable=True),
        sa.Column('pengolahan_coding', sa.Text(), nullable=True),
        sa.Column('pengolahan_entry', sa.Text(), nullable=True),
        sa.Column('pengolahan_validasi', sa.Text(), nullable=True),
        sa.Column('metode_analisis', sa.Text(), nullable=True),
        sa.Column('unit_analisis', sa.Text(), nullable=True),
        sa.Column('unit_analisis_lainnya', sa.String(length=500), nullable=True),
        sa.Column('tingkat_penyajian', sa.Text(), nullable=True),
        sa.Column('tingkat_penyajian_lainnya', sa.String(length=500), nullable=True),
        sa.Column('produk_tercetak', sa.Text(), nullable=True),
        sa.Column('produk_digital', sa.Text(), nullable=True),
        sa.Column('produk_mikro', sa.Text(), nullable=True),
        sa.Column('rilis_tercetak', sa.String(length=10), nullable=True),
        sa.Column('rilis_digital', sa.String(length=10), nullable=True),
        sa.Column('rilis_mikro', sa.String(length=10), nullable=True),
        *_stamps(),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['dataset_id'], ['dataset.id'], name=op.f('fk_statistik_kegiatan_dataset_id_dataset'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'],
                                name=op.f('fk_statistik_kegiatan_updated_by_id_user_account'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_statistik_kegiatan')),
    )
    with op.batch_alter_table('statistik_kegiatan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statistik_kegiatan_dataset_id'), ['dataset_id'], unique=True)

    op.create_table(
        'statistik_variabel',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dataset_id', sa.String(length=36), nullable=False),
        sa.Column('resource_id', sa.String(length=36), nullable=False),
        sa.Column('column_name', sa.String(length=255), nullable=False),
        sa.Column('nama', sa.String(length=255), nullable=True),
        sa.Column('alias', sa.String(length=255), nullable=True),
        sa.Column('konsep', sa.Text(), nullable=True),
        sa.Column('definisi', sa.Text(), nullable=True),
        sa.Column('referensi_pemilihan', sa.String(length=500), nullable=True),
        sa.Column('referensi_waktu', sa.String(length=100), nullable=True),
        sa.Column('tipe_data', sa.Text(), nullable=True),
        sa.Column('klasifikasi_isian', sa.Text(), nullable=True),
        sa.Column('aturan_validasi', sa.Text(), nullable=True),
        sa.Column('kalimat_pertanyaan', sa.Text(), nullable=True),
        sa.Column('akses_umum', sa.Text(), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(['dataset_id'], ['dataset.id'], name=op.f('fk_statistik_variabel_dataset_id_dataset'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['resource_id'], ['resource.id'],
                                name=op.f('fk_statistik_variabel_resource_id_resource'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_statistik_variabel')),
        sa.UniqueConstraint('resource_id', 'column_name', name='uq_statistik_variabel_resource_column'),
    )
    with op.batch_alter_table('statistik_variabel', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statistik_variabel_dataset_id'), ['dataset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statistik_variabel_resource_id'), ['resource_id'], unique=False)

    op.create_table(
        'statistik_indikator',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dataset_id', sa.String(length=36), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('nama', sa.String(length=300), nullable=True),
        sa.Column('konsep', sa.Text(), nullable=True),
        sa.Column('definisi', sa.Text(), nullable=True),
        sa.Column('interpretasi', sa.Text(), nullable=True),
        sa.Column('rumus', sa.Text(), nullable=True),
        sa.Column('ukuran', sa.String(length=255), nullable=True),
        sa.Column('satuan', sa.String(length=100), nullable=True),
        sa.Column('klasifikasi_penyajian', sa.Text(), nullable=True),
        sa.Column('indikator_komposit', sa.Text(), nullable=True),
        sa.Column('publikasi_ketersediaan', sa.String(length=500), nullable=True),
        sa.Column('indikator_pembangun', sa.Text(), nullable=True),
        sa.Column('kegiatan_penghasil', sa.String(length=500), nullable=True),
        sa.Column('kode_kegiatan_penghasil', sa.String(length=50), nullable=True),
        sa.Column('variabel_pembangun', sa.Text(), nullable=True),
        sa.Column('level_estimasi', sa.String(length=255), nullable=True),
        sa.Column('akses_umum', sa.Text(), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(['dataset_id'], ['dataset.id'], name=op.f('fk_statistik_indikator_dataset_id_dataset'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_statistik_indikator')),
        sa.UniqueConstraint('dataset_id', 'position', name='uq_statistik_indikator_dataset_position'),
    )
    with op.batch_alter_table('statistik_indikator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statistik_indikator_dataset_id'), ['dataset_id'], unique=False)


def downgrade():
    with op.batch_alter_table('statistik_indikator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statistik_indikator_dataset_id'))
    op.drop_table('statistik_indikator')
    with op.batch_alter_table('statistik_variabel', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statistik_variabel_resource_id'))
        batch_op.drop_index(batch_op.f('ix_statistik_variabel_dataset_id'))
    op.drop_table('statistik_variabel')
    with op.batch_alter_table('statistik_kegiatan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statistik_kegiatan_dataset_id'))
    op.drop_table('statistik_kegiatan')
