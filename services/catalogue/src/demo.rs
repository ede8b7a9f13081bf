//! A demo catalogue for office 1674, generated (not copied from BPS): the office's regular
//! titles over several years, with abstracts, subjects and printed copies. Idempotent.

use pst_kit::AppError;
use uuid::Uuid;

use crate::domain::publication::{self, Input};
use crate::store;

/// (title pattern with {y}, subject, abstract)
const SERIES: [(&str, &str, &str); 6] = [
    (
        "Kota Lubuklinggau Dalam Angka {y}",
        "kependudukan",
        "Gambaran umum Kota Lubuklinggau: geografi, pemerintahan, penduduk dan ketenagakerjaan, pendidikan, kesehatan, pertanian, industri, perdagangan, dan keuangan daerah.",
    ),
    (
        "Statistik Daerah Kota Lubuklinggau {y}",
        "kependudukan",
        "Ringkasan indikator strategis Kota Lubuklinggau: kependudukan, kemiskinan, inflasi, dan pertumbuhan ekonomi.",
    ),
    (
        "Indeks Pembangunan Manusia Kota Lubuklinggau {y}",
        "pendidikan",
        "Capaian pembangunan manusia: umur harapan hidup, harapan lama sekolah, rata-rata lama sekolah, dan pengeluaran per kapita.",
    ),
    (
        "Produk Domestik Regional Bruto Kota Lubuklinggau Menurut Lapangan Usaha {y}",
        "neraca_nasional",
        "PDRB atas dasar harga berlaku dan konstan menurut lapangan usaha, struktur ekonomi, dan laju pertumbuhan.",
    ),
    (
        "Kecamatan Lubuklinggau Barat I Dalam Angka {y}",
        "pemerintahan",
        "Data kecamatan: wilayah, penduduk, fasilitas pendidikan dan kesehatan, serta sarana ekonomi.",
    ),
    (
        "Statistik Harga Konsumen dan Inflasi Kota Lubuklinggau {y}",
        "inflasi",
        "Perkembangan harga konsumen dan inflasi bulanan menurut kelompok pengeluaran.",
    ),
];

pub async fn seed(pool: &sqlx::PgPool) -> Result<(), AppError> {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("BUG: valid date");
    for (s, (pattern, subject, abstract_text)) in SERIES.iter().enumerate() {
        for year in 2021..=2024u32 {
            let title = pattern.replace("{y}", &year.to_string());
            let exists: bool =
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM publications WHERE title = $1)")
                    .bind(&title)
                    .fetch_one(pool)
                    .await?;
            if exists {
                continue;
            }
            // A few come with a softcopy the watermark service stores under the same ids.
            let softcopy = pst_kit::demo::softcopy(&title);
            let input = Input {
                office_code: "1674".into(),
                document_id: softcopy.map(|(_, d)| d.to_string()).unwrap_or_default(),
                title,
                catalogue_number: format!(
                    "{:07}.1674",
                    1_102_001 + s * 10 + (year as usize - 2021)
                ),
                release_date: format!("{year}-09-30"),
                year_from: year - 1,
                year_to: year - 1,
                subject: (*subject).into(),
                language: "id".into(),
                pages: 120 + 20 * s as u32,
                abstract_text: (*abstract_text).into(),
                keywords: vec!["Lubuklinggau".into(), "statistik".into()],
                access_level: "public".into(),
                ..Input::default()
            };
            let valid = publication::validate(&input, today)?;
            let id = softcopy.map_or_else(Uuid::now_v7, |(p, _)| p);
            store::upsert(pool, id, &valid).await?;
            sqlx::query("INSERT INTO holdings (id, publication_id, office_code, call_number, shelf, copies, condition) VALUES ($1,$2,'1674',$3,$4,2,'baik')")
                .bind(Uuid::now_v7())
                .bind(id)
                .bind(format!("310.{s}{year}"))
                .bind(format!("Rak {}", s + 1))
                .execute(pool)
                .await?;
            sqlx::query("UPDATE publications SET has_printed = true WHERE id = $1")
                .bind(id)
                .execute(pool)
                .await?;
        }
    }
    tracing::info!("demo catalogue loaded for office 1674");
    Ok(())
}
