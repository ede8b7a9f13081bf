//! Due dates in working days: weekends and configured public holidays do not count.

use chrono::{Datelike, NaiveDate, Weekday};

/// The date `days` working days after `start` (the start day itself is day 0).
pub fn add_working_days(start: NaiveDate, days: u32, holidays: &[NaiveDate]) -> NaiveDate {
    let mut d = start;
    let mut left = days;
    while left > 0 {
        d = d.succ_opt().expect("BUG: date overflow");
        if is_working_day(d, holidays) {
            left -= 1;
        }
    }
    d
}

pub fn is_working_day(d: NaiveDate, holidays: &[NaiveDate]) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !holidays.contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn weekends_and_holidays_are_skipped() {
        // Friday 2026-12-18 + 3 working days = Wednesday 2026-12-23.
        assert_eq!(add_working_days(d("2026-12-18"), 3, &[]), d("2026-12-23"));
        // With Christmas (Fri 25) as a holiday: Thu 24 + 1 = Mon 28.
        assert_eq!(
            add_working_days(d("2026-12-24"), 1, &[d("2026-12-25")]),
            d("2026-12-28")
        );
        // A complaint on Saturday: +1 is Monday.
        assert_eq!(add_working_days(d("2026-12-19"), 1, &[]), d("2026-12-21"));
    }
}
