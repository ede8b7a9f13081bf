//! The publication form of the librarian: every BPS field as typed, what the entry holds
//! now, and only the fields that changed, so a save sends no more than the librarian did.

use serde::Deserialize;

use crate::routes::catalogue::{PublicationFields, PublicationView};
use crate::web::pages::field;

/// Every field as text (a bad number stays on the form with its message).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct PubForm {
    pub title: String,
    pub subtitle: String,
    pub catalogue_number: String,
    pub publication_number: String,
    pub issn: String,
    pub isbn: String,
    pub release_date: String,
    pub year_from: String,
    pub year_to: String,
    pub subject: String,
    pub language: String,
    pub pages: String,
    #[serde(rename = "abstract")]
    pub abstract_text: String,
    pub keywords: String,
    pub cover_url: String,
    pub access_level: String,
    /// The entry's `updated_at` when the form was drawn.
    pub versi: String,
    pub sekali: String,
}

fn num(v: u32) -> String {
    if v == 0 { String::new() } else { v.to_string() }
}

impl PubForm {
    pub(super) fn blank() -> Self {
        Self {
            language: "id".into(),
            access_level: "public".into(),
            ..Self::default()
        }
    }

    pub(super) fn of(p: &PublicationView) -> Self {
        let f = &p.fields;
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        Self {
            title: s(&f.title),
            subtitle: s(&f.subtitle),
            catalogue_number: s(&f.catalogue_number),
            publication_number: s(&f.publication_number),
            issn: s(&f.issn),
            isbn: s(&f.isbn),
            release_date: s(&f.release_date),
            year_from: num(f.year_from.unwrap_or(0)),
            year_to: num(f.year_to.unwrap_or(0)),
            subject: s(&f.subject),
            language: s(&f.language),
            pages: num(f.pages.unwrap_or(0)),
            abstract_text: s(&f.abstract_text),
            keywords: f.keywords.clone().unwrap_or_default().join(", "),
            cover_url: s(&f.cover_url),
            access_level: s(&f.access_level),
            versi: p.updated_at.clone(),
            sekali: String::new(),
        }
    }

    /// The fields as the API takes them; a number that is not one is an error by name.
    pub(super) fn fields(
        &self,
        office: &str,
    ) -> Result<PublicationFields, Vec<(&'static str, String)>> {
        let mut bad = Vec::new();
        let mut n = |name: &'static str, v: &str| -> u32 {
            let v = v.trim();
            if v.is_empty() {
                return 0;
            }
            v.parse().unwrap_or_else(|_| {
                bad.push((name, "Isi dengan angka.".to_owned()));
                0
            })
        };
        let (year_from, year_to, pages) = (
            n("year_from", &self.year_from),
            n("year_to", &self.year_to),
            n("pages", &self.pages),
        );
        if !bad.is_empty() {
            return Err(bad);
        }
        Ok(PublicationFields {
            office_code: Some(office.to_owned()),
            title: Some(field(&self.title, 500)),
            subtitle: Some(field(&self.subtitle, 500)),
            catalogue_number: Some(field(&self.catalogue_number, 40)),
            publication_number: Some(field(&self.publication_number, 80)),
            issn: Some(field(&self.issn, 20)),
            isbn: Some(field(&self.isbn, 20)),
            release_date: Some(field(&self.release_date, 10)),
            year_from: Some(year_from),
            year_to: Some(year_to),
            subject: Some(field(&self.subject, 40)),
            language: Some(field(&self.language, 8)),
            pages: Some(pages),
            abstract_text: Some(field(&self.abstract_text, 10_000)),
            keywords: Some(
                self.keywords
                    .split(',')
                    .map(|k| field(k, 60))
                    .filter(|k| !k.is_empty())
                    .take(30)
                    .collect(),
            ),
            cover_url: Some(field(&self.cover_url, 500)),
            document_id: None,
            access_level: Some(field(&self.access_level, 16)),
        })
    }
}

/// Only the fields of `new` that differ from `now` (None where equal).
pub(super) fn changed_only(new: PublicationFields, now: &PublicationFields) -> PublicationFields {
    fn keep<T: PartialEq>(new: Option<T>, now: &Option<T>) -> Option<T> {
        new.filter(|v| Some(v) != now.as_ref())
    }
    PublicationFields {
        office_code: None,
        title: keep(new.title, &now.title),
        subtitle: keep(new.subtitle, &now.subtitle),
        catalogue_number: keep(new.catalogue_number, &now.catalogue_number),
        publication_number: keep(new.publication_number, &now.publication_number),
        issn: keep(new.issn, &now.issn),
        isbn: keep(new.isbn, &now.isbn),
        release_date: keep(new.release_date, &now.release_date),
        year_from: keep(new.year_from, &now.year_from),
        year_to: keep(new.year_to, &now.year_to),
        subject: keep(new.subject, &now.subject),
        language: keep(new.language, &now.language),
        pages: keep(new.pages, &now.pages),
        abstract_text: keep(new.abstract_text, &now.abstract_text),
        keywords: keep(new.keywords, &now.keywords),
        cover_url: keep(new.cover_url, &now.cover_url),
        document_id: None,
        access_level: keep(new.access_level, &now.access_level),
    }
}

/// Does the patch change anything?
pub(super) fn is_empty(p: &PublicationFields) -> bool {
    let none = [
        p.title.is_none(),
        p.subtitle.is_none(),
        p.catalogue_number.is_none(),
        p.publication_number.is_none(),
        p.issn.is_none(),
        p.isbn.is_none(),
        p.release_date.is_none(),
        p.year_from.is_none(),
        p.year_to.is_none(),
        p.subject.is_none(),
        p.language.is_none(),
        p.pages.is_none(),
        p.abstract_text.is_none(),
        p.keywords.is_none(),
        p.cover_url.is_none(),
        p.access_level.is_none(),
    ];
    none.iter().all(|n| *n)
}

/// The BPS subjects as (code, name), grouped names first.
pub(super) fn subjects() -> Vec<(&'static str, String)> {
    pst_kit::subjects::GROUPS
        .iter()
        .flat_map(|g| {
            g.subjects
                .iter()
                .map(move |(c, n)| (*c, format!("{} — {n}", g.name)))
        })
        .collect()
}

pub(super) const LANGUAGES: [(&str, &str); 3] = [
    ("id", "Indonesia"),
    ("en", "Inggris"),
    ("id-en", "Indonesia dan Inggris"),
];

pub(super) const ACCESS: [(&str, &str); 3] = [
    ("public", "Umum (semua orang)"),
    ("registered", "Pengguna terdaftar"),
    ("staff", "Petugas satker ini saja"),
];

/// A field's name in words, for error tables and history.
pub(super) fn label(name: &str) -> &'static str {
    match name {
        "title" => "Judul",
        "subtitle" => "Subjudul",
        "catalogue_number" => "Nomor katalog",
        "publication_number" => "Nomor publikasi",
        "issn" => "ISSN",
        "isbn" => "ISBN",
        "release_date" => "Tanggal rilis",
        "year_from" => "Tahun data awal",
        "year_to" => "Tahun data akhir",
        "subject" => "Subjek",
        "language" => "Bahasa",
        "pages" => "Jumlah halaman",
        "abstract" => "Abstrak",
        "keywords" => "Kata kunci",
        "cover_url" => "Sampul (URL)",
        "document_id" => "Softcopy",
        "access_level" => "Akses",
        "office_code" => "Satker",
        "has_printed" => "Tersedia cetak",
        "withdrawn_reason" => "Alasan penarikan",
        "csv" => "Berkas CSV",
        _ => "Isian lain",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_fields_are_sent() {
        let now = PubForm {
            title: "Statistik Daerah".into(),
            pages: "120".into(),
            keywords: "a, b".into(),
            language: "id".into(),
            access_level: "public".into(),
            ..PubForm::default()
        };
        let now_f = now.fields("1674").unwrap();
        let mut edited = now.clone();
        edited.title = "Statistik Daerah 2026".into();
        let patch = changed_only(edited.fields("1674").unwrap(), &now_f);
        assert_eq!(patch.title.as_deref(), Some("Statistik Daerah 2026"));
        assert!(patch.pages.is_none() && patch.keywords.is_none() && patch.office_code.is_none());
        assert!(is_empty(&changed_only(now_f.clone(), &now_f)));
    }

    #[test]
    fn numbers_that_are_not_are_named() {
        let f = PubForm {
            pages: "seratus".into(),
            ..PubForm::blank()
        };
        let bad = f.fields("1674").unwrap_err();
        assert_eq!(bad[0].0, "pages");
    }
}
