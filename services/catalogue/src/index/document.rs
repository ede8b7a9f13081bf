//! A publication as the search index holds it: Postgres' own lexemes of the `search`
//! column (so stemming and stop words are the database's), split by weight into the
//! title (A), subtitle and keywords (B) and abstract (C) fields, and the filter and facet
//! values as numbers.

use tantivy::TantivyDocument;
use uuid::Uuid;

use super::Fields;

/// What the index needs of a publication (see `store::INDEX_COLUMNS`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IndexRow {
    pub id: Uuid,
    pub search: String,
    pub office: String,
    pub subject: String,
    pub language: String,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub access_level: String,
    pub has_printed: bool,
    pub digital: bool,
    pub withdrawn: bool,
}

/// Access levels as numbers (the index keeps numbers).
pub const ACCESS: [&str; 3] = ["public", "registered", "staff"];
/// A publication with no end year sorts as year 0 and is in every "from" range.
pub const OPEN_END: u64 = 9_999;

/// What a match is filtered and counted by, packed in one number: access level (2 bits),
/// withdrawn, softcopy, printed (1 each), language (2), subject (16), office (14) and
/// year (14; the end year, 0 when none).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Packed {
    pub access: u64,
    pub withdrawn: bool,
    pub digital: bool,
    pub printed: bool,
    pub language: u64,
    pub subject: u64,
    pub office: u64,
    pub year: u64,
}

const SUBJECT_BITS: u64 = 0xFFFF;
const CODE_BITS: u64 = 0x3FFF;

impl Packed {
    pub fn pack(self) -> u64 {
        (self.access & 3)
            | (u64::from(self.withdrawn) << 2)
            | (u64::from(self.digital) << 3)
            | (u64::from(self.printed) << 4)
            | ((self.language & 3) << 5)
            | ((self.subject & SUBJECT_BITS) << 8)
            | ((self.office.min(CODE_BITS)) << 24)
            | ((self.year.min(CODE_BITS)) << 38)
    }

    pub fn unpack(n: u64) -> Self {
        Self {
            access: n & 3,
            withdrawn: n & (1 << 2) != 0,
            digital: n & (1 << 3) != 0,
            printed: n & (1 << 4) != 0,
            language: (n >> 5) & 3,
            subject: (n >> 8) & SUBJECT_BITS,
            office: (n >> 24) & CODE_BITS,
            year: (n >> 38) & CODE_BITS,
        }
    }
}

/// The uuid as two numbers whose order is the uuid's.
pub fn id_parts(id: Uuid) -> (u64, u64) {
    let n = id.as_u128();
    ((n >> 64) as u64, n as u64)
}

pub fn id_of(hi: u64, lo: u64) -> Uuid {
    Uuid::from_u128((u128::from(hi) << 64) | u128::from(lo))
}

pub fn office_number(code: &str) -> u64 {
    code.trim().parse().unwrap_or(0)
}

pub fn language_number(language: &str) -> u64 {
    crate::domain::publication::LANGUAGES
        .iter()
        .position(|l| *l == language)
        .unwrap_or(0) as u64
}

pub(super) fn document(f: &Fields, r: &IndexRow, subject: u64) -> TantivyDocument {
    let mut d = TantivyDocument::new();
    d.add_text(f.id, r.id.to_string());
    let (hi, lo) = id_parts(r.id);
    d.add_u64(f.id_hi, hi);
    d.add_u64(f.id_lo, lo);
    let bucket = lo % super::BUCKETS;
    d.add_u64(f.bucket, bucket);
    let mut sample = 1;
    while sample <= super::BUCKETS {
        if bucket < sample {
            d.add_u64(f.sample, sample);
        }
        sample *= 2;
    }
    let [a, b, c] = weighted_terms(&r.search);
    let mut all: Vec<&str> = a
        .split(' ')
        .chain(b.split(' '))
        .chain(c.split(' '))
        .collect();
    all.sort_unstable();
    all.dedup();
    d.add_text(f.t, all.join(" "));
    d.add_text(f.a, a);
    d.add_text(f.b, b);
    d.add_text(f.c, c);
    let office = office_number(&r.office);
    let language = language_number(&r.language);
    let year = |y: Option<i32>| y.and_then(|y| u64::try_from(y).ok());
    d.add_u64(f.office, office);
    d.add_u64(f.subject, subject);
    d.add_u64(f.language, language);
    d.add_u64(
        f.packed,
        Packed {
            access: ACCESS
                .iter()
                .position(|l| *l == r.access_level)
                .unwrap_or(2) as u64,
            withdrawn: r.withdrawn,
            digital: r.digital,
            printed: r.has_printed,
            language,
            subject,
            office,
            year: year(r.year_to).unwrap_or(0),
        }
        .pack(),
    );
    d.add_u64(f.year_from, year(r.year_from).unwrap_or(0));
    d.add_u64(f.year_to, year(r.year_to).unwrap_or(OPEN_END));
    d
}

/// A tsvector's text (`'lexeme':1A,2 'other':3C`) as three space-separated token texts,
/// one per field (A; B; C and D), each lexeme repeated once per position it holds, so the
/// index counts what Postgres counted.
pub fn weighted_terms(tsvector: &str) -> [String; 3] {
    let mut out: [String; 3] = Default::default();
    let mut chars = tsvector.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut lexeme = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => lexeme.extend(chars.next()),
                '\'' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    lexeme.push('\'');
                }
                '\'' => break,
                c => lexeme.push(c),
            }
        }
        // The lexeme's own spaces (none from Postgres' parser) would split it: dropped.
        let lexeme: String = lexeme.split_whitespace().collect();
        if lexeme.is_empty() {
            continue;
        }
        let mut counts = [0usize; 3];
        if chars.peek() == Some(&':') {
            chars.next();
            // Positions such as `1A,5,7C`: a weight letter or none (D) after each.
            while let Some(&c) = chars.peek() {
                if c == ' ' {
                    break;
                }
                chars.next();
                match c {
                    ',' => {}
                    'A' => counts[0] += 1,
                    'B' => counts[1] += 1,
                    'C' | 'D' => counts[2] += 1,
                    // A position with no weight letter is D.
                    _ if c.is_ascii_digit()
                        && !chars
                            .peek()
                            .is_some_and(|n| n.is_ascii_digit() || n.is_ascii_uppercase()) =>
                    {
                        counts[2] += 1;
                    }
                    _ => {}
                }
            }
        } else {
            counts[2] = 1;
        }
        for (text, n) in out.iter_mut().zip(counts) {
            for _ in 0..n {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(&lexeme);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_position_counts_in_its_weight_field() {
        let [a, b, c] = weighted_terms("'2021':9 'it''s':2A 'miskin':1A,5C,7 'a\\\\b':4B 'x'");
        assert_eq!(a, "it's miskin");
        assert_eq!(b, "a\\b");
        assert_eq!(c, "2021 miskin miskin x");
        assert_eq!(
            weighted_terms(""),
            [String::new(), String::new(), String::new()]
        );
    }

    #[test]
    fn ids_keep_their_order_as_numbers() {
        let a = Uuid::parse_str("0190aaaa-0000-7000-8000-000000000001").expect("uuid");
        let b = Uuid::parse_str("0190aaaa-0000-7000-8000-000000000002").expect("uuid");
        let (ah, al) = id_parts(a);
        let (bh, bl) = id_parts(b);
        assert!((ah, al) < (bh, bl));
        assert_eq!(id_of(ah, al), a);
        assert_eq!(office_number("1674"), 1674);
        assert_eq!(language_number("id-en"), 2);
    }

    #[test]
    fn packed_values_come_back_whole() {
        let p = Packed {
            access: 2,
            withdrawn: true,
            digital: false,
            printed: true,
            language: 2,
            subject: 40_000,
            office: 9_471,
            year: 2_025,
        };
        assert_eq!(Packed::unpack(p.pack()), p);
        assert_eq!(Packed::unpack(Packed::default().pack()), Packed::default());
    }
}
