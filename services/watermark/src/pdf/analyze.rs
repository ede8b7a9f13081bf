//! The one-time analysis of an uploaded PDF: validation and the stamping plan.

use std::collections::{BTreeMap, HashSet};
use std::rc::Rc;

use super::object::{Dict, Object, Ref};
use super::reader::{Entry, Indirect, Reader, Source, XrefKind};
use super::stamp::{FORM_NAME, Plan};
use super::{Limits, PdfError};

/// Names whose presence means active content we do not pass on to readers.
const ACTIVE: [(&[u8], &str); 7] = [
    (b"JavaScript", "JavaScript"),
    (b"JS", "JavaScript"),
    (b"Launch", "perintah Launch"),
    (b"EmbeddedFile", "berkas tersemat"),
    (b"EmbeddedFiles", "berkas tersemat"),
    (b"RichMedia", "RichMedia"),
    (b"XFA", "formulir XFA"),
];

/// A name as PDF reads it: `#xx` escapes decoded (`/Java#53cript` is `/JavaScript`).
fn decode_name(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'#'
            && i + 2 < raw.len()
            && let Some(v) = std::str::from_utf8(&raw[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    out
}

/// What the analysis found, and the plan every stamped copy follows.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub pages: u32,
    pub objects: usize,
    /// The cross-reference kind of the upload (the base is always a table).
    pub kind: XrefKind,
    pub linearized: bool,
    pub plan: Plan,
    /// The per-copy part's objects that are the same for every copy (see [`Plan`]).
    pub static_bytes: Vec<u8>,
    /// SHA-256 (hex) of the base the analysis wrote.
    pub base_sha256: String,
    /// The base itself when [`analyze`] kept it in memory; empty after [`analyze_to`].
    pub base: Vec<u8>,
}

struct Page {
    r: Ref,
    dict: Dict,
    /// Shared with every page that inherits the same value.
    resources: Option<Rc<Object>>,
    /// The object the resources are written in (their strings' key, if encrypted).
    resources_owner: Ref,
    /// Where the stamp form is drawn: see [`stamp_matrix`].
    stamp_at: [f64; 6],
}

/// The matrix placing the stamp form on a page with box `bx` shown rotated by `rotate`
/// degrees: along the bottom edge as displayed, reading left to right, 8 pt from the
/// displayed bottom-left corner and 5 pt above the edge. A rotation that is not a multiple
/// of 90 is invalid and shown unrotated by viewers, so it is treated as 0.
pub(crate) fn stamp_matrix(rotate: i64, bx: [f64; 4]) -> [f64; 6] {
    let (x0, y0) = (bx[0].min(bx[2]), bx[1].min(bx[3]));
    let (x1, y1) = (bx[0].max(bx[2]), bx[1].max(bx[3]));
    match rotate.rem_euclid(360) {
        90 => [0.0, 1.0, -1.0, 0.0, x1 - 5.0, y0 + 8.0],
        180 => [-1.0, 0.0, 0.0, -1.0, x1 - 8.0, y1 - 5.0],
        270 => [0.0, -1.0, 1.0, 0.0, x0 + 5.0, y1 - 8.0],
        _ => [1.0, 0.0, 0.0, 1.0, x0 + 8.0, y0 + 5.0],
    }
}

/// Where a page's resources come from: pages with the same source get one new
/// resources object, built once.
#[derive(PartialEq, Eq, Hash)]
enum ResourceSource {
    None,
    Object(u32),
    Inline(usize),
}

impl ResourceSource {
    fn of(o: Option<&Rc<Object>>) -> Self {
        match o {
            None => Self::None,
            Some(rc) => match **rc {
                Object::Ref(r) => Self::Object(r.num),
                _ => Self::Inline(Rc::as_ptr(rc) as usize),
            },
        }
    }
}

/// Validates the PDF in `src` and prepares its stamping plan, keeping the base in memory
/// (tests, demo files; an upload writes it to a file with [`analyze_to`]).
pub fn analyze<S: Source + ?Sized>(src: &S, limits: Limits) -> Result<Analysis, PdfError> {
    let mut base = Vec::new();
    let mut a = analyze_to(src, limits, &"0".repeat(64), &mut base)?;
    a.base = base;
    Ok(a)
}

/// Validates the PDF in `src`, writes its base (see [`super::base`]) to `base_out` and
/// prepares the stamping plan. `upload_sha256` (hex) is written into the base's tag.
pub fn analyze_to<S: Source + ?Sized, W: std::io::Write>(
    src: &S,
    limits: Limits,
    upload_sha256: &str,
    base_out: W,
) -> Result<Analysis, PdfError> {
    // A file that needs a password to open is refused here (`Encrypted`); one with an
    // owner password only is read with its key.
    let mut r = Reader::open(src, limits)?;
    let (objects, linearized) = scan_objects(&mut r)?;
    let (pages, tree) = collect_pages(&mut r)?;
    let kind = r.kind;
    let (plan, static_bytes, written) = build_plan(&mut r, &pages, &tree, upload_sha256, base_out)?;
    Ok(Analysis {
        pages: pages.len() as u32,
        objects,
        kind,
        linearized,
        plan,
        static_bytes,
        base_sha256: hex::encode(written.sha256),
        base: Vec::new(),
    })
}

/// Reads every object once: refuses active content and streams that inflate beyond the
/// limit. Returns the number of objects and whether the file is linearized.
fn scan_objects<S: Source + ?Sized>(r: &mut Reader<'_, S>) -> Result<(usize, bool), PdfError> {
    let mut nums: Vec<(u32, Entry)> = r.entries.iter().map(|(n, e)| (*n, *e)).collect();
    // File order keeps reads sequential.
    nums.sort_by_key(|(n, e)| match e {
        Entry::InFile { offset, .. } => (0, *offset, *n),
        Entry::InStream { stream, index } => (1, u64::from(*stream), *index),
    });
    let mut linearized = false;
    let mut first_offset = u64::MAX;
    let mut inflated_total = 0u64;
    for (num, e) in &nums {
        let Some(obj) = r.get(Ref { num: *num, gen_: 0 })? else {
            continue;
        };
        {
            let mut found = None;
            let names = |f: &mut dyn FnMut(&[u8])| match &obj {
                Indirect::Plain(o) => o.visit_names(&mut |n| f(n)),
                Indirect::Stream(s) => {
                    for (k, v) in &s.dict.0 {
                        f(k);
                        v.visit_names(&mut |n| f(n));
                    }
                }
            };
            names(&mut |n| {
                if found.is_none()
                    && let Some((_, what)) = ACTIVE
                        .iter()
                        .find(|(a, _)| *a == n || (n.contains(&b'#') && *a == decode_name(n)))
                {
                    found = Some(*what);
                }
            });
            if let Some(what) = found {
                return Err(PdfError::ActiveContent(what.into()));
            }
            if let Entry::InFile { offset, .. } = e
                && *offset < first_offset
            {
                first_offset = *offset;
                linearized = obj.dict().is_some_and(|d| d.get(b"Linearized").is_some());
            }
        }
        if let Indirect::Stream(info) = &obj {
            let budget = r
                .limits
                .max_stream_inflated
                .min(r.limits.max_total_inflated.saturating_sub(inflated_total));
            inflated_total += r.inflated_size(info, budget)?.unwrap_or(0);
        }
    }
    Ok((nums.len(), linearized))
}

fn number_box(r: &mut Reader<'_, impl Source + ?Sized>, o: &Object) -> Option<[f64; 4]> {
    let o = r.resolve(o).ok()?;
    let Object::Array(a) = o else { return None };
    if a.len() != 4 {
        return None;
    }
    let mut v = [0.0; 4];
    for (i, item) in a.iter().enumerate() {
        v[i] = r.resolve(item).ok()?.number()?;
    }
    Some(v)
}

/// The part of the page a viewer shows: the crop box clipped to the media box (a crop
/// box outside it, or none, shows the media box; no media box, US Letter). Corners
/// normalised: lower-left, upper-right.
pub(crate) fn shown_box(media: Option<[f64; 4]>, crop: Option<[f64; 4]>) -> [f64; 4] {
    let norm = |b: [f64; 4]| {
        [
            b[0].min(b[2]),
            b[1].min(b[3]),
            b[0].max(b[2]),
            b[1].max(b[3]),
        ]
    };
    let media = norm(media.unwrap_or([0.0, 0.0, 612.0, 792.0]));
    let Some(c) = crop.map(norm) else {
        return media;
    };
    let clipped = [
        c[0].max(media[0]),
        c[1].max(media[1]),
        c[2].min(media[2]),
        c[3].min(media[3]),
    ];
    if clipped[0] < clipped[2] && clipped[1] < clipped[3] {
        clipped
    } else {
        media
    }
}

/// The pages in order, and the page-tree nodes above them (parents before children).
fn collect_pages<S: Source + ?Sized>(
    r: &mut Reader<'_, S>,
) -> Result<(Vec<Page>, Vec<Ref>), PdfError> {
    let root = r.trailer.reference(b"Root").ok_or(PdfError::NoPages)?;
    let catalog = r
        .resolve(&Object::Ref(root))?
        .as_dict()
        .cloned()
        .ok_or_else(|| PdfError::Malformed("the catalogue (/Root) is not a dictionary".into()))?;
    let top = catalog.reference(b"Pages").ok_or(PdfError::NoPages)?;

    // Shared, not copied: a node's kids all inherit the same values.
    #[derive(Clone, Default)]
    struct Inherited {
        resources: Option<Rc<Object>>,
        resources_owner: Option<Ref>,
        /// Read once, on the node that sets them.
        media: Option<[f64; 4]>,
        crop: Option<[f64; 4]>,
        rotate: i64,
    }
    let mut pages = Vec::new();
    let mut tree = Vec::new();
    let mut seen = HashSet::new();
    // Depth-first, children in order.
    let mut stack = vec![(top, Inherited::default(), 0usize)];
    while let Some((node_ref, inherited, depth)) = stack.pop() {
        if !seen.insert(node_ref.num) {
            return Err(PdfError::PageTreeLoop);
        }
        if depth > 64 {
            return Err(PdfError::TooComplex("page tree too deep".into()));
        }
        let node = r
            .resolve(&Object::Ref(node_ref))?
            .as_dict()
            .cloned()
            .ok_or_else(|| {
                PdfError::Malformed(format!("page node {} is not a dictionary", node_ref.num))
            })?;
        let mut here = inherited.clone();
        if let Some(o) = node.get(b"Resources") {
            here.resources = Some(Rc::new(o.clone()));
            here.resources_owner = Some(match o {
                Object::Ref(at) => *at,
                _ => node_ref,
            });
        }
        // A box that is not four numbers is ignored, as viewers do.
        if let Some(b) = node.get(b"MediaBox").and_then(|o| number_box(r, o)) {
            here.media = Some(b);
        }
        if let Some(b) = node.get(b"CropBox").and_then(|o| number_box(r, o)) {
            here.crop = Some(b);
        }
        if let Some(o) = node.get(b"Rotate")
            && let Ok(Object::Int(n)) = r.resolve(o)
        {
            here.rotate = n;
        }
        let is_tree = node.name(b"Type") == Some(b"Pages")
            || (node.name(b"Type").is_none() && node.get(b"Kids").is_some());
        if is_tree {
            tree.push(node_ref);
            let kids = match node.get(b"Kids") {
                Some(k) => r.resolve(k)?,
                None => Object::Array(Vec::new()),
            };
            let Object::Array(kids) = kids else {
                return Err(PdfError::Malformed("/Kids is not an array".into()));
            };
            if stack.len() + kids.len() + pages.len() > r.limits.max_pages {
                return Err(PdfError::TooManyPages(
                    stack.len() + kids.len() + pages.len(),
                ));
            }
            for kid in kids.iter().rev() {
                let Object::Ref(k) = kid else {
                    return Err(PdfError::Malformed(
                        "a page-tree kid is not a reference".into(),
                    ));
                };
                stack.push((*k, here.clone(), depth + 1));
            }
        } else {
            if pages.len() >= r.limits.max_pages {
                return Err(PdfError::TooManyPages(pages.len() + 1));
            }
            let bx = shown_box(here.media, here.crop);
            pages.push(Page {
                r: node_ref,
                dict: node,
                resources: here.resources.clone(),
                resources_owner: here.resources_owner.unwrap_or(node_ref),
                stamp_at: stamp_matrix(here.rotate, bx),
            });
        }
    }
    if pages.is_empty() {
        return Err(PdfError::NoPages);
    }
    Ok((pages, tree))
}

/// Writes `num gen obj <body> endobj` and records where it starts.
pub(super) fn write_obj(
    out: &mut Vec<u8>,
    offsets: &mut Vec<(u32, u16, u64)>,
    r: Ref,
    body: &[u8],
) {
    offsets.push((r.num, r.gen_, out.len() as u64));
    out.extend_from_slice(format!("{} {} obj\n", r.num, r.gen_).as_bytes());
    out.extend_from_slice(body);
    out.extend_from_slice(b"\nendobj\n");
}

pub(super) fn stream_body(dict_extra: &str, data: &[u8]) -> Vec<u8> {
    let mut b = format!("<<{dict_extra}/Length {}>>stream\n", data.len()).into_bytes();
    b.extend_from_slice(data);
    b.extend_from_slice(b"\nendstream");
    b
}

fn build_plan<S: Source + ?Sized, W: std::io::Write>(
    r: &mut Reader<'_, S>,
    pages: &[Page],
    tree: &[Ref],
    upload_sha256: &str,
    base_out: W,
) -> Result<(Plan, Vec<u8>, super::base::Written), PdfError> {
    let size = r.entries.keys().max().map(|m| m + 1).unwrap_or(1).max(
        r.trailer
            .int(b"Size")
            .unwrap_or(0)
            .clamp(0, i64::from(u32::MAX / 2)) as u32,
    );
    let font = size;
    let open = size + 1;
    let form = size + 2;
    let info = size + 3;
    let mut next = size + 4;
    let new = |num| Ref { num, gen_: 0 };
    let root = r
        .trailer
        .reference(b"Root")
        .ok_or_else(|| PdfError::Malformed("the trailer has no /Root".into()))?;
    let id = r.trailer.get(b"ID").map(|o| {
        let mut b = Vec::new();
        o.write(&mut b);
        b
    });
    let security = match (&r.crypt, r.trailer.get(b"Encrypt")) {
        (Some(c), Some(e)) => {
            let mut entry = Vec::new();
            e.write(&mut entry);
            Some(super::stamp::Security {
                crypt: c.clone(),
                encrypt: entry,
            })
        }
        _ => None,
    };

    // The base: everything but the catalogue and the page tree, and the stamp's font.
    let mut skip_tree: Vec<Ref> = tree.to_vec();
    skip_tree.extend(pages.iter().map(|p| p.r));
    let skip = super::base::left_out(r, &skip_tree, root)?;
    let written = super::base::write(
        r,
        &skip,
        &[(
            font,
            b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>".to_vec(),
        )],
        upload_sha256,
        security.as_ref(),
        id.as_deref(),
        base_out,
    )?;

    let mut out = Vec::new();
    let mut offsets = Vec::new();
    // In an encrypted file the new streams are encrypted with the file's key.
    let crypt = r.crypt.clone();
    let seal = |obj: Ref, data: &[u8]| super::crypt::seal(crypt.as_ref(), obj, data);
    write_obj(
        &mut out,
        &mut offsets,
        new(open),
        &stream_body("", &seal(new(open), b"q\n")),
    );

    // One closing stream per distinct stamp placement: restore the page's state, then
    // draw the stamp form along the bottom edge as the page is shown.
    let mut closers: BTreeMap<String, u32> = BTreeMap::new();
    let mut page_objs = Vec::with_capacity(pages.len());
    let mut resources: std::collections::HashMap<ResourceSource, u32> =
        std::collections::HashMap::new();
    for page in pages {
        let [a, b, c, d, e, f] = page.stamp_at;
        let cm = format!("{a:.0} {b:.0} {c:.0} {d:.0} {e:.2} {f:.2} cm");
        let closer = *closers.entry(cm).or_insert_with_key(|cm| {
            let n = next;
            next += 1;
            let data = format!("Q\nq {cm} /{FORM_NAME} Do Q\n");
            write_obj(
                &mut out,
                &mut offsets,
                new(n),
                &stream_body("", &seal(new(n), data.as_bytes())),
            );
            n
        });
        let mut dict = page.dict.clone();
        let mut contents = vec![Object::Ref(new(open))];
        match page.dict.get(b"Contents") {
            Some(Object::Ref(c)) => match r.get(*c)? {
                Some(Indirect::Plain(Object::Array(a))) => contents.extend(a),
                _ => contents.push(Object::Ref(*c)),
            },
            Some(Object::Array(a)) => contents.extend(a.iter().cloned()),
            _ => {}
        }
        contents.push(Object::Ref(new(closer)));
        dict.set(b"Contents", Object::Array(contents));

        // Pages sharing resources share the new resources object too, built once: the
        // update grows with the number of pages, not with pages × resources.
        let source = ResourceSource::of(page.resources.as_ref());
        let num = match resources.get(&source) {
            Some(n) => *n,
            None => {
                let n = next;
                next += 1;
                // Strings keep their meaning in the new object: read with their own
                // object's key, written with the new one's (when encrypted).
                let mut res = match page.resources.as_deref() {
                    Some(o) => {
                        let d = r.resolve(o)?;
                        r.plain_strings(page.resources_owner, d)
                            .as_dict()
                            .cloned()
                            .unwrap_or_default()
                    }
                    None => Dict::default(),
                };
                let mut xobjects = match res.get(b"XObject") {
                    Some(o) => {
                        let o = o.clone();
                        let d = r.resolve(&o)?;
                        match o {
                            Object::Ref(at) => r.plain_strings(at, d),
                            _ => d,
                        }
                        .as_dict()
                        .cloned()
                        .unwrap_or_default()
                    }
                    None => Dict::default(),
                };
                xobjects.set(FORM_NAME.as_bytes(), Object::Ref(new(form)));
                res.set(b"XObject", Object::Dict(xobjects));
                let mut body = Vec::new();
                r.sealed_strings(new(n), Object::Dict(res)).write(&mut body);
                write_obj(&mut out, &mut offsets, new(n), &body);
                resources.insert(source, n);
                n
            }
        };
        dict.set(b"Resources", Object::Ref(new(num)));
        page_objs.push((page.r, dict));
    }
    for (pr, dict) in page_objs {
        // Same object, so the same key; a page read from an object stream was in plain
        // text and is now an object of its own, encrypted.
        let mut body = Vec::new();
        r.resealed(pr, pr, Object::Dict(dict)).write(&mut body);
        write_obj(&mut out, &mut offsets, pr, &body);
    }
    // The page-tree nodes above them, then the catalogue, last: a prefix of a copy that
    // holds the catalogue holds every page and the stamp before them.
    for &at in tree.iter().chain(std::iter::once(&root)) {
        let Some(Indirect::Plain(o)) = r.get(at)? else {
            return Err(PdfError::Malformed(format!(
                "page-tree node or catalogue {} is not a dictionary",
                at.num
            )));
        };
        let gen_ = match r.entries.get(&at.num) {
            Some(Entry::InFile { gen_, .. }) => *gen_,
            _ => 0,
        };
        let at = Ref { num: at.num, gen_ };
        let mut body = Vec::new();
        r.resealed(at, at, o).write(&mut body);
        write_obj(&mut out, &mut offsets, at, &body);
    }

    let info_entries = match r.trailer.get(b"Info") {
        Some(o) => {
            let o = o.clone();
            // Kept in plain text: the stamp writes them again, encrypted for the new
            // information dictionary when the file is encrypted.
            let d = r.resolve(&o)?;
            let d = match o {
                Object::Ref(at) => r.plain_strings(at, d),
                _ => d,
            };
            // Anything but a dictionary (or a missing object) is no information.
            let mut d = match d {
                Object::Dict(d) => d,
                _ => Dict::default(),
            };
            d.0.retain(|(k, _)| !k.starts_with(b"PST"));
            // Written as the new information dictionary needs them: encrypted for its own
            // object when the file is encrypted (once here, not per copy).
            let mut b = Vec::new();
            for (k, v) in d.0 {
                b.push(b'/');
                b.extend_from_slice(&k);
                b.push(b' ');
                r.sealed_strings(new(info), v).write(&mut b);
            }
            b
        }
        None => Vec::new(),
    };
    let root_gen = match r.entries.get(&root.num) {
        Some(Entry::InFile { gen_, .. }) => *gen_,
        _ => 0,
    };
    let plan = Plan {
        layout: super::stamp::LAYOUT,
        base_len: written.len,
        prev: written.xref,
        root: (root.num, root_gen),
        id,
        info_entries,
        security,
        pages: pages.len() as u32,
        font,
        form,
        info,
        // The xref stream, when there is one, takes the next number.
        size: next,
        objects: offsets,
        static_len: out.len() as u64,
    };
    Ok((plan, out, written))
}
