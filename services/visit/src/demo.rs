//! Demo setup for office 1674: two lines (Perpustakaan `P`, Konsultasi Statistik `K`),
//! two counters and twenty lockers. The demo office is open around the clock so the walk-in
//! flow can be tried at any hour; real offices set their hours (`OFFICE_CLOSED` outside).

use chrono::{NaiveTime, Utc};

use pst_kit::AppError;

use crate::domain::clock::OfficeClock;
use crate::store::setup::{self, Counter, ServiceType, Setup};

/// The 1674 setup (also used by the tests for offices of their own).
pub fn office(code: &str, name: &str) -> Setup {
    Setup {
        code: code.to_owned(),
        name: name.to_owned(),
        clock: OfficeClock::parse("Asia/Jakarta").expect("BUG: WIB is a known zone"),
        time_zone: "Asia/Jakarta".to_owned(),
        opens_at: NaiveTime::MIN,
        closes_at: NaiveTime::from_hms_opt(23, 59, 59).expect("BUG: valid time"),
        open_days: vec![1, 2, 3, 4, 5, 6, 7],
        lockers: 20,
        holidays: Vec::new(),
        service_types: vec![
            ServiceType {
                code: "perpustakaan".into(),
                prefix: "P".into(),
                name: "Perpustakaan".into(),
            },
            ServiceType {
                code: "konsultasi".into(),
                prefix: "K".into(),
                name: "Konsultasi Statistik".into(),
            },
        ],
        counters: vec![
            Counter {
                code: "L1".into(),
                name: "Loket 1".into(),
                service_types: vec!["perpustakaan".into(), "konsultasi".into()],
            },
            Counter {
                code: "L2".into(),
                name: "Loket 2".into(),
                service_types: vec!["perpustakaan".into()],
            },
        ],
    }
}

/// The demo office; with `history`, its last 30 days of visits too.
pub async fn seed(pool: &sqlx::PgPool, history: bool) -> Result<(), AppError> {
    setup::save(pool, &office("1674", "BPS Kota Lubuklinggau")).await?;
    if !history {
        tracing::info!("demo queue setup loaded for office 1674");
        return Ok(());
    }
    // The last 30 days before today, so the supervisor's report has a month to show.
    let today = Utc::now()
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .date_naive();
    let written = crate::demo_history::past_visits(
        pool,
        "1674",
        today - chrono::Duration::days(30),
        today - chrono::Duration::days(1),
        (4, 12),
    )
    .await?;
    tracing::info!(
        past_visits = written,
        "demo queue setup loaded for office 1674"
    );
    Ok(())
}
