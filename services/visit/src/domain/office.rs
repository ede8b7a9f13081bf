//! An office's setup as an administrator enters it, checked field by field: hours, open
//! days, holidays, the lines (service types with their ticket prefix), the counters and
//! the lines they serve, and the number of lockers.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveTime};

use pst_kit::AppError;
use pst_kit::error::FieldViolation;

use super::clock::OfficeClock;
use crate::store::setup::{Counter, ServiceType, Setup};

/// The setup as sent, before checking.
#[derive(Debug, Clone, Default)]
pub struct RawSetup {
    pub code: String,
    pub name: String,
    pub time_zone: String,
    pub opens_at: String,
    pub closes_at: String,
    pub open_days: Vec<u32>,
    pub holidays: Vec<String>,
    pub lockers: u32,
    /// (code, prefix, name)
    pub service_types: Vec<(String, String, String)>,
    /// (code, name, lines)
    pub counters: Vec<(String, String, Vec<String>)>,
}

pub const ZONES: [&str; 3] = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"];
const MAX_LINES: usize = 26;
const MAX_COUNTERS: usize = 50;
const MAX_HOLIDAYS: usize = 100;
pub const MAX_LOCKERS: u32 = 500;

fn code_ok(code: &str, first_lower: bool, max: usize) -> bool {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || (!first_lower && c == '-');
    !code.is_empty()
        && code.len() <= max
        && code.chars().all(ok_char)
        && (!first_lower
            || (code.starts_with(|c: char| c.is_ascii_lowercase())
                && code.chars().all(|c| !c.is_ascii_uppercase())
                && code.len() >= 2))
}

/// Checks every field and gives the setup to store, or every problem at once.
pub fn validate(raw: RawSetup) -> Result<Setup, AppError> {
    let mut bad = Vec::new();
    let mut err = |f: String, m: &str| bad.push(FieldViolation::new(f, m));
    let code = pst_kit::validate::office_code(&raw.code).unwrap_or_else(|m| {
        err("office_code".into(), &m);
        String::new()
    });
    let name = pst_kit::validate::text(&raw.name, 3, 120).unwrap_or_else(|m| {
        err("name".into(), &m);
        String::new()
    });
    let clock =
        OfficeClock::parse(raw.time_zone.trim()).filter(|_| ZONES.contains(&raw.time_zone.trim()));
    if clock.is_none() {
        err(
            "time_zone".into(),
            "Zona waktu: Asia/Jakarta (WIB), Asia/Makassar (WITA) atau Asia/Jayapura (WIT).",
        );
    }
    let hm = |v: &str| NaiveTime::parse_from_str(v.trim(), "%H:%M").ok();
    let opens = hm(&raw.opens_at);
    let closes = hm(&raw.closes_at);
    if opens.is_none() {
        err(
            "opens_at".into(),
            "Jam buka dengan format JJ:MM, mis. 08:00.",
        );
    }
    if closes.is_none() {
        err(
            "closes_at".into(),
            "Jam tutup dengan format JJ:MM, mis. 16:00.",
        );
    }
    if let (Some(o), Some(c)) = (opens, closes)
        && o >= c
    {
        err("closes_at".into(), "Jam tutup harus setelah jam buka.");
    }
    let mut days: Vec<i16> = Vec::new();
    for d in &raw.open_days {
        match i16::try_from(*d) {
            Ok(d @ 1..=7) if !days.contains(&d) => days.push(d),
            _ => err(
                "open_days".into(),
                "Hari buka: 1 (Senin) sampai 7 (Minggu), masing-masing sekali.",
            ),
        }
    }
    days.sort_unstable();
    if days.is_empty() {
        err("open_days".into(), "Pilih paling sedikit satu hari buka.");
    }
    let mut holidays = Vec::new();
    if raw.holidays.len() > MAX_HOLIDAYS {
        err("holidays".into(), "Paling banyak 100 hari libur.");
    }
    for (i, h) in raw.holidays.iter().enumerate().take(MAX_HOLIDAYS) {
        match NaiveDate::parse_from_str(h.trim(), "%Y-%m-%d") {
            Ok(d) if !holidays.contains(&d) => holidays.push(d),
            Ok(_) => {}
            Err(_) => err(
                format!("holidays[{i}]"),
                "Tanggal libur dengan format TTTT-BB-HH.",
            ),
        }
    }
    holidays.sort_unstable();
    if raw.lockers > MAX_LOCKERS {
        err("lockers".into(), "Jumlah loker 0 sampai 500.");
    }
    if raw.service_types.is_empty() {
        err(
            "service_types".into(),
            "Tambahkan paling sedikit satu jenis layanan.",
        );
    }
    if raw.service_types.len() > MAX_LINES {
        err(
            "service_types".into(),
            "Paling banyak 26 jenis layanan (satu huruf awalan masing-masing).",
        );
    }
    let mut lines = Vec::new();
    let (mut codes, mut prefixes) = (HashSet::new(), HashSet::new());
    for (i, (c, p, n)) in raw.service_types.iter().enumerate().take(MAX_LINES) {
        let (c, p) = (c.trim(), p.trim());
        if !code_ok(c, true, 32) {
            err(
                format!("service_types[{i}].code"),
                "Kode layanan: huruf kecil, angka atau _, 2-32 karakter, diawali huruf.",
            );
        } else if !codes.insert(c.to_owned()) {
            err(
                format!("service_types[{i}].code"),
                "Kode layanan ini sudah dipakai di baris lain.",
            );
        }
        if !(p.len() == 1 && p.chars().all(|ch| ch.is_ascii_uppercase())) {
            err(
                format!("service_types[{i}].prefix"),
                "Awalan nomor: satu huruf kapital A-Z.",
            );
        } else if !prefixes.insert(p.to_owned()) {
            err(
                format!("service_types[{i}].prefix"),
                "Awalan ini sudah dipakai jenis layanan lain.",
            );
        }
        let n = pst_kit::validate::text(n, 2, 80).unwrap_or_else(|m| {
            err(format!("service_types[{i}].name"), &m);
            String::new()
        });
        lines.push(ServiceType {
            code: c.to_owned(),
            prefix: p.to_owned(),
            name: n,
        });
    }
    if raw.counters.is_empty() {
        err("counters".into(), "Tambahkan paling sedikit satu loket.");
    }
    if raw.counters.len() > MAX_COUNTERS {
        err("counters".into(), "Paling banyak 50 loket.");
    }
    let mut counters = Vec::new();
    let mut counter_codes = HashSet::new();
    for (i, (c, n, serves)) in raw.counters.iter().enumerate().take(MAX_COUNTERS) {
        let c = c.trim();
        if !code_ok(c, false, 16) {
            err(
                format!("counters[{i}].code"),
                "Kode loket: huruf, angka, _ atau -, 1-16 karakter.",
            );
        } else if !counter_codes.insert(c.to_owned()) {
            err(
                format!("counters[{i}].code"),
                "Kode loket ini sudah dipakai di baris lain.",
            );
        }
        let n = pst_kit::validate::text(n, 2, 60).unwrap_or_else(|m| {
            err(format!("counters[{i}].name"), &m);
            String::new()
        });
        let mut serves_clean: Vec<String> = Vec::new();
        for s in serves {
            let s = s.trim();
            if !codes.contains(s) {
                err(
                    format!("counters[{i}].service_types"),
                    "Loket melayani jenis layanan yang tidak ada di satker ini.",
                );
            } else if !serves_clean.iter().any(|x| x == s) {
                serves_clean.push(s.to_owned());
            }
        }
        if serves.is_empty() {
            err(
                format!("counters[{i}].service_types"),
                "Pilih paling sedikit satu jenis layanan yang dilayani loket ini.",
            );
        }
        counters.push(Counter {
            code: c.to_owned(),
            name: n,
            service_types: serves_clean,
        });
    }
    if !bad.is_empty() {
        return Err(AppError::Validation(bad));
    }
    let clock = clock.expect("BUG: checked above");
    Ok(Setup {
        code,
        name,
        clock,
        time_zone: raw.time_zone.trim().to_owned(),
        opens_at: opens.expect("BUG: checked above"),
        closes_at: closes.expect("BUG: checked above"),
        open_days: days,
        lockers: i32::try_from(raw.lockers).unwrap_or(0),
        service_types: lines,
        counters,
        holidays,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> RawSetup {
        RawSetup {
            code: "1675".into(),
            name: "BPS Kabupaten Contoh".into(),
            time_zone: "Asia/Jakarta".into(),
            opens_at: "08:00".into(),
            closes_at: "15:30".into(),
            open_days: vec![5, 1, 2, 3, 4],
            holidays: vec!["2027-01-01".into()],
            lockers: 10,
            service_types: vec![("perpustakaan".into(), "P".into(), "Perpustakaan".into())],
            counters: vec![
                ("L1".into(), "Loket 1".into(), vec!["perpustakaan".into()]),
                ("L2".into(), "Loket 2".into(), vec!["perpustakaan".into()]),
            ],
        }
    }

    #[test]
    fn a_good_setup_passes_with_days_sorted() {
        let s = validate(good()).unwrap();
        assert_eq!(s.open_days, vec![1, 2, 3, 4, 5]);
        assert_eq!(s.counters.len(), 2);
        assert_eq!(s.holidays.len(), 1);
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut r = good();
        r.closes_at = "07:00".into();
        r.time_zone = "Europe/Paris".into();
        r.service_types
            .push(("Buku".into(), "P".into(), "x".into()));
        r.counters[1].2 = vec!["konsultasi".into()];
        r.holidays.push("besok".into());
        r.lockers = 501;
        let AppError::Validation(v) = validate(r).unwrap_err() else {
            panic!("expected a validation error");
        };
        let fields: Vec<&str> = v.iter().map(|f| f.field.as_str()).collect();
        for f in [
            "closes_at",
            "time_zone",
            "service_types[1].code",
            "service_types[1].prefix",
            "service_types[1].name",
            "counters[1].service_types",
            "holidays[1]",
            "lockers",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
    }
}
