//! A guest-book (buku tamu) entry as the PST records it, validated field by field.

use pst_kit::AppError;
use pst_kit::validate::{self, Violations};

pub const SEXES: [&str; 2] = ["L", "P"];
pub const AGE_GROUPS: [&str; 6] = ["<20", "20-29", "30-39", "40-49", "50-59", "60+"];
pub const EDUCATION: [&str; 7] = ["SD", "SMP", "SMA", "D1-D3", "D4/S1", "S2", "S3"];
pub const INSTITUTION_TYPES: [&str; 7] = [
    "pemerintah",
    "swasta",
    "pendidikan",
    "bumn",
    "lembaga_internasional",
    "perorangan",
    "lainnya",
];

/// Raw fields, wire-independent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GuestBook {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub sex: String,
    pub age_group: String,
    pub education: String,
    pub occupation: String,
    pub institution_type: String,
    pub institution_name: String,
    pub purpose: String,
    pub data_needed: String,
}

fn one_of(value: &str, allowed: &[&str], what: &str) -> Result<String, String> {
    let v = value.trim();
    if allowed.contains(&v) {
        Ok(v.to_owned())
    } else {
        Err(format!(
            "{what} harus salah satu dari: {}.",
            allowed.join(", ")
        ))
    }
}

fn optional_one_of(value: &str, allowed: &[&str], what: &str) -> Result<String, String> {
    if value.trim().is_empty() {
        Ok(String::new())
    } else {
        one_of(value, allowed, what)
    }
}

impl GuestBook {
    /// Fills empty fields from `account` (the signed-in visitor's profile).
    pub fn prefill(mut self, account: &GuestBook) -> Self {
        for (mine, theirs) in [
            (&mut self.name, &account.name),
            (&mut self.email, &account.email),
            (&mut self.phone, &account.phone),
            (&mut self.occupation, &account.occupation),
            (&mut self.institution_name, &account.institution_name),
        ] {
            if mine.trim().is_empty() {
                mine.clone_from(theirs);
            }
        }
        self
    }

    /// Every field checked, all violations reported at once; returns the cleaned entry.
    pub fn validate(&self) -> Result<Self, AppError> {
        let mut v = Violations::new();
        let f = |name: &str| format!("guest_book.{name}");
        let out = Self {
            name: v
                .check(&f("name"), validate::text(&self.name, 2, 120))
                .unwrap_or_default(),
            email: v
                .check(
                    &f("email"),
                    if self.email.trim().is_empty() {
                        Ok(String::new())
                    } else {
                        validate::email(&self.email)
                    },
                )
                .unwrap_or_default(),
            phone: v
                .check(&f("phone"), validate::phone(&self.phone))
                .unwrap_or_default(),
            sex: v
                .check(&f("sex"), one_of(&self.sex, &SEXES, "Jenis kelamin"))
                .unwrap_or_default(),
            age_group: v
                .check(
                    &f("age_group"),
                    one_of(&self.age_group, &AGE_GROUPS, "Kelompok umur"),
                )
                .unwrap_or_default(),
            education: v
                .check(
                    &f("education"),
                    one_of(&self.education, &EDUCATION, "Pendidikan"),
                )
                .unwrap_or_default(),
            occupation: v
                .check(&f("occupation"), validate::text(&self.occupation, 2, 100))
                .unwrap_or_default(),
            institution_type: v
                .check(
                    &f("institution_type"),
                    optional_one_of(&self.institution_type, &INSTITUTION_TYPES, "Jenis instansi"),
                )
                .unwrap_or_default(),
            institution_name: v
                .check(
                    &f("institution_name"),
                    validate::optional_text(&self.institution_name, 200),
                )
                .unwrap_or_default(),
            purpose: v
                .check(&f("purpose"), validate::text(&self.purpose, 3, 500))
                .unwrap_or_default(),
            data_needed: v
                .check(
                    &f("data_needed"),
                    validate::optional_text(&self.data_needed, 1000),
                )
                .unwrap_or_default(),
        };
        v.into_result()?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> GuestBook {
        GuestBook {
            name: "Rina Marlina".into(),
            sex: "P".into(),
            age_group: "20-29".into(),
            education: "D4/S1".into(),
            occupation: "Mahasiswa".into(),
            purpose: "Mencari data kependudukan untuk skripsi".into(),
            ..GuestBook::default()
        }
    }

    #[test]
    fn a_complete_entry_validates() {
        assert!(entry().validate().is_ok());
    }

    #[test]
    fn every_bad_field_is_reported_with_its_path() {
        let bad = GuestBook {
            sex: "X".into(),
            age_group: "tua".into(),
            email: "bukan".into(),
            purpose: String::new(),
            ..entry()
        };
        let AppError::Validation(v) = bad.validate().unwrap_err() else {
            panic!("validation")
        };
        let fields: Vec<_> = v.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "guest_book.email",
                "guest_book.sex",
                "guest_book.age_group",
                "guest_book.purpose"
            ]
        );
    }

    #[test]
    fn prefill_fills_only_empty_fields() {
        let account = GuestBook {
            name: "Akun".into(),
            email: "akun@example.id".into(),
            occupation: "Dosen".into(),
            ..GuestBook::default()
        };
        let filled = GuestBook {
            name: String::new(),
            occupation: "Guru".into(),
            ..entry()
        }
        .prefill(&account);
        assert_eq!(filled.name, "Akun");
        assert_eq!(filled.email, "akun@example.id");
        assert_eq!(filled.occupation, "Guru");
    }
}
