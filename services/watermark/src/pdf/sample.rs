//! Generated BPS-style PDFs (text, a statistical table and an image per page) for the
//! demo softcopies, the tests and the benchmark: every cross-reference layout the
//! stamping supports, and the hostile variants uploads must refuse.

use std::collections::BTreeMap;
use std::io::Write as _;

/// Cross-reference layout of a generated file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Classic `xref` table and `trailer`.
    Table,
    /// A cross-reference stream (PDF 1.5), objects in the file.
    XrefStream,
    /// A cross-reference stream with the dictionaries packed into an object stream.
    ObjectStreams,
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Sample {
    pub title: String,
    pub pages: usize,
    pub layout: Layout,
    /// Bytes of (incompressible) image data per page; 0 for none.
    pub image_bytes: usize,
    /// Extra catalogue entries, e.g. an `/OpenAction` (hostile variants).
    pub catalog_extra: String,
    /// Adds an `/Encrypt` dictionary to the trailer.
    pub encrypted: bool,
    /// Makes the last page-tree node list the root as a kid.
    pub tree_loop: bool,
    /// A content stream that inflates to this many bytes (a decompression bomb).
    pub bomb_bytes: usize,
    /// Rotated pages: see [`Sample::rotation`].
    pub rotated: bool,
}

impl Sample {
    pub fn new(title: &str, pages: usize, layout: Layout) -> Self {
        Self {
            title: title.into(),
            pages,
            layout,
            image_bytes: 0,
            catalog_extra: String::new(),
            encrypted: false,
            tree_loop: false,
            bomb_bytes: 0,
            rotated: false,
        }
    }

    /// Pages shown rotated: page-tree nodes carry `/Rotate 90`; page `p` has its own
    /// `/Rotate` of 0, 180 and -90 for `p % 4` = 1, 2, 3, and inherits 90 for `p % 4` = 0.
    /// Pages with `p % 4` = 2 are also smaller (A5) and cropped.
    pub fn with_rotations(mut self) -> Self {
        self.rotated = true;
        self
    }

    /// How page `p` (from 1) is shown, in degrees clockwise.
    pub fn rotation(&self, p: usize) -> u16 {
        if !self.rotated {
            return 0;
        }
        [90, 0, 180, 270][p % 4]
    }

    pub fn with_images(mut self, bytes: usize) -> Self {
        self.image_bytes = bytes;
        self
    }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = z.write_all(data);
    z.finish().unwrap_or_default()
}

/// Text shown on page `p` (1-based) of a sample: tests look for it after stamping.
pub fn page_heading(p: usize) -> String {
    format!("Tabel {p}.1 Jumlah Penduduk menurut Kecamatan dan Jenis Kelamin")
}

struct Objects {
    next: u32,
    /// Plain objects (dictionaries) and stream objects, by number.
    plain: BTreeMap<u32, Vec<u8>>,
    streams: BTreeMap<u32, Vec<u8>>,
}

impl Objects {
    fn alloc(&mut self) -> u32 {
        self.next += 1;
        self.next
    }
}

fn page_content(s: &Sample, p: usize, with_image: bool) -> Vec<u8> {
    let mut c = format!(
        "BT /F1 14 Tf 50 790 Td ({}) Tj ET\nBT /F1 10 Tf 50 770 Td ({}) Tj ET\n0.5 w\n",
        s.title,
        page_heading(p)
    );
    let cols = [50.0, 200.0, 300.0, 400.0, 545.0];
    for row in 0..=22 {
        let y = 750.0 - f64::from(row) * 16.0;
        c.push_str(&format!("50 {y} m 545 {y} l S\n"));
        if row < 22 {
            let ty = y - 12.0;
            let name = if row == 0 {
                "Kecamatan".to_string()
            } else {
                format!("Kecamatan {row:02}")
            };
            c.push_str(&format!("BT /F1 9 Tf 55 {ty} Td ({name}) Tj ET\n"));
            for (k, x) in cols[1..4].iter().enumerate() {
                let v = if row == 0 {
                    ["Laki-laki", "Perempuan", "Jumlah"][k].to_string()
                } else {
                    format!("{}", (p * 7919 + row as usize * 104_729 + k * 31) % 99_991)
                };
                c.push_str(&format!("BT /F1 9 Tf {} {ty} Td ({v}) Tj ET\n", x + 5.0));
            }
        }
    }
    for x in cols {
        c.push_str(&format!("{x} 750 m {x} 398 l S\n"));
    }
    if with_image {
        c.push_str("q 200 0 0 150 200 200 cm /Im1 Do Q\n");
    }
    c.push_str(&format!("BT /F1 8 Tf 280 45 Td (Halaman {p}) Tj ET\n"));
    c.into_bytes()
}

/// Generates the PDF.
pub fn generate(s: &Sample) -> Vec<u8> {
    let mut o = Objects {
        next: 0,
        plain: BTreeMap::new(),
        streams: BTreeMap::new(),
    };
    let catalog = o.alloc();
    let info = o.alloc();
    let font = o.alloc();
    let root_pages = o.alloc();
    let font_ref = format!("<</Font<</F1 {font} 0 R>>");
    o.plain.insert(
        font,
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>".to_vec(),
    );

    // Pages in groups of 50 under intermediate nodes; every other group inherits its
    // resources and media box from the node.
    let mut groups = Vec::new();
    for (g, chunk) in (1..=s.pages).collect::<Vec<_>>().chunks(50).enumerate() {
        let node = o.alloc();
        let inherit = g % 2 == 0;
        let mut kids = Vec::new();
        for &p in chunk {
            let page = o.alloc();
            let content = o.alloc();
            let image = (s.image_bytes > 0).then(|| o.alloc());
            let mut res = font_ref.clone();
            if let Some(img) = image {
                res.push_str(&format!("/XObject<</Im1 {img} 0 R>>"));
                // Pseudo-random bytes: an image that does not compress, like a photo.
                let mut x: u32 = 0x9e37_79b9 ^ (p as u32);
                let data: Vec<u8> = (0..s.image_bytes)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 17;
                        x ^= x << 5;
                        x as u8
                    })
                    .collect();
                let side = ((s.image_bytes / 3) as f64).sqrt().floor().max(1.0) as usize;
                let mut body = format!(
                    "<</Type/XObject/Subtype/Image/Width {side}/Height {}/ColorSpace/DeviceRGB/BitsPerComponent 8/Length {}>>stream\n",
                    s.image_bytes / 3 / side,
                    data.len()
                )
                .into_bytes();
                body.extend_from_slice(&data);
                body.extend_from_slice(b"\nendstream");
                o.streams.insert(img, body);
            }
            res.push_str(">>");
            let mut data = deflate(&page_content(s, p, image.is_some()));
            if s.bomb_bytes > 0 && p == 1 {
                data = deflate(&vec![b' '; s.bomb_bytes]);
            }
            let mut body =
                format!("<</Length {}/Filter/FlateDecode>>stream\n", data.len()).into_bytes();
            body.extend_from_slice(&data);
            body.extend_from_slice(b"\nendstream");
            o.streams.insert(content, body);
            // Inheriting groups take the media box (and, without images, the
            // resources) from their node.
            let mut own = String::new();
            if !inherit || image.is_some() {
                own.push_str(&format!("/Resources {res}"));
            }
            if !inherit {
                own.push_str("/MediaBox[0 0 595.28 841.89]");
            }
            if s.rotated && p % 4 != 0 {
                own.push_str(["", "/Rotate 0", "/Rotate 180", "/Rotate -90"][p % 4]);
            }
            // A smaller page of its own, with a crop box partly outside it.
            if s.rotated && p % 4 == 2 {
                own.push_str("/MediaBox[0 0 420 595]/CropBox[-20 10 400 700]");
            }
            o.plain.insert(
                page,
                format!(
                    "<</Type/Page/Parent {node} 0 R/Contents {content} 0 R/BPSNote (Halaman {p}){own}>>"
                )
                    .into_bytes(),
            );
            kids.push(page);
        }
        groups.push((node, kids, inherit));
    }
    for (i, (node, kids, inherit)) in groups.iter().enumerate() {
        let mut k: Vec<String> = kids.iter().map(|k| format!("{k} 0 R")).collect();
        if s.tree_loop && i + 1 == groups.len() {
            k.push(format!("{root_pages} 0 R"));
        }
        let mut inherited = if *inherit {
            format!("/Resources {font_ref}>>/MediaBox[0 0 595.28 841.89]")
        } else {
            String::new()
        };
        if s.rotated {
            inherited.push_str("/Rotate 90");
        }
        o.plain.insert(
            *node,
            format!(
                "<</Type/Pages/Parent {root_pages} 0 R/Kids[{}]/Count {}{inherited}>>",
                k.join(" "),
                kids.len()
            )
            .into_bytes(),
        );
    }
    let kids: Vec<String> = groups.iter().map(|(n, _, _)| format!("{n} 0 R")).collect();
    o.plain.insert(
        root_pages,
        format!("<</Type/Pages/Kids[{}]/Count {}>>", kids.join(" "), s.pages).into_bytes(),
    );
    o.plain.insert(
        catalog,
        format!(
            "<</Type/Catalog/Pages {root_pages} 0 R{}>>",
            s.catalog_extra
        )
        .into_bytes(),
    );
    o.plain.insert(
        info,
        format!("<</Title ({})/Producer (PST Pustaka sample)>>", s.title).into_bytes(),
    );

    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets: BTreeMap<u32, (u8, u64, u64)> = BTreeMap::new();
    let put = |out: &mut Vec<u8>, num: u32, body: &[u8]| -> u64 {
        let at = out.len() as u64;
        out.extend_from_slice(format!("{num} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
        at
    };
    let packed = s.layout == Layout::ObjectStreams;
    for (num, body) in &o.streams {
        let at = put(&mut out, *num, body);
        offsets.insert(*num, (1, at, 0));
    }
    if packed {
        let stm = o.next + 1;
        let mut header = String::new();
        let mut data = Vec::new();
        for (i, (num, body)) in o.plain.iter().enumerate() {
            header.push_str(&format!("{num} {} ", data.len()));
            data.extend_from_slice(body);
            data.push(b'\n');
            offsets.insert(*num, (2, u64::from(stm), i as u64));
        }
        let mut all = header.into_bytes();
        let first = all.len();
        all.extend_from_slice(&data);
        let z = deflate(&all);
        let mut body = format!(
            "<</Type/ObjStm/N {}/First {first}/Filter/FlateDecode/Length {}>>stream\n",
            o.plain.len(),
            z.len()
        )
        .into_bytes();
        body.extend_from_slice(&z);
        body.extend_from_slice(b"\nendstream");
        let at = put(&mut out, stm, &body);
        offsets.insert(stm, (1, at, 0));
    } else {
        for (num, body) in &o.plain {
            let at = put(&mut out, *num, body);
            offsets.insert(*num, (1, at, 0));
        }
    }
    let encrypt = if s.encrypted {
        "/Encrypt<</Filter/Standard/V 1/R 2/O<00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff>/U<00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff>/P -4>>"
    } else {
        ""
    };
    let id = "/ID[<5053545075737461616b6153616d706c><5053545075737461616b6153616d706c>]";
    match s.layout {
        Layout::Table => {
            let size = offsets.keys().max().copied().unwrap_or(0) + 1;
            let xref = out.len();
            out.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f\r\n").as_bytes());
            for n in 1..size {
                match offsets.get(&n) {
                    Some((_, at, _)) => {
                        out.extend_from_slice(format!("{at:010} 00000 n\r\n").as_bytes())
                    }
                    None => out.extend_from_slice(b"0000000000 00001 f\r\n"),
                }
            }
            out.extend_from_slice(
                format!(
                    "trailer\n<</Size {size}/Root {catalog} 0 R/Info {info} 0 R{id}{encrypt}>>\nstartxref\n{xref}\n%%EOF\n"
                )
                .as_bytes(),
            );
        }
        Layout::XrefStream | Layout::ObjectStreams => {
            let num = offsets.keys().max().copied().unwrap_or(0) + 1;
            let xref = out.len() as u64;
            offsets.insert(num, (1, xref, 0));
            let size = num + 1;
            let mut rows = vec![0u8, 0, 0, 0, 0, 0xff, 0xff];
            for n in 1..size {
                let (t, a, b) = offsets.get(&n).copied().unwrap_or((0, 0, 0));
                rows.push(t);
                rows.extend_from_slice(&(a as u32).to_be_bytes());
                rows.extend_from_slice(&(b as u16).to_be_bytes());
            }
            let z = deflate(&rows);
            let mut body = format!(
                "<</Type/XRef/Size {size}/W[1 4 2]/Root {catalog} 0 R/Info {info} 0 R{id}{encrypt}/Filter/FlateDecode/Length {}>>stream\n",
                z.len()
            )
            .into_bytes();
            body.extend_from_slice(&z);
            body.extend_from_slice(b"\nendstream");
            put(&mut out, num, &body);
            out.extend_from_slice(format!("startxref\n{xref}\n%%EOF\n").as_bytes());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::{Limits, PdfError, analyze};

    fn check(layout: Layout) {
        let pdf = generate(
            &Sample::new("Kota Lubuklinggau Dalam Angka 2024", 120, layout).with_images(3000),
        );
        let a = analyze(pdf.as_slice(), Limits::default()).unwrap();
        assert_eq!(a.pages, 120);
        assert_eq!(a.plan.base_len, a.base.len() as u64);
    }

    #[test]
    fn every_layout_analyses() {
        check(Layout::Table);
        check(Layout::XrefStream);
        check(Layout::ObjectStreams);
    }

    #[test]
    fn hostile_variants_are_refused_with_their_reason() {
        let mut s = Sample::new("x", 3, Layout::Table);
        s.encrypted = true;
        assert!(matches!(
            analyze(generate(&s).as_slice(), Limits::default()),
            Err(PdfError::Encrypted)
        ));
        let mut s = Sample::new("x", 60, Layout::XrefStream);
        s.tree_loop = true;
        assert!(matches!(
            analyze(generate(&s).as_slice(), Limits::default()),
            Err(PdfError::PageTreeLoop)
        ));
        let mut s = Sample::new("x", 2, Layout::ObjectStreams);
        s.catalog_extra = "/OpenAction<</S/JavaScript/JS(app.alert\\(1\\))>>".into();
        assert!(matches!(
            analyze(generate(&s).as_slice(), Limits::default()),
            Err(PdfError::ActiveContent(_))
        ));
        // The same script behind #xx escapes in its names.
        s.catalog_extra = "/OpenAction<</S/Java#53cript/J#53(app.alert\\(1\\))>>".into();
        assert!(matches!(
            analyze(generate(&s).as_slice(), Limits::default()),
            Err(PdfError::ActiveContent(_))
        ));
        let s = Sample::new("x", 0, Layout::Table);
        assert!(matches!(
            analyze(generate(&s).as_slice(), Limits::default()),
            Err(PdfError::NoPages)
        ));
        let mut s = Sample::new("x", 1, Layout::Table);
        s.bomb_bytes = 8 << 20;
        let limits = Limits {
            max_stream_inflated: 1 << 20,
            ..Limits::default()
        };
        assert!(matches!(
            analyze(generate(&s).as_slice(), limits),
            Err(PdfError::Bomb)
        ));
        let good = generate(&Sample::new("x", 2, Layout::Table));
        assert!(matches!(
            analyze(&good[..good.len() / 2], Limits::default()),
            Err(PdfError::Truncated(_))
        ));
        assert!(matches!(
            analyze(
                &b"hello, this is not a PDF at all, just text"[..],
                Limits::default()
            ),
            Err(PdfError::NotPdf)
        ));
        let broken = String::from_utf8_lossy(&good).replace("startxref\n", "startxref\n1");
        assert!(matches!(
            analyze(broken.as_bytes(), Limits::default()),
            Err(PdfError::BrokenXref(_))
        ));
    }
}
