//! Office names and time zones for pages (times are shown in the office's zone: WIB, WITA
//! or WIT), read from identity's public office list and kept for a few minutes.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike as _, Timelike as _};
use chrono_tz::Tz;

use pst_proto::identity as pb;

use crate::state::AppState;

const FRESH_FOR: Duration = Duration::from_secs(300);
/// After a failed fetch, the next try waits this long.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(30);
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
];

#[derive(Debug, Default)]
pub struct OfficeMap {
    offices: HashMap<String, (String, Tz)>,
}

impl OfficeMap {
    pub fn from_list(list: impl IntoIterator<Item = (String, String, String)>) -> Self {
        Self {
            offices: list
                .into_iter()
                .map(|(code, name, zone)| {
                    let tz = zone.parse().unwrap_or(chrono_tz::Asia::Jakarta);
                    (code, (name, tz))
                })
                .collect(),
        }
    }

    pub fn list(&self) -> Vec<(String, String)> {
        let mut v: Vec<_> = self
            .offices
            .keys()
            .map(|c| (c.clone(), self.label(c)))
            .collect();
        v.sort();
        v
    }

    pub fn label(&self, code: &str) -> String {
        match self.offices.get(code) {
            Some((name, _)) => format!("{code} · {name}"),
            None => code.to_owned(),
        }
    }

    /// A calendar date `YYYY-MM-DD` as `14 Des 2026` (anything else as it came).
    pub fn date(day: &str) -> String {
        match chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d") {
            Ok(d) => format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year()),
            Err(_) => day.to_owned(),
        }
    }

    /// The instant in the office's zone; an office not known is shown in WIB.
    pub fn local_time(&self, instant: &str, office: &str) -> String {
        let Ok(t) = DateTime::parse_from_rfc3339(instant) else {
            return instant.to_owned();
        };
        let tz = self
            .offices
            .get(office)
            .map_or(chrono_tz::Asia::Jakarta, |o| o.1);
        let t = t.with_timezone(&tz);
        let zone = match tz {
            chrono_tz::Asia::Makassar => "WITA",
            chrono_tz::Asia::Jayapura => "WIT",
            chrono_tz::Asia::Jakarta | chrono_tz::Asia::Pontianak => "WIB",
            other => other.name(),
        };
        format!(
            "{} {} {} {:02}.{:02} {zone}",
            t.day(),
            MONTHS[t.month0() as usize],
            t.year(),
            t.hour(),
            t.minute()
        )
    }
}

#[derive(Debug, Default)]
pub struct OfficeCache {
    current: tokio::sync::RwLock<Option<(Instant, Arc<OfficeMap>)>>,
}

impl OfficeCache {
    /// After an office is created or renamed here: the next page fetches the list again.
    pub fn forget(&self) {
        if let Ok(mut slot) = self.current.try_write() {
            *slot = None;
        }
    }

    /// The office list, fetched again when older than a few minutes; if identity cannot be
    /// reached, the last list (or an empty one: codes and WIB) keeps pages working.
    pub async fn get(&self, s: &AppState) -> Arc<OfficeMap> {
        if let Some((at, map)) = &*self.current.read().await
            && at.elapsed() < FRESH_FOR
        {
            return map.clone();
        }
        let mut slot = self.current.write().await;
        if let Some((at, map)) = &*slot
            && at.elapsed() < FRESH_FOR
        {
            return map.clone();
        }
        match s
            .identity
            .clone()
            .list_offices(tonic::Request::new(pb::ListOfficesRequest {}))
            .await
        {
            Ok(r) => {
                let map = Arc::new(OfficeMap::from_list(
                    r.into_inner()
                        .offices
                        .into_iter()
                        .map(|o| (o.code, o.name, o.time_zone)),
                ));
                *slot = Some((Instant::now(), map.clone()));
                map
            }
            Err(e) => {
                tracing::warn!(error = %e.message(), "office list unavailable; pages show office codes and WIB");
                // Kept as it was for RETRY_AFTER_FAILURE: pages do not wait on identity in turn.
                let map = slot.as_ref().map(|(_, m)| m.clone()).unwrap_or_default();
                let aged = Instant::now()
                    .checked_sub(FRESH_FOR.saturating_sub(RETRY_AFTER_FAILURE))
                    .unwrap_or_else(Instant::now);
                *slot = Some((aged, map.clone()));
                map
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_the_office_zone() {
        let m = OfficeMap::from_list([
            (
                "1674".into(),
                "Kota Lubuklinggau".into(),
                "Asia/Jakarta".into(),
            ),
            (
                "7371".into(),
                "Kota Makassar".into(),
                "Asia/Makassar".into(),
            ),
            (
                "9471".into(),
                "Kota Jayapura".into(),
                "Asia/Jayapura".into(),
            ),
        ]);
        let t = "2026-12-07T03:05:00Z";
        assert_eq!(m.local_time(t, "1674"), "7 Des 2026 10.05 WIB");
        assert_eq!(m.local_time(t, "7371"), "7 Des 2026 11.05 WITA");
        assert_eq!(m.local_time(t, "9471"), "7 Des 2026 12.05 WIT");
        assert_eq!(m.local_time(t, "0000"), "7 Des 2026 10.05 WIB");
        assert_eq!(m.label("1674"), "1674 · Kota Lubuklinggau");
        assert_eq!(m.local_time("bukan waktu", "1674"), "bukan waktu");
        assert_eq!(OfficeMap::date("2026-12-14"), "14 Des 2026");
        assert_eq!(OfficeMap::date("besok"), "besok");
    }
}
