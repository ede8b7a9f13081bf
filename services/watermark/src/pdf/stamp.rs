//! The per-copy part of a stamped PDF: written after the original bytes and the plan's
//! stored objects, it holds the stamp form (visible text and QR code), the document
//! information with the signed mark, and the cross-reference section with its trailer.

use std::fmt::Write as _;

use super::analyze::{stream_body, write_obj};
use super::object::{Ref, literal};
use super::reader::XrefKind;
use super::reader::hex_string;

/// Resource name of the stamp form on every page.
pub const FORM_NAME: &str = "PSTwm";

/// How to stamp one stored document; made once at upload, kept with the document.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Plan {
    pub original_len: u64,
    /// The original's last `startxref`: the update's `/Prev`.
    pub prev: u64,
    pub kind: XrefKind,
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
    /// Stored objects: (number, generation, offset from the start of the update).
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

impl Plan {
    /// Total length of a stamped copy with this `tail`.
    pub fn total_len(&self, tail: &[u8]) -> u64 {
        self.original_len + self.static_len + tail.len() as u64
    }
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

/// The per-copy tail of the update. The full copy is the original bytes, the plan's
/// stored bytes, then this.
pub fn tail(plan: &Plan, mark: &Mark) -> Vec<u8> {
    let base = plan.original_len;
    let tail_start = base + plan.static_len;
    let mut out = Vec::with_capacity(8 * 1024);
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
    out.extend_from_slice(&local);

    let mut entries: Vec<(u32, u16, u64)> = plan
        .objects
        .iter()
        .map(|&(n, g, off)| (n, g, base + off))
        .chain(offsets.iter().map(|&(n, g, off)| (n, g, tail_start + off)))
        .collect();

    let xref_at = tail_start + out.len() as u64;
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

    match plan.kind {
        XrefKind::Table => {
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
        }
        XrefKind::Stream => {
            let num = plan.size;
            entries.push((num, 0, xref_at));
            entries.sort_by_key(|e| e.0);
            // Offsets in 4 bytes, or 8 past 4 GiB.
            let wide = xref_at > u64::from(u32::MAX);
            let mut index = String::new();
            let mut rows = Vec::with_capacity(entries.len() * 11);
            for run in runs(&entries) {
                let _ = write!(index, "{} {} ", run[0].0, run.len());
                for (_, g, off) in run {
                    rows.push(1u8);
                    if wide {
                        rows.extend_from_slice(&off.to_be_bytes());
                    } else {
                        rows.extend_from_slice(&(*off as u32).to_be_bytes());
                    }
                    rows.extend_from_slice(&g.to_be_bytes());
                }
            }
            let mut dict = format!(
                "/Type/XRef/Size {}/W[1 {} 2]/Index[{}]",
                num + 1,
                if wide { 8 } else { 4 },
                index.trim_end()
            )
            .into_bytes();
            dict.extend_from_slice(&trailer);
            let mut body = format!("{num} 0 obj\n<<").into_bytes();
            body.extend_from_slice(&dict);
            body.extend_from_slice(format!("/Length {}>>stream\n", rows.len()).as_bytes());
            body.extend_from_slice(&rows);
            body.extend_from_slice(b"\nendstream\nendobj\n");
            out.extend_from_slice(&body);
        }
    }
    out.extend_from_slice(format!("startxref\n{xref_at}\n%%EOF\n").as_bytes());
    out
}

/// Consecutive object numbers, for xref subsections.
fn runs(entries: &[(u32, u16, u64)]) -> Vec<&[(u32, u16, u64)]> {
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
