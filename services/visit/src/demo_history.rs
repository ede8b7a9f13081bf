//! A month of past walk-in visits for the demo office (and the report benchmark): numbers
//! taken, guest books filled, waits mostly within the 5-minute promise and some past it,
//! varied guest-book answers. Written once: an office that already has past visits keeps
//! them.

use chrono::{Duration, NaiveDate, NaiveTime, TimeZone as _, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use pst_kit::AppError;
use pst_kit::demo::Dice;

const PURPOSES: [&str; 6] = [
    "Mencari data kemiskinan",
    "Tugas akhir / skripsi",
    "Data inflasi untuk laporan kantor",
    "Membaca publikasi Dalam Angka",
    "Konsultasi data penduduk",
    "Penelitian ketenagakerjaan",
];
const OCCUPATIONS: [&str; 6] = [
    "Mahasiswa",
    "PNS",
    "Pegawai swasta",
    "Peneliti",
    "Guru/dosen",
    "Wiraswasta",
];

type Instant = chrono::DateTime<Utc>;

/// The tickets to write, column by column (one `UNNEST` insert).
#[derive(Default)]
struct Tickets {
    id: Vec<Uuid>,
    day: Vec<NaiveDate>,
    n: Vec<i32>,
    counter: Vec<String>,
    taken: Vec<Instant>,
    called: Vec<Instant>,
    started: Vec<Instant>,
    finished: Vec<Instant>,
}

/// Their guest-book entries, in the same order.
#[derive(Default)]
struct Guests {
    id: Vec<Uuid>,
    sex: Vec<String>,
    age: Vec<String>,
    education: Vec<String>,
    occupation: Vec<String>,
    purpose: Vec<String>,
    guest_book: Vec<Instant>,
}

/// Past visits on working days from `from` to `to` (office-local dates, WIB), `min..=max`
/// a day. Returns how many were written (0 when the office already has visits before
/// `to`).
pub async fn past_visits(
    pool: &PgPool,
    office: &str,
    from: NaiveDate,
    to: NaiveDate,
    per_day: (u32, u32),
) -> Result<usize, AppError> {
    let (had,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM visits WHERE office_code = $1::char(4) AND service_day BETWEEN $2 AND $3")
            .bind(office)
            .bind(from)
            .bind(to)
            .fetch_one(pool)
            .await?;
    if had > 0 {
        return Ok(0);
    }
    let tz = chrono_tz::Asia::Jakarta;
    let mut dice = Dice::new(0x1674_2026 ^ u64::from(office.parse::<u32>().unwrap_or(1)));
    let mut tickets = Tickets::default();
    let mut visits = Guests::default();
    let mut day = from;
    while day <= to {
        let weekday = chrono::Datelike::weekday(&day).number_from_monday();
        if weekday <= 5 {
            let n = per_day.0
                + u32::try_from(dice.below(u64::from(per_day.1.saturating_sub(per_day.0) + 1)))
                    .unwrap_or(0);
            let open = NaiveTime::from_hms_opt(8, 0, 0).expect("BUG: valid time");
            let mut at = tz
                .from_local_datetime(&day.and_time(open))
                .single()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(Utc::now);
            for k in 1..=n {
                at += Duration::seconds(i64::try_from(120 + dice.below(1500)).unwrap_or(600));
                let guest_book =
                    at + Duration::seconds(i64::try_from(30 + dice.below(150)).unwrap_or(60));
                // Most start within the promise; about one in eight waits longer.
                let wait = if dice.below(8) == 0 {
                    300 + dice.below(700)
                } else {
                    15 + dice.below(270)
                };
                let started = guest_book + Duration::seconds(i64::try_from(wait).unwrap_or(60));
                let finished = started
                    + Duration::seconds(i64::try_from(300 + dice.below(1200)).unwrap_or(600));
                tickets.id.push(Uuid::now_v7());
                tickets.day.push(day);
                tickets.n.push(i32::try_from(k).unwrap_or(1));
                tickets
                    .counter
                    .push(if dice.below(2) == 0 { "L1" } else { "L2" }.to_owned());
                tickets.taken.push(at);
                tickets.called.push(started - Duration::seconds(20));
                tickets.started.push(started);
                tickets.finished.push(finished);
                visits.id.push(Uuid::now_v7());
                visits
                    .sex
                    .push(dice.pick(&crate::domain::guest_book::SEXES).to_owned());
                visits
                    .age
                    .push(dice.pick(&crate::domain::guest_book::AGE_GROUPS).to_owned());
                visits
                    .education
                    .push(dice.pick(&crate::domain::guest_book::EDUCATION).to_owned());
                visits.occupation.push(dice.pick(&OCCUPATIONS).to_owned());
                visits.purpose.push(dice.pick(&PURPOSES).to_owned());
                visits.guest_book.push(guest_book);
            }
        }
        day += Duration::days(1);
    }
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO tickets (id, office_code, service_day, service_type, prefix, number, seq, status, device, counter, call_count, taken_at, called_at, started_at, finished_at) \
         SELECT id, $1::char(4), day, 'perpustakaan', 'P', n, n, 'done', 'demo', c, 1, ta, ca, sa, fa \
         FROM UNNEST($2::uuid[], $3::date[], $4::int[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], $9::timestamptz[]) AS x(id, day, n, c, ta, ca, sa, fa)",
    )
    .bind(office)
    .bind(&tickets.id)
    .bind(&tickets.day)
    .bind(&tickets.n)
    .bind(&tickets.counter)
    .bind(&tickets.taken)
    .bind(&tickets.called)
    .bind(&tickets.started)
    .bind(&tickets.finished)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO visits (id, office_code, service_day, ticket_id, name, sex, age_group, education, occupation, institution_type, purpose, guest_book_at, ended_at) \
         SELECT v.id, $1::char(4), t.day, t.id, 'Pengunjung ' || t.n, v.sex, v.age, v.edu, v.occ, 'perorangan', v.purpose, v.gb, t.fa \
         FROM UNNEST($2::uuid[], $3::date[], $4::int[], $5::timestamptz[]) WITH ORDINALITY AS t(id, day, n, fa, i) \
         JOIN UNNEST($6::uuid[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[]) WITH ORDINALITY AS v(id, sex, age, edu, occ, purpose, gb, i) ON v.i = t.i",
    )
    .bind(office)
    .bind(&tickets.id)
    .bind(&tickets.day)
    .bind(&tickets.n)
    .bind(&tickets.finished)
    .bind(&visits.id)
    .bind(&visits.sex)
    .bind(&visits.age)
    .bind(&visits.education)
    .bind(&visits.occupation)
    .bind(&visits.purpose)
    .bind(&visits.guest_book)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(tickets.id.len())
}
