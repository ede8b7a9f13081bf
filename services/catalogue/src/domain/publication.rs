//! A publication as librarians enter it, validated field by field.

use chrono::{Datelike, NaiveDate};
use pst_kit::AppError;
use pst_kit::validate::{self, Violations};

use super::{identifiers, subjects};

pub const LANGUAGES: [&str; 3] = ["id", "en", "id-en"];
pub const ACCESS_LEVELS: [&str; 3] = ["public", "registered", "staff"];
pub const MAX_ABSTRACT: usize = 10_000;

/// Raw fields (wire-independent).
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub office_code: String,
    pub title: String,
    pub subtitle: String,
    pub catalogue_number: String,
    pub publication_number: String,
    pub issn: String,
    pub isbn: String,
    pub release_date: String,
    pub year_from: u32,
    pub year_to: u32,
    pub subject: String,
    pub language: String,
    pub pages: u32,
    pub abstract_text: String,
    pub keywords: Vec<String>,
    pub cover_url: String,
    pub document_id: String,
    pub access_level: String,
}

/// A publication that passed every rule.
#[derive(Debug, Clone)]
pub struct Valid {
    pub office_code: String,
    pub title: String,
    pub subtitle: String,
    pub catalogue_number: String,
    pub publication_number: String,
    pub issn: String,
    pub isbn: String,
    pub release_date: Option<NaiveDate>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub subject: String,
    pub subject_group: String,
    pub language: String,
    pub pages: i32,
    pub abstract_text: String,
    pub keywords: Vec<String>,
    pub cover_url: String,
    pub document_id: Option<uuid::Uuid>,
    pub access_level: String,
}

fn optional(raw: &str, f: impl Fn(&str) -> Result<String, String>) -> Result<String, String> {
    if raw.trim().is_empty() {
        Ok(String::new())
    } else {
        f(raw)
    }
}

fn one_of(raw: &str, allowed: &[&str]) -> Result<String, String> {
    let v = raw.trim();
    if allowed.contains(&v) {
        Ok(v.to_owned())
    } else {
        Err(format!("Pilihan: {}.", allowed.join(", ")))
    }
}

/// Checks every field against the rules, reporting all violations at once. `today` bounds
/// the years (at most next year).
pub fn validate(i: &Input, today: NaiveDate) -> Result<Valid, AppError> {
    let mut v = Violations::new();
    let office = v.check("office_code", validate::office_code(&i.office_code));
    let title = v.check("title", validate::text(&i.title, 3, 300));
    let subtitle = v.check("subtitle", validate::optional_text(&i.subtitle, 300));
    let catalogue_number = v.check(
        "catalogue_number",
        optional(&i.catalogue_number, identifiers::catalogue_number),
    );
    let publication_number = v.check(
        "publication_number",
        validate::optional_text(&i.publication_number, 60),
    );
    let issn = v.check("issn", optional(&i.issn, identifiers::issn));
    let isbn = v.check("isbn", optional(&i.isbn, identifiers::isbn));
    let release_date = v.check(
        "release_date",
        if i.release_date.trim().is_empty() {
            Ok(None)
        } else {
            NaiveDate::parse_from_str(i.release_date.trim(), "%Y-%m-%d")
                .map(Some)
                .map_err(|_| "Tanggal rilis harus berformat YYYY-MM-DD.".to_owned())
        },
    );
    let max_year = today.year() + 1;
    let year = |y: u32| -> Result<Option<i32>, String> {
        match i32::try_from(y).unwrap_or(i32::MAX) {
            0 => Ok(None),
            y if (1900..=max_year).contains(&y) => Ok(Some(y)),
            _ => Err(format!("Tahun harus antara 1900 dan {max_year}.")),
        }
    };
    let year_from = v.check("year_from", year(i.year_from));
    let year_to = v.check("year_to", year(i.year_to));
    if let (Some(Some(a)), Some(Some(b))) = (year_from, year_to)
        && a > b
    {
        v.add("year_to", "Tahun akhir tidak boleh sebelum tahun awal.");
    }
    let subject = v.check(
        "subject",
        subjects::subject(&i.subject).map(|(g, _)| (i.subject.trim().to_owned(), g.to_owned())),
    );
    let language = v.check("language", one_of(&i.language, &LANGUAGES));
    let pages = v.check(
        "pages",
        if i.pages <= 20_000 {
            Ok(i32::try_from(i.pages).unwrap_or(0))
        } else {
            Err("Jumlah halaman terlalu besar.".to_owned())
        },
    );
    let abstract_text = v.check(
        "abstract",
        validate::optional_text(&i.abstract_text, MAX_ABSTRACT),
    );
    let keywords = v.check(
        "keywords",
        if i.keywords.len() > 30 {
            Err("Maksimal 30 kata kunci.".to_owned())
        } else {
            i.keywords
                .iter()
                .map(|k| validate::text(k, 2, 60))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("Kata kunci: {e}"))
        },
    );
    let cover_url = v.check(
        "cover_url",
        optional(&i.cover_url, |u| {
            let u = u.trim();
            if (u.starts_with("https://") || u.starts_with("http://"))
                && u.len() <= 500
                && !u.contains(char::is_whitespace)
            {
                Ok(u.to_owned())
            } else {
                Err("Alamat sampul harus URL http(s) tanpa spasi, maks. 500 karakter.".to_owned())
            }
        }),
    );
    let document_id = v.check(
        "document_id",
        if i.document_id.trim().is_empty() {
            Ok(None)
        } else {
            uuid::Uuid::parse_str(i.document_id.trim())
                .map(Some)
                .map_err(|_| "ID dokumen tidak valid.".to_owned())
        },
    );
    let access_level = v.check(
        "access_level",
        one_of(
            if i.access_level.trim().is_empty() {
                "public"
            } else {
                &i.access_level
            },
            &ACCESS_LEVELS,
        ),
    );
    v.into_result()?;
    let bug = || {
        AppError::internal(anyhow::anyhow!(
            "BUG: validation passed with a missing field"
        ))
    };
    let (subject, subject_group) = subject.ok_or_else(bug)?;
    Ok(Valid {
        office_code: office.ok_or_else(bug)?,
        title: title.ok_or_else(bug)?,
        subtitle: subtitle.ok_or_else(bug)?,
        catalogue_number: catalogue_number.ok_or_else(bug)?,
        publication_number: publication_number.ok_or_else(bug)?,
        issn: issn.ok_or_else(bug)?,
        isbn: isbn.ok_or_else(bug)?,
        release_date: release_date.ok_or_else(bug)?,
        year_from: year_from.ok_or_else(bug)?,
        year_to: year_to.ok_or_else(bug)?,
        subject,
        subject_group,
        language: language.ok_or_else(bug)?,
        pages: pages.ok_or_else(bug)?,
        abstract_text: abstract_text.ok_or_else(bug)?,
        keywords: keywords.ok_or_else(bug)?,
        cover_url: cover_url.ok_or_else(bug)?,
        document_id: document_id.ok_or_else(bug)?,
        access_level: access_level.ok_or_else(bug)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> Input {
        Input {
            office_code: "1674".into(),
            title: "Kota Lubuklinggau Dalam Angka 2024".into(),
            catalogue_number: "1102001.1674".into(),
            issn: "0317-8471".into(),
            year_from: 2023,
            year_to: 2023,
            subject: "kependudukan".into(),
            language: "id".into(),
            ..Input::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).expect("date")
    }

    #[test]
    fn a_publication_validates_and_gets_its_subject_group() {
        let v = validate(&input(), today()).expect("valid");
        assert_eq!(v.subject_group, "sosial");
        assert_eq!(v.access_level, "public");
    }

    #[test]
    fn bad_identifiers_years_and_sizes_are_reported_per_field() {
        let bad = Input {
            isbn: "978-0-306-40615-8".into(),
            subject: "astrologi".into(),
            year_to: 2030,
            abstract_text: "x".repeat(MAX_ABSTRACT + 1),
            ..input()
        };
        let AppError::Validation(list) = validate(&bad, today()).unwrap_err() else {
            panic!("validation")
        };
        let fields: Vec<_> = list.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(fields, ["isbn", "year_to", "subject", "abstract"]);
    }
}
