//! ISBN (10 and 13), ISSN and BPS catalogue numbers, with their check digits.

/// Digits (and a final X where allowed) without hyphens or spaces.
fn compact(raw: &str) -> String {
    raw.chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .collect::<String>()
        .to_ascii_uppercase()
}

/// A valid ISBN-10 or ISBN-13, returned in compact form.
pub fn isbn(raw: &str) -> Result<String, String> {
    let v = compact(raw);
    let ok = match v.len() {
        13 if v.bytes().all(|b| b.is_ascii_digit()) => {
            let sum: u32 = v
                .bytes()
                .take(12)
                .enumerate()
                .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 })
                .sum();
            (10 - sum % 10) % 10 == u32::from(v.as_bytes()[12] - b'0')
        }
        10 if v.as_bytes()[..9].iter().all(u8::is_ascii_digit)
            && (v.as_bytes()[9].is_ascii_digit() || v.ends_with('X')) =>
        {
            let sum: u32 = v
                .bytes()
                .enumerate()
                .map(|(i, b)| (10 - i as u32) * if b == b'X' { 10 } else { u32::from(b - b'0') })
                .sum();
            sum.is_multiple_of(11)
        }
        _ => false,
    };
    if ok {
        Ok(v)
    } else {
        Err("ISBN tidak valid (periksa 10/13 digit dan digit pemeriksanya).".to_owned())
    }
}

/// A valid ISSN, returned as `NNNN-NNNC`.
pub fn issn(raw: &str) -> Result<String, String> {
    let v = compact(raw);
    let ok = v.len() == 8 && v.as_bytes()[..7].iter().all(u8::is_ascii_digit) && {
        let sum: u32 = v
            .bytes()
            .take(7)
            .enumerate()
            .map(|(i, b)| (8 - i as u32) * u32::from(b - b'0'))
            .sum();
        let check = (11 - sum % 11) % 11;
        let last = v.as_bytes()[7];
        (check == 10 && last == b'X') || (check < 10 && last == b'0' + check as u8)
    };
    if ok {
        Ok(format!("{}-{}", &v[..4], &v[4..]))
    } else {
        Err("ISSN tidak valid (8 karakter, digit pemeriksa salah).".to_owned())
    }
}

/// A BPS catalogue number: seven digits, a dot, the 4-digit office code (`1102001.1674`).
pub fn catalogue_number(raw: &str) -> Result<String, String> {
    let v = raw.trim();
    let ok = v.len() == 12
        && v.as_bytes()[7] == b'.'
        && v.as_bytes()[..7].iter().all(u8::is_ascii_digit)
        && v.as_bytes()[8..].iter().all(u8::is_ascii_digit);
    if ok {
        Ok(v.to_owned())
    } else {
        Err(
            "Nomor katalog harus berbentuk 7 digit, titik, kode satker (contoh 1102001.1674)."
                .to_owned(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Letters of several bytes where digits belong are refused, never sliced through
    /// (a schemathesis body with `Y=E¶\u{5}\u{af088}` as an ISBN panicked the service).
    #[test]
    fn wide_characters_are_refused_not_sliced() {
        for raw in [
            "Y=E¶\u{5}\u{af088}",
            "12345678¶",
            "1234567¶",
            "1102001.16¶",
            "¶¶¶¶¶¶",
        ] {
            assert!(isbn(raw).is_err(), "{raw}");
            assert!(issn(raw).is_err(), "{raw}");
            assert!(catalogue_number(raw).is_err(), "{raw}");
        }
        assert!(catalogue_number("110200¶.1674").is_err());
    }

    #[test]
    fn isbn_check_digits() {
        assert!(
            isbn("978-602-438-123-4").is_err(),
            "check digit 3 expected, not 4"
        );
        assert_eq!(isbn("978-0-306-40615-7").as_deref(), Ok("9780306406157"));
        assert!(isbn("978-0-306-40615-8").is_err());
        assert_eq!(isbn("0-306-40615-2").as_deref(), Ok("0306406152"));
        assert!(isbn("0-8044-2957-X").is_ok());
        assert!(isbn("12345").is_err());
    }

    #[test]
    fn issn_check_digits() {
        assert_eq!(issn("0317-8471").as_deref(), Ok("0317-8471"));
        assert_eq!(issn("2434561X").as_deref(), Ok("2434-561X"));
        assert!(issn("0317-8472").is_err());
        assert!(issn("abcd-efgh").is_err());
    }

    #[test]
    fn catalogue_numbers_end_with_the_office() {
        assert!(catalogue_number("1102001.1674").is_ok());
        assert!(catalogue_number("1102001-1674").is_err());
        assert!(catalogue_number("110200.1674").is_err());
    }
}
