//! The base of every stamped copy: the uploaded file rewritten once, at upload, without
//! its catalogue and page tree.
//!
//! A copy used to be the original byte for byte followed by an incremental update, so
//! cutting it at the original's `%%EOF` gave back the unstamped file. The base holds every
//! object of the current revision except the catalogue, the page-tree nodes and the pages
//! (and the object and cross-reference streams, whose contents it writes as plain
//! objects), so its own trailer names no `/Root` and nothing in it is a document a reader
//! can open. The catalogue and the pages exist only in the part after it, behind the
//! copy's stamp form (see [`super::stamp`]): whatever prefix of a copy opens, its pages
//! draw the stamp.
//!
//! Older revisions of the upload (earlier incremental updates, with their own page trees)
//! are not carried over: only what the newest cross-reference reaches.

use std::collections::HashSet;
use std::io::Write;

use sha2::{Digest as _, Sha256};

use super::PdfError;
use super::object::{Object, Ref};
use super::reader::{Entry, Indirect, Reader, Source};

/// The comment line a base starts with: `%PSTBase <SHA-256 of the upload>`. Verification
/// reads it to recognise a copy whose per-copy part was cut off.
pub const TAG: &[u8] = b"%PSTBase ";

/// Where the base's cross-reference section is, how long it is, and its SHA-256 (it is
/// stored under that hash).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub len: u64,
    pub xref: u64,
    pub sha256: [u8; 32],
}

/// Counts and hashes what is written.
struct Out<W> {
    w: W,
    n: u64,
    sha: Sha256,
}

impl<W: Write> Out<W> {
    fn put(&mut self, b: &[u8]) -> Result<(), PdfError> {
        self.w.write_all(b).map_err(PdfError::Io)?;
        self.sha.update(b);
        self.n += b.len() as u64;
        Ok(())
    }
}

/// Objects the base leaves out: the page tree, the catalogue, and the containers whose
/// contents it writes one by one.
pub(super) fn left_out<S: Source + ?Sized>(
    r: &mut Reader<'_, S>,
    tree: &[Ref],
    root: Ref,
) -> Result<HashSet<u32>, PdfError> {
    let mut out: HashSet<u32> = tree.iter().map(|r| r.num).collect();
    out.insert(root.num);
    let nums: Vec<u32> = r
        .entries
        .iter()
        .filter(|(_, e)| matches!(e, Entry::InFile { .. }))
        .map(|(n, _)| *n)
        .collect();
    for num in nums {
        if let Some(Indirect::Stream(s)) = r.get(Ref { num, gen_: 0 })?
            && matches!(s.dict.name(b"Type"), Some(b"ObjStm") | Some(b"XRef"))
        {
            out.insert(num);
        }
        // A linearization dictionary describes a layout the base does not have.
        if let Some(Indirect::Plain(Object::Dict(d))) = r.get(Ref { num, gen_: 0 })?
            && d.get(b"Linearized").is_some()
        {
            out.insert(num);
        }
    }
    Ok(out)
}

/// Writes the base of the file in `r` to `w`: header, the tag naming the upload
/// (`upload_sha256`, hex), every object not in `skip`, then `extra` objects (already
/// written bodies), a cross-reference table and a trailer without `/Root`.
pub(super) fn write<S: Source + ?Sized, W: Write>(
    r: &mut Reader<'_, S>,
    skip: &HashSet<u32>,
    extra: &[(u32, Vec<u8>)],
    upload_sha256: &str,
    plan_security: Option<&super::stamp::Security>,
    id: Option<&[u8]>,
    w: W,
) -> Result<Written, PdfError> {
    let mut out = Out {
        w,
        n: 0,
        sha: Sha256::new(),
    };
    out.put(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")?;
    out.put(TAG)?;
    out.put(upload_sha256.as_bytes())?;
    out.put(b"\n")?;

    let mut nums: Vec<(u32, Entry)> = r
        .entries
        .iter()
        .filter(|(n, _)| !skip.contains(n) && **n != 0)
        .map(|(n, e)| (*n, *e))
        .collect();
    // File order keeps reads sequential.
    nums.sort_by_key(|(n, e)| match e {
        Entry::InFile { offset, .. } => (0, *offset, *n),
        Entry::InStream { stream, index } => (1, u64::from(*stream), *index),
    });
    let mut rows: Vec<(u32, u16, u64)> = Vec::with_capacity(nums.len() + extra.len());
    let mut buf = Vec::with_capacity(4096);
    for (num, e) in nums {
        let gen_ = match e {
            Entry::InFile { gen_, .. } => gen_,
            Entry::InStream { .. } => 0,
        };
        let at = Ref { num, gen_ };
        let Some(obj) = r.get(at)? else { continue };
        buf.clear();
        buf.extend_from_slice(format!("{num} {gen_} obj\n").as_bytes());
        rows.push((num, gen_, out.n));
        match obj {
            // Strings of an object that was inside an object stream were in plain text;
            // on its own they are encrypted with its key (when the file is encrypted).
            Indirect::Plain(o) => {
                r.resealed(at, at, o).write(&mut buf);
                buf.extend_from_slice(b"\nendobj\n");
                out.put(&buf)?;
            }
            Indirect::Stream(s) => {
                let mut dict = s.dict.clone();
                dict.set(b"Length", Object::Int(s.length as i64));
                dict.write(&mut buf);
                buf.extend_from_slice(b"stream\n");
                out.put(&buf)?;
                let mut at = s.data_offset;
                let end = s.data_offset + s.length;
                while at < end {
                    let n = (end - at).min(1 << 20) as usize;
                    let piece = r.raw(at, n)?;
                    if piece.len() != n {
                        return Err(PdfError::Truncated("a stream ends early".into()));
                    }
                    out.put(&piece)?;
                    at += n as u64;
                }
                out.put(b"\nendstream\nendobj\n")?;
            }
        }
    }
    for (num, body) in extra {
        rows.push((*num, 0, out.n));
        buf.clear();
        buf.extend_from_slice(format!("{num} 0 obj\n").as_bytes());
        buf.extend_from_slice(body);
        buf.extend_from_slice(b"\nendobj\n");
        out.put(&buf)?;
    }

    let xref = out.n;
    rows.sort_by_key(|e| e.0);
    let size = rows.last().map(|e| e.0 + 1).unwrap_or(1);
    buf.clear();
    buf.extend_from_slice(b"xref\n0 1\n0000000000 65535 f\r\n");
    for run in super::stamp::runs(&rows) {
        buf.extend_from_slice(format!("{} {}\n", run[0].0, run.len()).as_bytes());
        for (_, g, off) in run {
            buf.extend_from_slice(format!("{off:010} {g:05} n\r\n").as_bytes());
        }
    }
    // No /Root: the base alone is not a document.
    buf.extend_from_slice(format!("trailer\n<</Size {size}").as_bytes());
    if let Some(id) = id {
        buf.extend_from_slice(b"/ID ");
        buf.extend_from_slice(id);
    }
    if let Some(s) = plan_security {
        buf.extend_from_slice(b"/Encrypt ");
        buf.extend_from_slice(&s.encrypt);
    }
    buf.extend_from_slice(format!(">>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    out.put(&buf)?;
    out.w.flush().map_err(PdfError::Io)?;
    Ok(Written {
        len: out.n,
        xref,
        sha256: out.sha.finalize().into(),
    })
}

/// The upload a base (or a prefix of a copy) was made from: the hex SHA-256 in its tag,
/// if the first bytes carry one.
pub fn tag_of(head: &[u8]) -> Option<String> {
    let at = head.windows(TAG.len()).position(|w| w == TAG)?;
    let hex = head.get(at + TAG.len()..at + TAG.len() + 64)?;
    hex.iter()
        .all(|b| b.is_ascii_hexdigit())
        .then(|| String::from_utf8_lossy(hex).to_ascii_lowercase())
}
