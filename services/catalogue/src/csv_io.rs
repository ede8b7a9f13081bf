//! CSV import and export of publications. The columns (header row required, any order):
//! `office_code, title, subtitle, catalogue_number, publication_number, issn, isbn,
//! release_date, year_from, year_to, subject, language, pages, abstract, keywords,
//! access_level` — `keywords` separated by `;`. UTF-8 (a BOM is accepted); at most
//! `MAX_ROWS` rows.

use std::collections::HashMap;

use chrono::NaiveDate;
use pst_kit::AppError;

use crate::domain::publication::{self, Input, Valid};
use crate::store::PublicationRow;

pub use pst_kit::csv::PUBLICATION_COLUMNS as COLUMNS;
pub const MAX_ROWS: usize = 10_000;
const REQUIRED: [&str; 4] = ["office_code", "title", "subject", "language"];

/// (row, field, message) of a row that failed.
pub type RowError = (u32, String, String);

/// The rows that passed (with their numbers) and the errors of the others.
pub type Parsed = (Vec<(u32, Valid)>, Vec<RowError>);

/// Parses and validates every row; answers the valid rows (with their row numbers) and the
/// errors of the others. Errors in the file itself (encoding, columns, size) come as `Err`.
pub fn parse(bytes: &[u8], today: NaiveDate) -> Result<Parsed, AppError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        AppError::Validation(vec![pst_kit::FieldViolation::new(
            "csv",
            format!(
                "Berkas harus berenkode UTF-8 (byte tidak valid di posisi {}).",
                e.valid_up_to()
            ),
        )])
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| AppError::field("csv", format!("Baris judul kolom tidak terbaca: {e}")))?
        .iter()
        .map(str::to_owned)
        .collect();
    let unknown: Vec<&str> = headers
        .iter()
        .map(String::as_str)
        .filter(|h| !COLUMNS.contains(h))
        .collect();
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|r| !headers.iter().any(|h| h == r))
        .collect();
    if !unknown.is_empty() || !missing.is_empty() {
        return Err(AppError::field(
            "csv",
            format!(
                "Kolom tidak sesuai. Tidak dikenal: [{}]; wajib tetapi tidak ada: [{}]. Kolom yang dikenal: {}.",
                unknown.join(", "),
                missing.join(", "),
                COLUMNS.join(", ")
            ),
        ));
    }
    let mut valid = Vec::new();
    let mut errors = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if i >= MAX_ROWS {
            return Err(AppError::field(
                "csv",
                format!(
                    "Maksimal {MAX_ROWS} baris per impor; pecah berkas menjadi beberapa bagian."
                ),
            ));
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push((row, "csv".to_owned(), format!("Baris tidak terbaca: {e}")));
                continue;
            }
        };
        let cell: HashMap<&str, &str> = headers
            .iter()
            .map(String::as_str)
            .zip(record.iter())
            .collect();
        let get = |k: &str| cell.get(k).copied().unwrap_or_default().to_owned();
        let number = |k: &str, errors: &mut Vec<RowError>| -> u32 {
            let v = get(k);
            if v.is_empty() {
                return 0;
            }
            v.parse().unwrap_or_else(|_| {
                errors.push((row, k.to_owned(), "Harus bilangan bulat.".to_owned()));
                0
            })
        };
        let before = errors.len();
        let input = Input {
            office_code: get("office_code"),
            title: get("title"),
            subtitle: get("subtitle"),
            catalogue_number: get("catalogue_number"),
            publication_number: get("publication_number"),
            issn: get("issn"),
            isbn: get("isbn"),
            release_date: get("release_date"),
            year_from: number("year_from", &mut errors),
            year_to: number("year_to", &mut errors),
            subject: get("subject"),
            language: get("language"),
            pages: number("pages", &mut errors),
            abstract_text: get("abstract"),
            keywords: get("keywords")
                .split(';')
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_owned)
                .collect(),
            cover_url: String::new(),
            document_id: String::new(),
            access_level: get("access_level"),
        };
        match publication::validate(&input, today) {
            Ok(v) if errors.len() == before => valid.push((row, v)),
            Ok(_) => {}
            Err(AppError::Validation(list)) => {
                errors.extend(list.into_iter().map(|f| (row, f.field, f.message)))
            }
            Err(e) => return Err(e),
        }
    }
    Ok((valid, errors))
}

/// Publications as CSV with the import's columns (so an export can be re-imported).
pub fn export(rows: &[PublicationRow]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&COLUMNS.join(","));
    out.push_str("\r\n");
    for r in rows {
        let year = |y: Option<i32>| y.map(|y| y.to_string()).unwrap_or_default();
        let cells = [
            r.office_code.clone(),
            r.title.clone(),
            r.subtitle.clone(),
            r.catalogue_number.clone(),
            r.publication_number.clone(),
            r.issn.clone(),
            r.isbn.clone(),
            r.release_date.map(|d| d.to_string()).unwrap_or_default(),
            year(r.year_from),
            year(r.year_to),
            r.subject.clone(),
            r.language.clone(),
            r.pages.to_string(),
            r.abstract_text.clone(),
            r.keywords.join(";"),
            r.access_level.clone(),
        ];
        out.push_str(
            &cells
                .iter()
                .map(|c| pst_kit::csv::field(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).expect("date")
    }

    #[test]
    fn rows_are_checked_one_by_one_with_their_numbers() {
        let csv = "office_code,title,subject,language,year_to,isbn\n\
                   1674,Kota Lubuklinggau Dalam Angka 2024,kependudukan,id,2023,\n\
                   1674,X,astrologi,id,dua ribu,978-0-306-40615-8\n";
        let (valid, errors) = parse(csv.as_bytes(), today()).expect("file ok");
        assert_eq!(valid.len(), 1);
        let fields: Vec<_> = errors.iter().map(|e| (e.0, e.1.as_str())).collect();
        assert_eq!(
            fields,
            [(2, "year_to"), (2, "title"), (2, "isbn"), (2, "subject")]
        );
    }

    #[test]
    fn wrong_columns_and_bad_encoding_are_refused_whole() {
        assert!(parse(b"judul,subjek\nA,B\n", today()).is_err());
        assert!(parse(&[0x74, 0x69, 0xff, 0xfe], today()).is_err());
    }

    #[test]
    fn an_export_reimports() {
        let csv = "office_code,title,subject,language,keywords\n1674,\"Statistik, Daerah 2024\",kependudukan,id,statistik;daerah\n";
        let (valid, errors) = parse(csv.as_bytes(), today()).expect("ok");
        assert!(errors.is_empty());
        assert_eq!(valid[0].1.keywords, ["statistik", "daerah"]);
        assert_eq!(valid[0].1.title, "Statistik, Daerah 2024");
    }
}
