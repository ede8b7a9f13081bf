//! A month of past satisfaction-survey answers and a few complaints for the demo office
//! (and the report benchmark), so the supervisor's report has an IKM and an inbox to show.
//! Written once: an office that already has answers in the period keeps them.

use chrono::{Duration, NaiveDate, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use pst_kit::AppError;
use pst_kit::demo::Dice;

const SEXES: [&str; 2] = ["L", "P"];
const AGES: [&str; 5] = ["20-29", "30-39", "40-49", "50-59", "<20"];
const EDUCATION: [&str; 4] = ["SMA", "D4/S1", "S2", "D1-D3"];
const OCCUPATIONS: [&str; 4] = ["PNS", "Pegawai swasta", "Wiraswasta", "Pelajar/Mahasiswa"];

/// Survey answers on every day from `from` to `to`, `per_day` a day, mostly 3s and 4s.
pub async fn past_responses(
    pool: &PgPool,
    office: &str,
    from: NaiveDate,
    to: NaiveDate,
    per_day: u32,
) -> Result<usize, AppError> {
    let (had,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM responses WHERE office_code = $1::char(4) AND response_day BETWEEN $2 AND $3",
    )
    .bind(office)
    .bind(from)
    .bind(to)
    .fetch_one(pool)
    .await?;
    if had > 0 {
        return Ok(0);
    }
    let mut dice = Dice::new(0x5e5e_1674);
    let (mut ids, mut days, mut scores, mut sex, mut age, mut edu, mut occ, mut fee) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    let mut day = from;
    while day <= to {
        for _ in 0..per_day {
            ids.push(Uuid::now_v7());
            days.push(day);
            let s: Vec<String> = (0..9)
                .map(|_| {
                    match dice.below(10) {
                        0 => "2",
                        1..=4 => "3",
                        _ => "4",
                    }
                    .to_owned()
                })
                .collect();
            scores.push(format!("{{{}}}", s.join(",")));
            sex.push(SEXES[usize::try_from(dice.below(2)).unwrap_or(0)].to_owned());
            age.push(AGES[usize::try_from(dice.below(5)).unwrap_or(0)].to_owned());
            edu.push(EDUCATION[usize::try_from(dice.below(4)).unwrap_or(0)].to_owned());
            occ.push(OCCUPATIONS[usize::try_from(dice.below(4)).unwrap_or(0)].to_owned());
            fee.push(dice.below(200) == 0);
        }
        day += Duration::days(1);
    }
    // Each answer names a visit of its own (the unique key); these visits are the demo's.
    sqlx::query(
        "INSERT INTO responses (id, office_code, response_day, visit_id, scores, sex, age_group, education, occupation, fee_asked) \
         SELECT id, $1::char(4), d, id, sc::smallint[], s, a, e, o, f \
         FROM UNNEST($2::uuid[], $3::date[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bool[]) AS x(id, d, sc, s, a, e, o, f)",
    )
    .bind(office)
    .bind(&ids)
    .bind(&days)
    .bind(&scores)
    .bind(&sex)
    .bind(&age)
    .bind(&edu)
    .bind(&occ)
    .bind(&fee)
    .execute(pool)
    .await?;
    Ok(ids.len())
}

/// Three complaints: one by suggestion box past its follow-up date, one by LAPOR! being
/// handled, one answered by e-mail.
pub async fn complaints(pool: &PgPool, office: &str, today: NaiveDate) -> Result<(), AppError> {
    let (had,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM complaints WHERE office_code = $1::char(4)")
            .bind(office)
            .fetch_one(pool)
            .await?;
    if had > 0 {
        return Ok(());
    }
    let rows = [
        (
            "kotak_saran",
            "fasilitas",
            "Ruang baca terlalu panas siang hari; pendingin udara tidak menyala.",
            "received",
            20,
            "Warga (kotak saran)",
            "",
        ),
        (
            "lapor",
            "layanan",
            "Data PDRB kecamatan yang saya minta belum dikirim setelah seminggu.",
            "in_progress",
            6,
            "Rahmat Hidayat",
            "rahmat@example.id",
        ),
        (
            "email",
            "data",
            "Tabel jumlah penduduk di publikasi Dalam Angka berbeda dengan situs web.",
            "answered",
            12,
            "Sari Dewi",
            "sari@example.id",
        ),
    ];
    for (channel, category, text, status, days_ago, name, email) in rows {
        let received = today - Duration::days(days_ago);
        let at = Utc::now() - Duration::days(days_ago);
        sqlx::query(
            "INSERT INTO complaints (id, office_code, channel, category, text, status, contact_name, contact_email, received_at, verify_due, follow_up_due, answered_at, contact_verified_at) \
             VALUES ($1, $2::char(4), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, CASE WHEN $8 <> '' THEN $9 END)",
        )
        .bind(Uuid::now_v7())
        .bind(office)
        .bind(channel)
        .bind(category)
        .bind(text)
        .bind(status)
        .bind(name)
        .bind(email)
        .bind(at)
        .bind(received + Duration::days(3))
        .bind(received + Duration::days(14))
        .bind((status == "answered").then_some(at + Duration::days(2)))
        .execute(pool)
        .await?;
    }
    Ok(())
}
