//! Small validation helpers shared by the domain types of every service. Each returns an
//! Indonesian message fit for a field-level error.

use crate::error::FieldViolation;

/// Collects field violations so a request reports every bad field at once.
#[derive(Debug, Default)]
pub struct Violations(Vec<FieldViolation>);

impl Violations {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldViolation::new(field, message));
    }

    /// Records the error of `result` under `field` and gives back its value, if any.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(msg) => {
                self.add(field, msg);
                None
            }
        }
    }

    pub fn into_result(self) -> Result<(), crate::AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(crate::AppError::Validation(self.0))
        }
    }
}

/// Trims, then requires between `min` and `max` characters.
pub fn text(value: &str, min: usize, max: usize) -> Result<String, String> {
    let v = value.trim();
    let n = v.chars().count();
    if n < min {
        return Err(if min <= 1 {
            "Wajib diisi.".to_owned()
        } else {
            format!("Minimal {min} karakter.")
        });
    }
    if n > max {
        return Err(format!("Maksimal {max} karakter."));
    }
    if v.chars().any(|c| c.is_control()) {
        return Err("Mengandung karakter kontrol yang tidak diizinkan.".to_owned());
    }
    Ok(v.to_owned())
}

/// Optional text: empty is fine, otherwise at most `max` characters.
pub fn optional_text(value: &str, max: usize) -> Result<String, String> {
    if value.trim().is_empty() {
        Ok(String::new())
    } else {
        text(value, 0, max)
    }
}

/// A pragmatic e-mail check: one `@`, a non-empty local part, a dotted domain, no spaces.
/// Returned lower-cased, since we treat addresses case-insensitively.
pub fn email(value: &str) -> Result<String, String> {
    let v = value.trim();
    const MSG: &str = "Format alamat e-mail tidak valid (contoh: nama@domain.go.id).";
    if v.is_empty() {
        return Err("Alamat e-mail wajib diisi.".to_owned());
    }
    if v.len() > 254 {
        return Err("Alamat e-mail maksimal 254 karakter.".to_owned());
    }
    let Some((local, domain)) = v.split_once('@') else {
        return Err(MSG.to_owned());
    };
    let ok = !local.is_empty()
        && local.len() <= 64
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && v.chars().all(|c| c.is_ascii_graphic());
    if ok {
        Ok(v.to_ascii_lowercase())
    } else {
        Err(MSG.to_owned())
    }
}

/// A 4-digit BPS office code (e.g. 1674).
pub fn office_code(value: &str) -> Result<String, String> {
    let v = value.trim();
    if v.len() == 4 && v.bytes().all(|b| b.is_ascii_digit()) {
        Ok(v.to_owned())
    } else {
        Err("Kode satker harus 4 digit angka (contoh: 1674).".to_owned())
    }
}

/// An Indonesian phone number: optional leading +, 8 to 15 digits; spaces and dashes allowed.
pub fn phone(value: &str) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(String::new());
    }
    let digits: String = v.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let body = digits.strip_prefix('+').unwrap_or(&digits);
    if (8..=15).contains(&body.len()) && body.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err("Nomor telepon harus 8-15 digit (boleh diawali +).".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked_and_lowercased() {
        assert_eq!(email(" Budi@BPS.go.id ").as_deref(), Ok("budi@bps.go.id"));
        for bad in [
            "",
            "budi",
            "budi@",
            "@bps.go.id",
            "budi@bps",
            "bu di@bps.go.id",
            "a@b..id",
        ] {
            assert!(email(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn text_limits_count_characters_not_bytes() {
        assert!(text("Élan", 1, 4).is_ok());
        assert_eq!(text("   ", 1, 10), Err("Wajib diisi.".to_owned()));
        assert_eq!(text("abcdef", 1, 5), Err("Maksimal 5 karakter.".to_owned()));
    }

    #[test]
    fn office_codes_are_four_digits() {
        assert!(office_code("1674").is_ok());
        assert!(office_code("167").is_err());
        assert!(office_code("16a4").is_err());
    }

    #[test]
    fn phones_accept_common_indonesian_forms() {
        assert_eq!(phone("0812-3456-7890").as_deref(), Ok("081234567890"));
        assert!(phone("+62 812 3456 7890").is_ok());
        assert!(phone("12ab").is_err());
    }
}

/// A report period `from..=to` (YYYY-MM-DD, inclusive) of at most `max_days` days.
pub fn period(
    from: &str,
    to: &str,
    max_days: i64,
) -> Result<(chrono::NaiveDate, chrono::NaiveDate), crate::AppError> {
    let date = |field: &str, raw: &str| {
        chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
            .map_err(|_| crate::AppError::field(field, "Tanggal harus berformat YYYY-MM-DD."))
    };
    let (from, to) = (date("from", from)?, date("to", to)?);
    if to < from {
        return Err(crate::AppError::field(
            "to",
            "Tanggal akhir tidak boleh sebelum tanggal awal.",
        ));
    }
    if (to - from).num_days() >= max_days {
        return Err(crate::AppError::field(
            "to",
            format!("Rentang laporan maksimal {max_days} hari."),
        ));
    }
    Ok((from, to))
}

#[cfg(test)]
mod period_tests {
    use super::*;

    #[test]
    fn periods_are_ordered_dates_within_a_limit() {
        assert!(period("2026-01-01", "2026-12-31", 366).is_ok());
        let field = |r: Result<_, crate::AppError>| match r.unwrap_err() {
            crate::AppError::Validation(v) => v[0].field.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(field(period("kemarin", "2026-01-01", 366)), "from");
        assert_eq!(field(period("2026-02-01", "2026-01-01", 366)), "to");
        assert_eq!(
            field(period("2025-01-01", "2026-01-02", 366)),
            "to",
            "367 days"
        );
    }
}
