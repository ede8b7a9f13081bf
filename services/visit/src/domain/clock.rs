//! An office's clock: its service day (local date), local times shown to people
//! (WIB / WITA / WIT), and its opening hours.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfficeClock {
    tz: Tz,
}

impl OfficeClock {
    pub fn parse(tz: &str) -> Option<Self> {
        match tz {
            "Asia/Jakarta" | "Asia/Makassar" | "Asia/Jayapura" => {
                tz.parse().ok().map(|tz| Self { tz })
            }
            _ => None,
        }
    }

    /// WIB, WITA or WIT.
    pub fn abbreviation(&self) -> &'static str {
        match self.tz {
            chrono_tz::Asia::Makassar => "WITA",
            chrono_tz::Asia::Jayapura => "WIT",
            _ => "WIB",
        }
    }

    /// The service day: the office's local date.
    pub fn day(&self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.tz).date_naive()
    }

    /// RFC 3339 with the office's offset, e.g. `2026-11-29T10:05:00+07:00`.
    pub fn rfc3339(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.tz)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
    }

    /// e.g. `10:05 WIB`.
    pub fn hhmm(&self, t: DateTime<Utc>) -> String {
        format!(
            "{} {}",
            t.with_timezone(&self.tz).format("%H:%M"),
            self.abbreviation()
        )
    }

    /// Whether `now` falls within the opening hours on an open weekday (ISO, 1 = Monday).
    pub fn is_open(
        &self,
        now: DateTime<Utc>,
        opens: NaiveTime,
        closes: NaiveTime,
        days: &[i16],
    ) -> bool {
        let local = now.with_timezone(&self.tz);
        let weekday = i16::try_from(local.weekday().number_from_monday()).unwrap_or(0);
        let time = local.time();
        days.contains(&weekday) && time >= opens && time < closes
    }
}

/// Formats a possibly-absent UTC time for the office, empty when absent.
pub fn fmt_opt(clock: &OfficeClock, t: Option<DateTime<Utc>>) -> String {
    t.map(|t| clock.rfc3339(t)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_service_day_is_the_local_date() {
        let wib = OfficeClock::parse("Asia/Jakarta").expect("tz");
        let wit = OfficeClock::parse("Asia/Jayapura").expect("tz");
        let t = Utc.with_ymd_and_hms(2026, 11, 29, 16, 30, 0).unwrap();
        assert_eq!(wib.day(t).to_string(), "2026-11-29");
        assert_eq!(
            wit.day(t).to_string(),
            "2026-11-30",
            "01:30 WIT is already the next day"
        );
        assert_eq!(wib.hhmm(t), "23:30 WIB");
        assert_eq!(wib.rfc3339(t), "2026-11-29T23:30:00+07:00");
        assert!(OfficeClock::parse("Asia/Tokyo").is_none());
    }

    #[test]
    fn opening_hours_use_local_time_and_weekdays() {
        let wib = OfficeClock::parse("Asia/Jakarta").expect("tz");
        let opens = NaiveTime::from_hms_opt(8, 0, 0).unwrap();
        let closes = NaiveTime::from_hms_opt(16, 0, 0).unwrap();
        let monday_9_wib = Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap();
        let monday_17_wib = Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0).unwrap();
        let sunday_9_wib = Utc.with_ymd_and_hms(2026, 11, 29, 2, 0, 0).unwrap();
        assert!(wib.is_open(monday_9_wib, opens, closes, &[1, 2, 3, 4, 5]));
        assert!(!wib.is_open(monday_17_wib, opens, closes, &[1, 2, 3, 4, 5]));
        assert!(!wib.is_open(sunday_9_wib, opens, closes, &[1, 2, 3, 4, 5]));
    }
}
