//! BPS subject groups and their subjects, by stable code (the catalogue validates against
//! them; the librarian's form lists them).

pub struct Group {
    pub code: &'static str,
    pub name: &'static str,
    pub subjects: &'static [(&'static str, &'static str)],
}

pub const GROUPS: [Group; 3] = [
    Group {
        code: "sosial",
        name: "Sosial dan Kependudukan",
        subjects: &[
            ("agama", "Agama"),
            ("gender", "Gender"),
            ("geografi", "Geografi"),
            ("kemiskinan", "Kemiskinan dan Ketimpangan"),
            ("kependudukan", "Kependudukan"),
            ("kesehatan", "Kesehatan"),
            ("konsumsi", "Konsumsi dan Pengeluaran"),
            ("pemerintahan", "Pemerintahan"),
            ("pendidikan", "Pendidikan"),
            ("perumahan", "Perumahan"),
            ("politik", "Politik dan Keamanan"),
            ("sosial_budaya", "Sosial Budaya"),
            ("tenaga_kerja", "Tenaga Kerja"),
        ],
    },
    Group {
        code: "ekonomi",
        name: "Ekonomi dan Perdagangan",
        subjects: &[
            ("energi", "Energi"),
            ("harga_produsen", "Harga Produsen"),
            ("industri", "Industri"),
            ("inflasi", "Inflasi"),
            ("keuangan", "Keuangan"),
            ("komunikasi", "Komunikasi"),
            ("konstruksi", "Konstruksi"),
            ("neraca_nasional", "Neraca Nasional"),
            ("pariwisata", "Pariwisata"),
            ("perdagangan", "Perdagangan"),
            ("transportasi", "Transportasi"),
            ("upah", "Upah"),
        ],
    },
    Group {
        code: "pertanian",
        name: "Pertanian dan Pertambangan",
        subjects: &[
            ("hortikultura", "Hortikultura"),
            ("kehutanan", "Kehutanan"),
            ("lingkungan_hidup", "Lingkungan Hidup"),
            ("perikanan", "Perikanan"),
            ("perkebunan", "Perkebunan"),
            ("pertambangan", "Pertambangan"),
            ("peternakan", "Peternakan"),
            ("tanaman_pangan", "Tanaman Pangan"),
        ],
    },
];

/// The group code and Indonesian name of a subject code, or a message listing the groups.
pub fn subject(code: &str) -> Result<(&'static str, &'static str), String> {
    GROUPS
        .iter()
        .find_map(|g| g.subjects.iter().find(|(c, _)| *c == code.trim()).map(|(_, name)| (g.code, *name)))
        .ok_or_else(|| "Subjek tidak dikenal; pilih salah satu subjek BPS (mis. kependudukan, inflasi, tanaman_pangan).".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_belong_to_one_group() {
        assert_eq!(subject("kependudukan"), Ok(("sosial", "Kependudukan")));
        assert_eq!(subject("inflasi").map(|s| s.0), Ok("ekonomi"));
        assert!(subject("astrologi").is_err());
        let mut all: Vec<_> = GROUPS
            .iter()
            .flat_map(|g| g.subjects.iter().map(|s| s.0))
            .collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n, "subject codes are unique");
    }
}
