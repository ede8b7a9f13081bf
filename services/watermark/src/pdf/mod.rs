//! PDF analysis and stamping.
//!
//! An upload is analysed once ([`analyze_to`]): the file is checked (parses, not
//! encrypted, no scripts or embedded files, a page tree without loops, no decompression
//! bombs, within limits), rewritten once into a base that holds no catalogue and no page
//! ([`base`]), and a [`Plan`] is stored with the bytes of every object that does not
//! depend on who downloads: the wrapped page dictionaries, the bracket content streams,
//! the page tree and the catalogue. A download then writes the base as it is, a small
//! head ([`stamp::per_copy`]: the stamp form with the visible mark and the document
//! information with the signed mark), those stored bytes, and a cross-reference table
//! with `/Prev` to the base's. Per-download work is a few kilobytes whatever the file
//! size, and no prefix of a copy opens as a document without the stamp.

mod analyze;
pub mod base;
pub mod crypt;
pub mod object;
pub mod reader;
pub mod sample;
pub mod stamp;
pub mod text;

pub use analyze::{Analysis, analyze, analyze_to};
pub use reader::{Source, XrefKind};
pub use stamp::{Mark, Plan};

/// Bounds on what an analysis may read, decompress and hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_pages: usize,
    pub max_objects: usize,
    /// Largest single object, object stream or xref stream, in bytes.
    pub max_object_bytes: usize,
    /// Total bytes decompressed from object and xref streams.
    pub max_inflated: u64,
    /// Largest size any one content/image stream may inflate to (decompression bombs).
    pub max_stream_inflated: u64,
    /// Bytes all streams of a file may inflate to together, when checking it.
    pub max_total_inflated: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_pages: 10_000,
            // A 300-page publication has a few thousand objects; this bounds the object
            // map of a hostile file to a few tens of MB.
            max_objects: 500_000,
            max_object_bytes: 32 << 20,
            max_inflated: 256 << 20,
            max_stream_inflated: 256 << 20,
            max_total_inflated: 1 << 30,
        }
    }
}

/// Why a file cannot be accepted. Each maps to a stable error code.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("not a PDF file")]
    NotPdf,
    #[error("the file is truncated: {0}")]
    Truncated(String),
    #[error("broken cross-reference: {0}")]
    BrokenXref(String),
    #[error("malformed PDF: {0}")]
    Malformed(String),
    #[error("encrypted PDF")]
    Encrypted,
    #[error("the page tree loops")]
    PageTreeLoop,
    #[error("the document has no pages")]
    NoPages,
    #[error("too many pages ({0})")]
    TooManyPages(usize),
    #[error("a stream decompresses beyond the limit (decompression bomb)")]
    Bomb,
    #[error("active content: {0}")]
    ActiveContent(String),
    #[error("too complex: {0}")]
    TooComplex(String),
    #[error("unsupported: {0}")]
    Unsupported(String),
    #[error("reading the file: {0}")]
    Io(std::io::Error),
}

impl PdfError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            PdfError::NotPdf => "NOT_A_PDF",
            PdfError::Truncated(_) => "PDF_TRUNCATED",
            PdfError::BrokenXref(_) => "PDF_BROKEN_XREF",
            PdfError::Malformed(_) => "PDF_MALFORMED",
            PdfError::Encrypted => "PDF_ENCRYPTED",
            PdfError::PageTreeLoop => "PDF_PAGE_TREE_LOOP",
            PdfError::NoPages => "PDF_NO_PAGES",
            PdfError::TooManyPages(_) => "PDF_TOO_MANY_PAGES",
            PdfError::Bomb => "PDF_DECOMPRESSION_BOMB",
            PdfError::ActiveContent(_) => "PDF_ACTIVE_CONTENT",
            PdfError::TooComplex(_) => "PDF_TOO_COMPLEX",
            PdfError::Unsupported(_) => "PDF_UNSUPPORTED",
            PdfError::Io(_) => "STORAGE_UNAVAILABLE",
        }
    }

    /// What the librarian reads (Bahasa Indonesia).
    pub fn message_id(&self) -> String {
        match self {
            PdfError::NotPdf => "Berkas bukan PDF.".into(),
            PdfError::Truncated(d) => format!("Berkas PDF terpotong atau tidak lengkap ({d})."),
            PdfError::BrokenXref(d) => format!("Tabel referensi silang (xref) PDF rusak ({d})."),
            PdfError::Malformed(d) => format!("Struktur PDF rusak ({d})."),
            PdfError::Encrypted => {
                "PDF terenkripsi/berkata sandi; unggah salinan tanpa enkripsi.".into()
            }
            PdfError::PageTreeLoop => "Pohon halaman PDF berputar (rusak).".into(),
            PdfError::NoPages => "PDF tidak memiliki halaman.".into(),
            PdfError::TooManyPages(n) => format!("PDF memiliki terlalu banyak halaman ({n})."),
            PdfError::Bomb => {
                "PDF berisi aliran data yang mengembang melampaui batas (bom dekompresi).".into()
            }
            PdfError::ActiveContent(d) => format!(
                "PDF berisi konten aktif ({d}); hapus JavaScript/berkas tersemat lalu unggah ulang."
            ),
            PdfError::TooComplex(d) => format!("PDF melampaui batas kewajaran ({d})."),
            PdfError::Unsupported(d) => format!("Fitur PDF belum didukung ({d})."),
            PdfError::Io(_) => "Penyimpanan dokumen tidak dapat dibaca.".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sample::{Layout, Sample, generate};
    use super::*;

    fn mark(code: &str) -> Mark {
        Mark {
            lines: vec![
                "BPS Kota Lubuklinggau - tidak untuk diperjualbelikan".into(),
                format!("{}{code}", text::DOWNLOAD_LABEL),
            ],
            qr: format!("http://127.0.0.1:8080/api/v1/documents/verify/{code}"),
            code: code.into(),
            kind: "download".into(),
            issued: "2026-11-29T14:00:00Z".into(),
            signature: "abc123".into(),
        }
    }

    #[test]
    fn a_stamped_copy_reopens_with_its_marks_for_every_layout() {
        for layout in [Layout::Table, Layout::XrefStream, Layout::ObjectStreams] {
            let pdf = generate(&Sample::new("Statistik Daerah", 75, layout));
            let a = analyze(pdf.as_slice(), Limits::default()).unwrap();
            let copy = stamp::assemble(&a.base, &a.plan, &a.static_bytes, &mark("AB12CD34"));
            let c = stamp::per_copy(&a.plan, &mark("AB12CD34"));
            assert_eq!(a.plan.total_len(&c), copy.len() as u64);
            let again = analyze(copy.as_slice(), Limits::default()).unwrap();
            assert_eq!(again.pages, 75, "{layout:?}");
            let found = text::find_marks(copy.as_slice(), Limits::default()).unwrap();
            assert_eq!(found.code.as_deref(), Some("AB12CD34"));
            assert_eq!(found.signature.as_deref(), Some("abc123"));
            assert_eq!(found.visible, vec!["AB12CD34".to_string()]);
            // The base starts the copy and is no document on its own.
            assert_eq!(&copy[..a.base.len()], &a.base[..]);
            assert_eq!(a.plan.base_len, a.base.len() as u64);
            let alone = analyze(a.base.as_slice(), Limits::default());
            assert!(alone.is_err(), "{layout:?}: the base alone opened");
            assert_eq!(base::tag_of(&copy[..200]), Some("0".repeat(64)));
            // Nor is the original a prefix of the copy any more.
            assert_ne!(
                &copy[..pdf.len().min(copy.len())],
                &pdf[..pdf.len().min(copy.len())]
            );
        }
    }

    /// Every cut of a copy, at every byte of its per-copy part and at every `%%EOF` and
    /// `startxref` target, either is no document to this reader or is a copy whose every
    /// page draws the stamp (the browser-level check with qpdf and pdftotext is in the
    /// end-to-end tests).
    #[test]
    fn no_prefix_of_a_copy_is_a_document_without_the_stamp() {
        for layout in [Layout::Table, Layout::XrefStream, Layout::ObjectStreams] {
            let pdf = generate(&Sample::new("Statistik Daerah", 5, layout));
            let a = analyze(pdf.as_slice(), Limits::default()).unwrap();
            let copy = stamp::assemble(&a.base, &a.plan, &a.static_bytes, &mark("AB12CD34"));
            let opened: Vec<usize> = (a.base.len() - 64..=copy.len())
                .filter(|&cut| analyze(&copy[..cut], Limits::default()).is_ok())
                .collect();
            // Only the whole copy (and its end with the final newline cut) opens here.
            assert!(
                opened.iter().all(|&c| c + 8 > copy.len()),
                "{layout:?}: {opened:?}"
            );
            assert!(opened.contains(&copy.len()));
        }
    }

    /// The stamp reads left to right along the bottom edge of the page as a viewer shows
    /// it, whatever the page's `/Rotate`.
    #[test]
    fn the_stamp_sits_on_the_displayed_bottom_edge_for_every_rotation() {
        let (w, h) = (600.0, 800.0);
        // Page space to displayed space (origin at the displayed bottom-left), for a page
        // turned clockwise by `rot` degrees.
        let shown = |rot: i64, (x, y): (f64, f64)| match rot.rem_euclid(360) {
            90 => (y, w - x),
            180 => (w - x, h - y),
            270 => (h - y, x),
            _ => (x, y),
        };
        for rot in [0, 90, 180, 270, -90, 450, 45] {
            let m = analyze::stamp_matrix(rot, [0.0, 0.0, w, h]);
            for (sx, sy) in [(0.0, 0.0), (100.0, 0.0), (0.0, 30.0), (250.0, 12.5)] {
                let on_page = (m[0] * sx + m[2] * sy + m[4], m[1] * sx + m[3] * sy + m[5]);
                let (dx, dy) = shown(if rot == 45 { 0 } else { rot }, on_page);
                assert!(
                    (dx - (8.0 + sx)).abs() < 1e-9 && (dy - (5.0 + sy)).abs() < 1e-9,
                    "rotate {rot}: stamp point ({sx}, {sy}) shown at ({dx}, {dy})"
                );
            }
        }
        // What is shown: the crop box clipped to the media box.
        let a5 = [0.0, 0.0, 420.0, 595.0];
        assert_eq!(
            analyze::shown_box(Some(a5), Some([-20.0, 10.0, 400.0, 700.0])),
            [0.0, 10.0, 400.0, 595.0]
        );
        assert_eq!(
            analyze::shown_box(Some(a5), Some([500.0, 0.0, 600.0, 9.0])),
            a5
        );
        assert_eq!(analyze::shown_box(None, None), [0.0, 0.0, 612.0, 792.0]);
        // A box not at the origin, written corners-swapped, rotated.
        let m = analyze::stamp_matrix(270, [700.0, 900.0, 100.0, 100.0]);
        assert_eq!((m[4], m[5]), (105.0, 892.0));
    }

    /// What the fuzz target does, on a fixed set of damaged files: every mutation of a
    /// valid file is either analysed or refused with a reason, never a panic.
    #[test]
    fn damaged_files_are_refused_not_panicked_on() {
        let limits = Limits {
            max_object_bytes: 1 << 20,
            max_inflated: 8 << 20,
            max_stream_inflated: 8 << 20,
            ..Limits::default()
        };
        for layout in [Layout::Table, Layout::XrefStream, Layout::ObjectStreams] {
            let pdf = generate(&Sample::new("Uji", 4, layout));
            let mut x: u64 = 0x2545_f491_4f6c_dd1d;
            let mut next = || {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x
            };
            for _ in 0..300 {
                let mut m = pdf.clone();
                for _ in 0..(1 + next() % 4) {
                    let at = (next() as usize) % m.len();
                    m[at] = next() as u8;
                }
                let cut = (next() as usize) % (m.len() + 1);
                for bytes in [&m[..], &m[..cut]] {
                    if let Ok(a) = analyze(bytes, limits) {
                        assert!(a.pages > 0);
                    }
                    let _ = text::find_marks(bytes, limits);
                }
            }
        }
    }

    /// A PDF of the given object bodies (numbered from 1) with a correct xref table.
    fn raw_pdf(objects: &[&str]) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f\r\n", objects.len() + 1).as_bytes(),
        );
        for o in offsets {
            out.extend_from_slice(format!("{o:010} 00000 n\r\n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<</Size {}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    #[test]
    fn a_stream_length_pointing_at_its_own_stream_is_refused() {
        let pdf = raw_pdf(&[
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Kids[3 0 R]/Count 1>>",
            "<</Type/Page/Parent 2 0 R/MediaBox[0 0 100 100]/Contents 4 0 R>>",
            "<</Length 4 0 R>>stream\nabc\nendstream",
        ]);
        assert!(matches!(
            analyze(pdf.as_slice(), Limits::default()),
            Err(PdfError::Malformed(_))
        ));
        assert!(text::find_marks(pdf.as_slice(), Limits::default()).is_ok());
        // The same file with an honest indirect length is fine.
        let ok = raw_pdf(&[
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Kids[3 0 R]/Count 1>>",
            "<</Type/Page/Parent 2 0 R/MediaBox[0 0 100 100]/Contents 4 0 R>>",
            "<</Length 5 0 R>>stream\nabc\nendstream",
            "3",
        ]);
        assert_eq!(analyze(ok.as_slice(), Limits::default()).unwrap().pages, 1);
    }

    #[test]
    fn a_page_tree_listing_one_kid_many_times_is_refused_cheaply() {
        let kids = "3 0 R ".repeat(200_000);
        let big = format!(
            "<</Type/Pages/Kids[{kids}]/Count 200000/Resources<</X ({})>>>>",
            "x".repeat(100_000)
        );
        let pdf = raw_pdf(&[
            "<</Type/Catalog/Pages 2 0 R>>",
            &big,
            "<</Type/Page/Parent 2 0 R/MediaBox[0 0 100 100]>>",
        ]);
        assert!(matches!(
            analyze(pdf.as_slice(), Limits::default()),
            Err(PdfError::TooManyPages(_))
        ));
        let dup = raw_pdf(&[
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Kids[3 0 R 3 0 R]/Count 2>>",
            "<</Type/Page/Parent 2 0 R/MediaBox[0 0 100 100]>>",
        ]);
        assert!(matches!(
            analyze(dup.as_slice(), Limits::default()),
            Err(PdfError::PageTreeLoop)
        ));
    }
}
