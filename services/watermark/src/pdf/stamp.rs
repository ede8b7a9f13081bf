//! The per-copy part of a stamped PDF. A copy is, in this order:
//!
//! 1. the base (see [`super::base`]), stored once: the upload without catalogue or pages;
//! 2. this copy's head: the stamp form (visible text and QR code) and the document
//!    information with the signed mark;
//! 3. the plan's stored objects, the same for every copy: the wrapped pages, which draw
//!    the stamp form, the page tree and, last, the catalogue;
//! 4. this copy's cross-reference table and trailer (`/Root`, `/Prev` to the base's).
//!
//! So any prefix of a copy that holds a catalogue holds every page and the stamp form
//! they draw, and a prefix without it (the base, or a cut anywhere before the end of the
//! catalogue) is no document at all.

use std::fmt::Write as _;

use super::analyze::{stream_body, write_obj};
use super::object::{Ref, literal};
use super::reader::hex_string;

/// Resource name of the stamp form on every page.
pub const FORM_NAME: &str = "PSTwm";

/// The plan layout this code writes. Plans stored by an older layout (a copy was the
/// original followed by an update) are made again from the stored upload.
pub const LAYOUT: u32 = 2;

/// How to stamp one stored document; made once at upload, kept with the document.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Plan {
    /// [`LAYOUT`] when made by this code; 0 for a plan of the first layout.
    #[serde(default)]
    pub layout: u32,
    /// Length of the base: where the per-copy part starts.
    #[serde(default)]
    pub base_len: u64,
    /// The base's `startxref`: the per-copy section's `/Prev`.
    pub prev: u64,
    pub root: (u32, u16),
    /// The trailer's `/ID` as written, carried into the update's trailer.
    pub id: Option<Vec<u8>>,
    /// The original document-information entries, kept in the new information dictionary
    /// (strings encrypted for it when the file is encrypted).
    pub info_entries: Vec<u8>,
    /// Present when the file is encrypted (with an owner password only).
    #[serde(default)]
    pub security: Option<Security>,
    pub pages: u32,
    pub font: u32,
    pub form: u32,
    pub info: u32,
    /// First unused object number after the stored objects.
    pub size: u32,
    /// Stored objects: (number, generation, offset from the start of the stored bytes).
    pub objects: Vec<(u32, u16, u64)>,
    pub static_len: u64,
}

/// How an encrypted file's update is written: its key, and the trailer's `/Encrypt`
/// entry as written, repeated in the update's trailer.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Security {
    pub crypt: super::crypt::Crypt,
    pub encrypt: Vec<u8>,
}

impl Plan {
    /// `data`, a string or stream of object `num`, as the file needs it.
    fn seal(&self, num: u32, data: &[u8]) -> Vec<u8> {
        super::crypt::seal(
            self.security.as_ref().map(|s| &s.crypt),
            Ref { num, gen_: 0 },
            data,
        )
    }
}

/// What one copy carries.
#[derive(Debug, Clone)]
pub struct Mark {
    /// Visible lines, bottom margin of every page (Latin-1 is kept, other characters
    /// become their closest ASCII or `?`).
    pub lines: Vec<String>,
    /// Encoded in the QR code (the verification URL).
    pub qr: String,
    /// Machine-readable entries of the document information.
    pub code: String,
    pub kind: String,
    pub issued: String,
    pub signature: String,
}

/// What is written for one copy: the head before the stored objects and the
/// cross-reference section after them.
#[derive(Debug, Clone)]
pub struct PerCopy {
    pub head: Vec<u8>,
    pub xref: Vec<u8>,
}

impl Plan {
    /// Total length of a stamped copy with this per-copy part.
    pub fn total_len(&self, c: &PerCopy) -> u64 {
        self.base_len + c.head.len() as u64 + self.static_len + c.xref.len() as u64
    }
}

/// A whole copy in memory (tests, tools): `base`, the head, `stored`, the xref.
pub fn assemble(base: &[u8], plan: &Plan, stored: &[u8], mark: &Mark) -> Vec<u8> {
    let c = per_copy(plan, mark);
    let mut out = Vec::with_capacity(plan.total_len(&c) as usize);
    out.extend_from_slice(base);
    out.extend_from_slice(&c.head);
    out.extend_from_slice(stored);
    out.extend_from_slice(&c.xref);
    out
}

/// Text as WinAnsi bytes for the standard Helvetica font.
pub fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '–' | '—' => b'-',
            '‘' | '’' => b'\'',
            '“' | '”' => b'"',
            _ => b'?',
        })
        .collect()
}

fn qr_ops(payload: &str, size: f64) -> String {
    let Ok(code) = qrcode::QrCode::with_error_correction_level(payload, qrcode::EcLevel::L) else {
        return String::new();
    };
    let w = code.width();
    let colors = code.to_colors();
    let m = size / w as f64;
    let mut ops = String::from("0 0 0 rg\n");
    for row in 0..w {
        let y = size - (row as f64 + 1.0) * m;
        let mut col = 0;
        while col < w {
            if colors[row * w + col] == qrcode::Color::Dark {
                let start = col;
                while col < w && colors[row * w + col] == qrcode::Color::Dark {
                    col += 1;
                }
                let _ = writeln!(
                    ops,
                    "{:.3} {:.3} {:.3} {:.3} re",
                    start as f64 * m,
                    y,
                    (col - start) as f64 * m,
                    m
                );
            } else {
                col += 1;
            }
        }
    }
    ops.push_str("f\n");
    ops
}

/// This copy's part: the head (stamp form, document information) written after the base,
/// and the cross-reference section written after the plan's stored objects.
pub fn per_copy(plan: &Plan, mark: &Mark) -> PerCopy {
    let mut offsets: Vec<(u32, u16, u64)> = Vec::new();

    // The stamp form: QR code on the left, text lines beside it, small and grey, in the
    // bottom margin so tables stay readable.
    const QR: f64 = 30.0;
    let mut content = String::from("q\n");
    content.push_str(&qr_ops(&mark.qr, QR));
    let mut data = content.into_bytes();
    data.extend_from_slice(b"0.25 0.25 0.25 rg\nBT\n/F1 5.5 Tf\n6.5 TL\n");
    data.extend_from_slice(format!("{:.1} {:.1} Td\n", QR + 5.0, QR - 6.0).as_bytes());
    for (i, line) in mark.lines.iter().enumerate() {
        if i > 0 {
            data.extend_from_slice(b"T*\n");
        }
        data.extend_from_slice(&literal(&win_ansi(line)));
        data.extend_from_slice(b" Tj\n");
    }
    data.extend_from_slice(b"ET\nQ\n");
    let form_dict = format!(
        "/Type/XObject/Subtype/Form/BBox[0 0 800 {QR}]/Resources<</Font<</F1 {} 0 R>>>>",
        plan.font
    );
    let mut local = Vec::new();
    write_obj(
        &mut local,
        &mut offsets,
        Ref {
            num: plan.form,
            gen_: 0,
        },
        &stream_body(&form_dict, &plan.seal(plan.form, &data)),
    );

    let mut info = b"<<".to_vec();
    info.extend_from_slice(&plan.info_entries);
    for (k, v) in [
        ("PSTDownloadId", &mark.code),
        ("PSTKind", &mark.kind),
        ("PSTIssued", &mark.issued),
        ("PSTMark", &mark.signature),
    ] {
        info.extend_from_slice(format!("/{k} ").as_bytes());
        // The original entries were sealed at analysis; these are this copy's.
        match &plan.security {
            Some(_) => info.extend_from_slice(&hex_string(&plan.seal(plan.info, v.as_bytes()))),
            None => info.extend_from_slice(&literal(v.as_bytes())),
        }
    }
    info.extend_from_slice(b">>");
    write_obj(
        &mut local,
        &mut offsets,
        Ref {
            num: plan.info,
            gen_: 0,
        },
        &info,
    );
    let head = local;
    let stored_at = plan.base_len + head.len() as u64;
    let mut entries: Vec<(u32, u16, u64)> = offsets
        .iter()
        .map(|&(n, g, off)| (n, g, plan.base_len + off))
        .chain(
            plan.objects
                .iter()
                .map(|&(n, g, off)| (n, g, stored_at + off)),
        )
        .collect();
    let xref_at = stored_at + plan.static_len;
    let mut out = Vec::with_capacity(64 + entries.len() * 20);
    let mut trailer = format!(
        "/Root {} {} R/Info {} 0 R/Prev {}",
        plan.root.0, plan.root.1, plan.info, plan.prev
    )
    .into_bytes();
    if let Some(id) = &plan.id {
        trailer.extend_from_slice(b"/ID ");
        trailer.extend_from_slice(id);
    }
    if let Some(s) = &plan.security {
        trailer.extend_from_slice(b"/Encrypt ");
        trailer.extend_from_slice(&s.encrypt);
    }

    // Always a table: the base's section is one too.
    entries.sort_by_key(|e| e.0);
    out.extend_from_slice(b"xref\n");
    for run in runs(&entries) {
        out.extend_from_slice(format!("{} {}\n", run[0].0, run.len()).as_bytes());
        for (_, g, off) in run {
            out.extend_from_slice(format!("{off:010} {g:05} n\r\n").as_bytes());
        }
    }
    out.extend_from_slice(format!("trailer\n<</Size {}", plan.size).as_bytes());
    out.extend_from_slice(&trailer);
    out.extend_from_slice(b">>\n");
    out.extend_from_slice(format!("startxref\n{xref_at}\n%%EOF\n").as_bytes());
    PerCopy { head, xref: out }
}

/// Consecutive object numbers, for xref subsections.
pub(super) fn runs(entries: &[(u32, u16, u64)]) -> Vec<&[(u32, u16, u64)]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=entries.len() {
        if i == entries.len() || entries[i].0 != entries[i - 1].0 + 1 {
            out.push(&entries[start..i]);
            start = i;
        }
    }
    out
}
