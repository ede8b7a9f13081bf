//! The display board: who is at which counter, how many wait per line and for about how
//! long, and which guest-book visitors are at risk of (or past) the 5-minute promise.

use chrono::Utc;

use pst_kit::AppError;

use super::Visits;
use crate::domain::promise;
use crate::live::{CounterNow, Outcome};
use crate::store::setup::Setup;
use crate::store::{tickets, visits};

/// Default service time per visitor before any is finished today.
const DEFAULT_SERVICE_SECS: f64 = 300.0;

#[derive(Debug, Clone)]
pub struct LineView {
    pub code: String,
    pub name: String,
    pub prefix: String,
    pub waiting: u64,
    pub estimated_wait_secs: u32,
}

#[derive(Debug, Clone)]
pub struct BoardView {
    pub setup: Setup,
    pub day: chrono::NaiveDate,
    pub counters: Vec<(String, String, CounterNow)>,
    pub lines: Vec<LineView>,
    /// (number, waited seconds, level)
    pub flags: Vec<(String, u32, promise::Level)>,
    pub generated_at: chrono::DateTime<Utc>,
}

impl Visits {
    pub async fn board(&self, office: &str) -> Result<BoardView, AppError> {
        let s = self.setup(office).await?;
        let now = Utc::now();
        let day = s.clock.day(now);
        let d = self.day_keys(&s.code, day);
        let (lines, counters) = (s.line_codes(), s.counter_codes());
        let mut snapshot = None;
        for _ in 0..3 {
            match self.live.snapshot(&d, &lines, &counters).await? {
                Outcome::Ready(x) => {
                    snapshot = Some(x);
                    break;
                }
                Outcome::NotReady => self.rebuild(&s, day).await?,
            }
        }
        let (counts, states) = snapshot.ok_or_else(|| AppError::Unavailable {
            code: "QUEUE_REBUILDING",
            detail: "Antrean sedang dipulihkan.".into(),
        })?;
        let averages = tickets::average_service_secs(&self.pool, &s.code, day).await?;
        let line_views: Vec<LineView> = s
            .service_types
            .iter()
            .zip(&counts)
            .map(|(t, &waiting)| {
                let avg = averages
                    .iter()
                    .find(|(c, _)| *c == t.code)
                    .map_or(DEFAULT_SERVICE_SECS, |(_, a)| *a);
                let serving = s
                    .counters
                    .iter()
                    .filter(|c| c.service_types.contains(&t.code))
                    .count()
                    .max(1);
                let estimate = (waiting as f64 * avg / serving as f64).round();
                LineView {
                    code: t.code.clone(),
                    name: t.name.clone(),
                    prefix: t.prefix.clone(),
                    waiting,
                    estimated_wait_secs: if estimate > f64::from(u32::MAX) {
                        u32::MAX
                    } else {
                        estimate as u32
                    },
                }
            })
            .collect();
        let flags = visits::waiting_since_guest_book(&self.pool, &s.code, day)
            .await?
            .into_iter()
            .filter_map(|(number, waited)| {
                promise::flag(waited, self.cfg.at_risk_secs, self.cfg.promise_secs)
                    .map(|l| (number, u32::try_from(waited.max(0)).unwrap_or(u32::MAX), l))
            })
            .collect();
        let counters = s
            .counters
            .iter()
            .zip(states)
            .map(|(c, now)| (c.code.clone(), c.name.clone(), now))
            .collect();
        pst_kit::metrics::get().queue_waiting(&s.code, line_views.iter().map(|l| l.waiting).sum());
        Ok(BoardView {
            setup: s,
            day,
            counters,
            lines: line_views,
            flags,
            generated_at: now,
        })
    }
}
