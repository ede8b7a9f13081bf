//! The guest book's fields as forms show them (kiosk and console), and back.

use crate::routes::visit::GuestBookFields;
use crate::web::forms::Values;
use crate::web::pages::field;

/// One field of a kiosk form: text, long text, or a choice.
pub(in crate::web::pages) struct FieldSpec {
    pub(in crate::web::pages) name: &'static str,
    pub(in crate::web::pages) label: &'static str,
    pub(in crate::web::pages) long: bool,
    pub(in crate::web::pages) choices: Vec<(&'static str, &'static str)>,
}

pub(super) const fn text(name: &'static str, label: &'static str) -> FieldSpec {
    FieldSpec {
        name,
        label,
        long: false,
        choices: Vec::new(),
    }
}

pub(super) fn long(name: &'static str, label: &'static str) -> FieldSpec {
    FieldSpec {
        long: true,
        ..text(name, label)
    }
}

pub(super) fn choice(
    name: &'static str,
    label: &'static str,
    choices: &[(&'static str, &'static str)],
) -> FieldSpec {
    FieldSpec {
        choices: choices.to_vec(),
        ..text(name, label)
    }
}

/// The guest book's fields, with the service's vocabularies.
pub(in crate::web::pages) fn guest_book_fields() -> Vec<FieldSpec> {
    vec![
        text("name", "Nama lengkap"),
        text("phone", "Nomor telepon (boleh kosong)"),
        text("email", "E-mail (boleh kosong)"),
        choice(
            "sex",
            "Jenis kelamin",
            &[("L", "Laki-laki"), ("P", "Perempuan")],
        ),
        choice(
            "age_group",
            "Kelompok umur",
            &[
                ("<20", "< 20 tahun"),
                ("20-29", "20-29 tahun"),
                ("30-39", "30-39 tahun"),
                ("40-49", "40-49 tahun"),
                ("50-59", "50-59 tahun"),
                ("60+", "60 tahun ke atas"),
            ],
        ),
        choice(
            "education",
            "Pendidikan terakhir",
            &[
                ("SD", "SD"),
                ("SMP", "SMP"),
                ("SMA", "SMA/SMK"),
                ("D1-D3", "D1-D3"),
                ("D4/S1", "D4/S1"),
                ("S2", "S2"),
                ("S3", "S3"),
            ],
        ),
        text("occupation", "Pekerjaan"),
        choice(
            "institution_type",
            "Jenis instansi",
            &[
                ("pemerintah", "Pemerintah"),
                ("swasta", "Swasta"),
                ("pendidikan", "Pendidikan"),
                ("bumn", "BUMN/BUMD"),
                ("lainnya", "Lainnya"),
            ],
        ),
        text("institution_name", "Nama instansi"),
        long("purpose", "Keperluan kunjungan"),
        long("data_needed", "Data yang dicari (boleh kosong)"),
    ]
}

/// Guest-book fields from a form, only those filled in.
pub(in crate::web::pages) fn guest_book_of(v: &Values) -> GuestBookFields {
    let f = |name: &str, max: usize| Some(field(v.get(name), max)).filter(|x| !x.is_empty());
    GuestBookFields {
        name: f("name", 120),
        email: f("email", 254),
        phone: f("phone", 30),
        sex: f("sex", 2),
        age_group: f("age_group", 8),
        education: f("education", 8),
        occupation: f("occupation", 100),
        institution_type: f("institution_type", 20),
        institution_name: f("institution_name", 200),
        purpose: f("purpose", 1000),
        data_needed: f("data_needed", 1000),
    }
}
