//! Finding the marks of a stamped copy in a PDF someone brings back: the signed entries
//! of the document information, and the id printed in the visible stamp (which survives
//! when the information was stripped or the file re-saved).

use super::object::Object;
use super::reader::{Indirect, Reader, Source};
use super::{Limits, PdfError};

/// The label before the id in the visible stamp of a download, and of a reading copy.
pub const DOWNLOAD_LABEL: &str = "ID unduhan: ";
pub const READ_LABEL: &str = "ID baca: ";

/// Marks found in a file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Found {
    pub code: Option<String>,
    pub kind: Option<String>,
    pub issued: Option<String>,
    pub signature: Option<String>,
    /// Ids printed in visible stamps, in the order found, without repeats.
    pub visible: Vec<String>,
}

/// Decodes a literal or hex string token to bytes.
pub fn string_value(raw: &[u8]) -> Vec<u8> {
    if raw.first() == Some(&b'<') {
        let hex: Vec<u8> = raw.iter().copied().filter(u8::is_ascii_hexdigit).collect();
        return hex
            .chunks(2)
            .map(|c| {
                let s = std::str::from_utf8(c).unwrap_or("0");
                u8::from_str_radix(&format!("{s:0<2}"), 16).unwrap_or(0)
            })
            .collect();
    }
    let inner = &raw[1..raw.len().saturating_sub(1).max(1)];
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        if inner[i] == b'\\' && i + 1 < inner.len() {
            i += 1;
            match inner[i] {
                b'n' => out.push(b'\n'),
                b'r' => out.push(b'\r'),
                b't' => out.push(b'\t'),
                b'0'..=b'7' => {
                    let mut v = 0u32;
                    let mut k = 0;
                    while k < 3 && i < inner.len() && (b'0'..=b'7').contains(&inner[i]) {
                        v = v * 8 + u32::from(inner[i] - b'0');
                        i += 1;
                        k += 1;
                    }
                    out.push(v as u8);
                    continue;
                }
                c => out.push(c),
            }
        } else {
            out.push(inner[i]);
        }
        i += 1;
    }
    out
}

/// Ids printed by the stamp: a label at the start of a literal string (`(ID unduhan: ..`)
/// whose parenthesis is not escaped, so text a user typed into their name (where
/// parentheses are always escaped) cannot pose as an id.
fn find_ids(data: &[u8], out: &mut Vec<String>) {
    for label in [DOWNLOAD_LABEL, READ_LABEL] {
        let l = format!("({label}").into_bytes();
        let mut from = 0;
        while let Some(p) = data[from..]
            .windows(l.len())
            .position(|w| w == l.as_slice())
        {
            let at = from + p;
            let start = at + l.len();
            if at > 0 && data[at - 1] == b'\\' {
                from = start;
                continue;
            }
            let id: String = data[start..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .take(16)
                .map(|&b| b as char)
                .collect();
            if id.len() >= 6 && !out.contains(&id) {
                out.push(id);
            }
            from = start;
        }
    }
}

/// Reads the marks of the PDF in `src`.
pub fn find_marks<S: Source + ?Sized>(src: &S, limits: Limits) -> Result<Found, PdfError> {
    let mut r = Reader::open(src, limits)?;
    let mut found = Found::default();
    if let Some(info) = r.trailer.get(b"Info").cloned()
        && let Some(d) = match (&info, r.resolve(&info)?) {
            (Object::Ref(at), o) => r.plain_strings(*at, o),
            (_, o) => o,
        }
        .as_dict()
    {
        let get = |k: &[u8]| match d.get(k) {
            Some(Object::Str(s)) => Some(String::from_utf8_lossy(&string_value(s)).into_owned()),
            _ => None,
        };
        found.code = get(b"PSTDownloadId");
        found.kind = get(b"PSTKind");
        found.issued = get(b"PSTIssued");
        found.signature = get(b"PSTMark");
    }
    // Newest first: the stamp is in the last update, so a copy is recognised after
    // decoding a stream or two, and a hostile file cannot make this read everything.
    let mut nums: Vec<(u64, u32)> = r
        .entries
        .iter()
        .filter_map(|(n, e)| match e {
            super::reader::Entry::InFile { offset, .. } => Some((*offset, *n)),
            super::reader::Entry::InStream { .. } => None,
        })
        .collect();
    nums.sort_unstable_by(|a, b| b.cmp(a));
    for (_, num) in nums {
        let Ok(Some(Indirect::Stream(info))) = r.get(super::object::Ref { num, gen_: 0 }) else {
            continue;
        };
        // Images and fonts are not where the stamp is.
        if matches!(
            info.dict.name(b"Subtype"),
            Some(b"Image") | Some(b"Type1C") | Some(b"CIDFontType0C")
        ) {
            continue;
        }
        if let Ok(data) = r.decode_stream(&info) {
            find_ids(&data, &mut found.visible);
            if !found.visible.is_empty() {
                break;
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_decode() {
        assert_eq!(string_value(b"(a\\(b\\)\\101)"), b"a(b)A".to_vec());
        assert_eq!(string_value(b"<414 2>"), b"AB".to_vec());
    }

    #[test]
    fn ids_are_found_only_where_the_stamp_prints_them() {
        let mut out = Vec::new();
        find_ids(
            b"(Diunduh oleh x ID unduhan: VICTIM99 \\(ID unduhan: VICTIM98\\)) (ID unduhan: AB12CD34 - x) (ID baca: ZZ99XX88)",
            &mut out,
        );
        assert_eq!(out, vec!["AB12CD34".to_string(), "ZZ99XX88".to_string()]);
    }
}
