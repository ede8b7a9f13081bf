//! Random-access reading of a PDF: the cross-reference sections (classic tables, xref
//! streams, hybrids), the trailer, and objects wherever they live (in the file or inside
//! object streams). Reads what it needs from a [`Source`] (a file or bytes), never the whole
//! file, and every allocation is bounded by [`Limits`].

use std::collections::{HashMap, HashSet};
use std::io::Read;

use super::crypt::Crypt;
use super::object::{Dict, Object, Parser, Ref, SyntaxError, parse_uint};
use super::{Limits, PdfError};

/// Bytes that can be read at any offset: a file on disk or a buffer.
pub trait Source {
    fn len(&self) -> u64;
    /// Reads up to `buf.len()` bytes at `offset`; fewer only at the end.
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize>;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Source for [u8] {
    fn len(&self) -> u64 {
        <[u8]>::len(self) as u64
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        let start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.len());
        let n = buf.len().min(self.len() - start);
        buf[..n].copy_from_slice(&self[start..start + n]);
        Ok(n)
    }
}

impl Source for std::fs::File {
    fn len(&self) -> u64 {
        self.metadata().map(|m| m.len()).unwrap_or(0)
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut done = 0;
        while done < buf.len() {
            let n =
                std::os::unix::fs::FileExt::read_at(self, &mut buf[done..], offset + done as u64)?;
            if n == 0 {
                break;
            }
            done += n;
        }
        Ok(done)
    }
}

/// Where an object lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    InFile { offset: u64, gen_: u16 },
    InStream { stream: u32, index: u32 },
}

/// The kind of cross-reference section the file ends with: what an update must add.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum XrefKind {
    Table,
    Stream,
}

impl XrefKind {
    /// As recorded with a document: `table` or `stream`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Table => "table",
            Self::Stream => "stream",
        }
    }
}

/// A stream object's dictionary and where its (still encoded) data is.
#[derive(Debug, Clone)]
pub struct StreamInfo {
    /// The stream's object (its key, in an encrypted file).
    pub obj: Ref,
    pub dict: Dict,
    pub data_offset: u64,
    pub length: u64,
}

/// An indirect object read from the file.
#[derive(Debug, Clone)]
pub enum Indirect {
    Plain(Object),
    Stream(StreamInfo),
}

impl Indirect {
    pub fn dict(&self) -> Option<&Dict> {
        match self {
            Indirect::Plain(o) => o.as_dict(),
            Indirect::Stream(s) => Some(&s.dict),
        }
    }
}

/// A PDF opened for reading.
pub struct Reader<'s, S: Source + ?Sized> {
    src: &'s S,
    pub limits: Limits,
    pub len: u64,
    pub entries: HashMap<u32, Entry>,
    /// The newest trailer (of the section `startxref` points at).
    pub trailer: Dict,
    pub startxref: u64,
    pub kind: XrefKind,
    /// Decoded object streams: (first offset, bytes, offsets of each object).
    objstms: HashMap<u32, std::rc::Rc<ObjStm>>,
    objstm_bytes: usize,
    /// Set while an object stream's own dictionary and length are read.
    reading_objstm: bool,
    /// Bytes decompressed so far (object and xref streams), against the limit.
    pub inflated: u64,
    /// The key of an encrypted file that opens without a password.
    pub crypt: Option<Crypt>,
}

/// Bytes of decoded object streams kept for reuse.
const OBJSTM_CACHE: usize = 16 << 20;

struct ObjStm {
    data: Vec<u8>,
    offsets: Vec<(u32, usize)>,
}

fn syntax(e: SyntaxError, what: &str) -> PdfError {
    match e {
        SyntaxError::Eof => PdfError::Truncated(format!("{what}: the file ends too early")),
        SyntaxError::Bad(at, why) => PdfError::Malformed(format!("{what}: {why} (byte {at})")),
    }
}

impl<'s, S: Source + ?Sized> Reader<'s, S> {
    /// Opens `src`: checks the header, finds `startxref`, reads every cross-reference
    /// section (following `/Prev` and `/XRefStm`, refusing loops) and the trailer.
    pub fn open(src: &'s S, limits: Limits) -> Result<Self, PdfError> {
        let len = src.len();
        if len < 32 {
            return Err(PdfError::NotPdf);
        }
        let head = read_vec(src, 0, 1024.min(len as usize))?;
        if !head.windows(5).any(|w| w == b"%PDF-") {
            return Err(PdfError::NotPdf);
        }
        let tail_len = 2048.min(len) as usize;
        let tail = read_vec(src, len - tail_len as u64, tail_len)?;
        let at = rfind(&tail, b"startxref").ok_or_else(|| {
            PdfError::Truncated("no startxref at the end: the file is cut off".into())
        })?;
        let mut p = Parser::at(&tail, at + 9);
        let startxref = p
            .word()
            .ok()
            .and_then(parse_uint)
            .filter(|&o| o < len)
            .ok_or_else(|| PdfError::BrokenXref("startxref offset is not valid".into()))?;

        let mut reader = Reader {
            src,
            limits,
            len,
            entries: HashMap::new(),
            trailer: Dict::default(),
            startxref,
            kind: XrefKind::Table,
            objstms: HashMap::new(),
            objstm_bytes: 0,
            reading_objstm: false,
            inflated: 0,
            crypt: None,
        };
        let mut seen = HashSet::new();
        let mut next = Some(startxref);
        let mut first = true;
        while let Some(offset) = next {
            if !seen.insert(offset) || seen.len() > 1000 {
                return Err(PdfError::BrokenXref("cross-reference sections loop".into()));
            }
            let (trailer, kind) = reader.read_section(offset)?;
            if first {
                reader.trailer = trailer.clone();
                reader.kind = kind;
                first = false;
            }
            if let Some(stm) = trailer.int(b"XRefStm") {
                let stm = u64::try_from(stm)
                    .ok()
                    .filter(|&o| o < len)
                    .ok_or_else(|| PdfError::BrokenXref("bad /XRefStm".into()))?;
                if seen.insert(stm) {
                    reader.read_section(stm)?;
                }
            }
            next = match trailer.get(b"Prev") {
                Some(Object::Int(p)) => Some(
                    u64::try_from(*p)
                        .ok()
                        .filter(|&o| o < len)
                        .ok_or_else(|| PdfError::BrokenXref("bad /Prev".into()))?,
                ),
                _ => None,
            };
        }
        if reader.trailer.reference(b"Root").is_none() {
            return Err(PdfError::BrokenXref("the trailer has no /Root".into()));
        }
        if let Some(enc) = reader.trailer.get(b"Encrypt").cloned() {
            let enc = reader.resolve(&enc)?.as_dict().cloned().unwrap_or_default();
            let id0 = match reader.trailer.get(b"ID") {
                Some(Object::Array(a)) => match a.first() {
                    Some(Object::Str(s)) => super::text::string_value(s),
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            };
            reader.crypt = Some(Crypt::open(&enc, &id0)?);
        }
        Ok(reader)
    }

    fn read_section(&mut self, offset: u64) -> Result<(Dict, XrefKind), PdfError> {
        let window = self.window(offset, 64)?;
        let mut p = Parser::new(&window);
        p.skip_ws();
        if window[p.pos..].starts_with(b"xref") {
            self.read_table(offset)
        } else {
            let (_, obj) = self.read_indirect_at(offset, None)?;
            let Indirect::Stream(info) = obj else {
                return Err(PdfError::BrokenXref(format!(
                    "no cross-reference section at byte {offset}"
                )));
            };
            if info.dict.name(b"Type") != Some(b"XRef") {
                return Err(PdfError::BrokenXref(format!(
                    "the object at byte {offset} is not an xref stream"
                )));
            }
            self.read_xref_stream(&info)?;
            Ok((info.dict, XrefKind::Stream))
        }
    }

    fn read_table(&mut self, offset: u64) -> Result<(Dict, XrefKind), PdfError> {
        // A table is 20 bytes per entry; read it in one window sized by its headers.
        let mut size = 64 * 1024;
        loop {
            let buf = self.window(offset, size)?;
            match self.parse_table(&buf) {
                Ok(trailer) => return Ok((trailer, XrefKind::Table)),
                Err(SyntaxError::Eof) if (size as u64) < self.len - offset => {
                    size = size.saturating_mul(4);
                    if size > self.limits.max_object_bytes {
                        return Err(PdfError::TooComplex(
                            "cross-reference table too large".into(),
                        ));
                    }
                }
                Err(e) => return Err(syntax(e, "cross-reference table").into_xref()),
            }
        }
    }

    fn parse_table(&mut self, buf: &[u8]) -> Result<Dict, SyntaxError> {
        let mut p = Parser::new(buf);
        p.keyword(b"xref")?;
        let mut found = Vec::new();
        loop {
            let w = p.word()?;
            if w == b"trailer" {
                break;
            }
            let start = parse_uint(w).ok_or(SyntaxError::Bad(p.pos, "subsection start"))?;
            let count = p.uint()?;
            if start + count > self.limits.max_objects as u64 {
                return Err(SyntaxError::Bad(p.pos, "too many objects"));
            }
            for i in 0..count {
                let off = p.uint()?;
                let gen_ = p.uint()?;
                let kind = p.word()?;
                if kind == b"n" && off > 0 {
                    found.push((
                        (start + i) as u32,
                        Entry::InFile {
                            offset: off,
                            gen_: u16::try_from(gen_).unwrap_or(0),
                        },
                    ));
                } else if kind != b"n" && kind != b"f" {
                    return Err(SyntaxError::Bad(p.pos, "entry type must be n or f"));
                }
            }
        }
        let trailer = match p.object()? {
            Object::Dict(d) => d,
            _ => return Err(SyntaxError::Bad(p.pos, "trailer is not a dictionary")),
        };
        for (num, e) in found {
            self.entries.entry(num).or_insert(e);
        }
        Ok(trailer)
    }

    fn read_xref_stream(&mut self, info: &StreamInfo) -> Result<(), PdfError> {
        let d = &info.dict;
        let w: Vec<usize> = match d.get(b"W") {
            Some(Object::Array(a)) if a.len() == 3 => a
                .iter()
                .map(|o| match o {
                    Object::Int(i) if (0..=8).contains(i) => Ok(*i as usize),
                    _ => Err(PdfError::BrokenXref("bad /W in xref stream".into())),
                })
                .collect::<Result<_, _>>()?,
            _ => return Err(PdfError::BrokenXref("xref stream without /W".into())),
        };
        let size = d
            .int(b"Size")
            .filter(|s| (0..=self.limits.max_objects as i64).contains(s))
            .ok_or_else(|| PdfError::BrokenXref("bad /Size in xref stream".into()))?;
        let index: Vec<(u64, u64)> = match d.get(b"Index") {
            Some(Object::Array(a)) => a
                .chunks(2)
                .map(|c| match c {
                    [Object::Int(s), Object::Int(n)] if *s >= 0 && *n >= 0 => {
                        Ok((*s as u64, *n as u64))
                    }
                    _ => Err(PdfError::BrokenXref("bad /Index in xref stream".into())),
                })
                .collect::<Result<_, _>>()?,
            _ => vec![(0, size as u64)],
        };
        let data = self.decode_stream(info)?;
        let row = w.iter().sum::<usize>();
        if row == 0 {
            return Err(PdfError::BrokenXref("empty /W".into()));
        }
        let mut rows = data.chunks_exact(row);
        for (start, count) in index {
            if start + count > self.limits.max_objects as u64 {
                return Err(PdfError::TooComplex("too many objects".into()));
            }
            for i in 0..count {
                let Some(r) = rows.next() else {
                    return Err(PdfError::BrokenXref(
                        "xref stream shorter than its /Index".into(),
                    ));
                };
                let field = |k: usize| -> u64 {
                    let s: usize = w[..k].iter().sum();
                    r[s..s + w[k]]
                        .iter()
                        .fold(0u64, |a, &b| (a << 8) | u64::from(b))
                };
                let t = if w[0] == 0 { 1 } else { field(0) };
                let num = (start + i) as u32;
                let e = match t {
                    1 => Entry::InFile {
                        offset: field(1),
                        gen_: field(2) as u16,
                    },
                    2 => Entry::InStream {
                        stream: field(1) as u32,
                        index: field(2) as u32,
                    },
                    _ => continue,
                };
                self.entries.entry(num).or_insert(e);
            }
        }
        Ok(())
    }

    /// Reads `len` bytes (fewer at the end of the file) at `offset`.
    fn window(&self, offset: u64, len: usize) -> Result<Vec<u8>, PdfError> {
        let n = (len as u64).min(self.len.saturating_sub(offset)) as usize;
        read_vec(self.src, offset, n)
    }

    /// `len` bytes of the file at `offset` as they are (fewer at the end of the file).
    pub fn raw(&self, offset: u64, len: usize) -> Result<Vec<u8>, PdfError> {
        self.window(offset, len)
    }

    /// Reads the indirect object at `offset`, checking it is `expect` if given.
    pub fn read_indirect_at(
        &mut self,
        offset: u64,
        expect: Option<Ref>,
    ) -> Result<(Ref, Indirect), PdfError> {
        let mut size = 4096usize;
        loop {
            let buf = self.window(offset, size)?;
            let at_end = offset + buf.len() as u64 >= self.len;
            match parse_indirect(&buf, at_end) {
                Ok((r, obj, stream_start)) => {
                    if let Some(e) = expect
                        && e.num != r.num
                    {
                        return Err(PdfError::BrokenXref(format!(
                            "object {} expected at byte {offset}, found {}",
                            e.num, r.num
                        )));
                    }
                    let Some(start) = stream_start else {
                        return Ok((r, Indirect::Plain(obj)));
                    };
                    let Object::Dict(dict) = obj else {
                        return Err(PdfError::Malformed("stream without a dictionary".into()));
                    };
                    let data_offset = offset + start as u64;
                    let length = self.stream_length(&dict, data_offset)?;
                    return Ok((
                        r,
                        Indirect::Stream(StreamInfo {
                            obj: r,
                            dict,
                            data_offset,
                            length,
                        }),
                    ));
                }
                Err(SyntaxError::Eof) if !at_end && size < self.limits.max_object_bytes => {
                    size = size.saturating_mul(4).min(self.limits.max_object_bytes);
                }
                Err(SyntaxError::Eof) if !at_end => {
                    return Err(PdfError::TooComplex(format!(
                        "object at byte {offset} is larger than the limit"
                    )));
                }
                Err(e) => return Err(syntax(e, &format!("object at byte {offset}"))),
            }
        }
    }

    /// The integer an indirect `/Length` refers to. An object stream's own length must be
    /// a plain object in the file (as the PDF specification requires), read without
    /// resolving anything else; so no length can lead back to the stream it measures.
    fn length_object(&mut self, r: Ref) -> Result<Option<i64>, PdfError> {
        let offset = match self.entries.get(&r.num).copied() {
            Some(Entry::InFile { offset, .. }) => offset,
            Some(Entry::InStream { .. }) if !self.reading_objstm => {
                return Ok(match self.get(r)? {
                    Some(Indirect::Plain(Object::Int(n))) => Some(n),
                    _ => None,
                });
            }
            _ => return Ok(None),
        };
        let buf = self.window(offset, 256)?;
        let at_end = offset + buf.len() as u64 >= self.len;
        Ok(match parse_indirect(&buf, at_end) {
            Ok((found, Object::Int(n), None)) if found.num == r.num => Some(n),
            _ => None,
        })
    }

    fn stream_length(&mut self, dict: &Dict, data_offset: u64) -> Result<u64, PdfError> {
        let length = match dict.get(b"Length") {
            Some(Object::Int(n)) => u64::try_from(*n).ok(),
            Some(Object::Ref(r)) => {
                let r = *r;
                self.length_object(r)?.and_then(|n| u64::try_from(n).ok())
            }
            _ => None,
        };
        let length =
            length.ok_or_else(|| PdfError::Malformed("stream without a valid /Length".into()))?;
        if data_offset + length > self.len {
            return Err(PdfError::Truncated(
                "a stream runs past the end of the file".into(),
            ));
        }
        // The data must be followed by `endstream`.
        let after = self.window(data_offset + length, 32)?;
        let mut p = Parser::new(&after);
        p.skip_ws();
        if !after[p.pos..].starts_with(b"endstream") {
            return Err(PdfError::Malformed(
                "stream /Length does not reach endstream".into(),
            ));
        }
        Ok(length)
    }

    /// Finds and reads object `r`; `None` if it does not exist (a null).
    pub fn get(&mut self, r: Ref) -> Result<Option<Indirect>, PdfError> {
        match self.entries.get(&r.num).copied() {
            None => Ok(None),
            Some(Entry::InFile { offset, .. }) => {
                Ok(Some(self.read_indirect_at(offset, Some(r))?.1))
            }
            Some(Entry::InStream { stream, index }) => {
                let stm = self.objstm(stream)?;
                let Some(&(num, at)) = stm.offsets.get(index as usize) else {
                    return Err(PdfError::BrokenXref(format!(
                        "object {} not in object stream {stream}",
                        r.num
                    )));
                };
                if num != r.num {
                    return Err(PdfError::BrokenXref(format!(
                        "object stream {stream} holds {num}, not {}",
                        r.num
                    )));
                }
                let obj = Parser::at(&stm.data, at)
                    .object()
                    .map_err(|e| syntax(e, "object in an object stream"))?;
                Ok(Some(Indirect::Plain(obj)))
            }
        }
    }

    /// Whether the strings of object `obj` are encrypted one by one: objects inside an
    /// object stream are not (the stream as a whole is).
    fn strings_encrypted(&self, obj: Ref) -> bool {
        self.crypt.is_some() && matches!(self.entries.get(&obj.num), Some(Entry::InFile { .. }))
    }

    /// `o`, read from object `obj`, with every string in plain text (written back as hex
    /// strings when they had to be decrypted).
    pub fn plain_strings(&self, obj: Ref, o: Object) -> Object {
        match &self.crypt {
            Some(c) if self.strings_encrypted(obj) => map_strings(o, &|s| c.decrypt(obj, s)),
            _ => o,
        }
    }

    /// `plain` (strings in plain text) as written in object `dst` of this file: every
    /// string encrypted with `dst`'s key when the file is encrypted.
    pub fn sealed_strings(&self, dst: Ref, plain: Object) -> Object {
        match &self.crypt {
            Some(c) => map_strings(plain, &|s| c.encrypt(dst, s)),
            None => plain,
        }
    }

    /// `o`, read from object `src`, as written in object `dst`: unchanged when the file is
    /// not encrypted or the strings are already encrypted for that object, otherwise
    /// decrypted (if they were) and encrypted for `dst`, in one pass.
    pub fn resealed(&self, src: Ref, dst: Ref, o: Object) -> Object {
        let Some(c) = &self.crypt else {
            return o;
        };
        let encrypted = self.strings_encrypted(src);
        if encrypted && src == dst {
            return o;
        }
        map_strings(o, &|s| {
            let plain = if encrypted {
                c.decrypt(src, s)
            } else {
                s.to_vec()
            };
            c.encrypt(dst, &plain)
        })
    }

    /// `o` itself, or the object it refers to (streams become their dictionary).
    pub fn resolve(&mut self, o: &Object) -> Result<Object, PdfError> {
        match o {
            Object::Ref(r) => Ok(match self.get(*r)? {
                Some(Indirect::Plain(o)) => o,
                Some(Indirect::Stream(s)) => Object::Dict(s.dict),
                None => Object::Null,
            }),
            other => Ok(other.clone()),
        }
    }

    fn objstm(&mut self, num: u32) -> Result<std::rc::Rc<ObjStm>, PdfError> {
        if let Some(s) = self.objstms.get(&num) {
            return Ok(s.clone());
        }
        let Some(Entry::InFile { offset, .. }) = self.entries.get(&num).copied() else {
            return Err(PdfError::BrokenXref(format!(
                "object stream {num} is missing"
            )));
        };
        self.reading_objstm = true;
        let read = self.read_indirect_at(offset, Some(Ref { num, gen_: 0 }));
        self.reading_objstm = false;
        let (_, obj) = read?;
        let Indirect::Stream(info) = obj else {
            return Err(PdfError::BrokenXref(format!(
                "object {num} is not a stream"
            )));
        };
        let n = info.dict.int(b"N").unwrap_or(-1);
        let first = info.dict.int(b"First").unwrap_or(-1);
        if n < 0 || first < 0 || n as usize > self.limits.max_objects {
            return Err(PdfError::Malformed(format!(
                "object stream {num} lacks /N or /First"
            )));
        }
        let mut data = self.decode_stream(&info)?;
        data.push(b'\n');
        let mut p = Parser::new(&data);
        let mut offsets = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let obj = p.uint().map_err(|e| syntax(e, "object stream header"))?;
            let off = p.uint().map_err(|e| syntax(e, "object stream header"))?;
            let at = (first as u64 + off) as usize;
            if at >= data.len() || obj > u32::MAX as u64 {
                return Err(PdfError::Malformed(format!(
                    "object stream {num}: bad header"
                )));
            }
            offsets.push((obj as u32, at));
        }
        let stm = std::rc::Rc::new(ObjStm { data, offsets });
        // Decoded object streams are kept while they fit in OBJSTM_CACHE bytes.
        self.objstm_bytes += stm.data.len();
        if self.objstm_bytes > OBJSTM_CACHE {
            self.objstms.clear();
            self.objstm_bytes = stm.data.len();
        }
        self.objstms.insert(num, stm.clone());
        Ok(stm)
    }

    /// Decodes a stream's data (FlateDecode, with PNG predictors; or no filter), counting
    /// against the decompression limits.
    pub fn decode_stream(&mut self, info: &StreamInfo) -> Result<Vec<u8>, PdfError> {
        if info.length > self.limits.max_object_bytes as u64 {
            return Err(PdfError::TooComplex(
                "an object or xref stream is too large".into(),
            ));
        }
        let mut raw = read_vec(self.src, info.data_offset, info.length as usize)?;
        if let Some(c) = self.crypt.as_ref().filter(|c| c.covers(&info.dict)) {
            raw = c.decrypt(info.obj, &raw);
        }
        let filters = filters(&info.dict);
        let data = match filters.as_slice() {
            [] => {
                self.inflated += raw.len() as u64;
                if self.inflated > self.limits.max_inflated {
                    return Err(PdfError::TooComplex(
                        "too much stream data to decode".into(),
                    ));
                }
                raw
            }
            [f] if f == b"FlateDecode" => {
                let budget = (self.limits.max_inflated
                    - self.inflated.min(self.limits.max_inflated))
                .min(self.limits.max_object_bytes as u64);
                let out = inflate(&raw, budget)?;
                self.inflated += out.len() as u64;
                out
            }
            _ => {
                return Err(PdfError::Unsupported(
                    "object or xref stream with a filter other than FlateDecode".into(),
                ));
            }
        };
        let parms = match info.dict.get(b"DecodeParms") {
            Some(Object::Dict(d)) => Some(d.clone()),
            Some(Object::Array(a)) => a.first().and_then(|o| o.as_dict()).cloned(),
            _ => None,
        };
        match parms.as_ref().and_then(|p| p.int(b"Predictor")) {
            None | Some(1) => Ok(data),
            Some(p) if p >= 10 => {
                let columns = parms.as_ref().and_then(|p| p.int(b"Columns")).unwrap_or(1);
                png_unpredict(&data, columns)
            }
            Some(_) => Err(PdfError::Unsupported("TIFF predictor".into())),
        }
    }

    /// Counts how many bytes a stream inflates to, up to `cap` (data is streamed from the
    /// source, never held whole). `None` when the stream is not Flate-encoded.
    pub fn inflated_size(&self, info: &StreamInfo, cap: u64) -> Result<Option<u64>, PdfError> {
        let f = filters(&info.dict);
        if f.len() != 1 || f[0] != b"FlateDecode" {
            return Ok(None);
        }
        let reader = SourceReader {
            src: self.src,
            pos: info.data_offset,
            end: info.data_offset + info.length,
        };
        let reader: Box<dyn Read + '_> = match self.crypt.as_ref().filter(|c| c.covers(&info.dict))
        {
            Some(c) => Box::new(c.reader(info.obj, reader)),
            None => Box::new(reader),
        };
        let mut z =
            flate2::read::ZlibDecoder::new(std::io::BufReader::with_capacity(64 * 1024, reader));
        let mut buf = vec![0u8; 64 * 1024];
        let mut total = 0u64;
        loop {
            match z.read(&mut buf) {
                Ok(0) => return Ok(Some(total)),
                Ok(n) => {
                    total += n as u64;
                    if total > cap {
                        return Err(PdfError::Bomb);
                    }
                }
                // A damaged content stream is the viewer's problem, not a reason to refuse.
                Err(_) => return Ok(Some(total)),
            }
        }
    }
}

/// `o` with `f` applied to the value of every string, written back as hex strings.
fn map_strings(o: Object, f: &dyn Fn(&[u8]) -> Vec<u8>) -> Object {
    match o {
        Object::Str(s) => Object::Str(hex_string(&f(&super::text::string_value(&s)))),
        Object::Array(a) => Object::Array(a.into_iter().map(|x| map_strings(x, f)).collect()),
        Object::Dict(d) => Object::Dict(Dict(
            d.0.into_iter()
                .map(|(k, v)| (k, map_strings(v, f)))
                .collect(),
        )),
        other => other,
    }
}

/// `bytes` as a PDF hex string, delimiters included.
pub fn hex_string(bytes: &[u8]) -> Vec<u8> {
    format!("<{}>", hex::encode_upper(bytes)).into_bytes()
}

struct SourceReader<'s, S: Source + ?Sized> {
    src: &'s S,
    pos: u64,
    end: u64,
}

impl<S: Source + ?Sized> std::io::Read for SourceReader<'_, S> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (buf.len() as u64).min(self.end - self.pos) as usize;
        if n == 0 {
            return Ok(0);
        }
        let got = self.src.read_at(self.pos, &mut buf[..n])?;
        self.pos += got as u64;
        Ok(got)
    }
}

impl PdfError {
    fn into_xref(self) -> PdfError {
        match self {
            PdfError::Malformed(m) | PdfError::Truncated(m) => PdfError::BrokenXref(m),
            other => other,
        }
    }
}

fn filters(d: &Dict) -> Vec<Vec<u8>> {
    match d.get(b"Filter") {
        Some(Object::Name(n)) => vec![n.clone()],
        Some(Object::Array(a)) => a
            .iter()
            .filter_map(|o| match o {
                Object::Name(n) => Some(n.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Parses `N G obj <object> [stream]` at the start of `buf`; returns the reference, the
/// object and, for a stream, where its data starts in `buf`.
fn parse_indirect(buf: &[u8], at_end: bool) -> Result<(Ref, Object, Option<usize>), SyntaxError> {
    let mut p = Parser::new(buf);
    let num = p.uint()?;
    let gen_ = p.uint()?;
    p.keyword(b"obj")?;
    let obj = match p.object() {
        // A bare number as the last thing in the file.
        Err(SyntaxError::Eof) if at_end => {
            return Err(SyntaxError::Bad(p.pos, "object ends at end of file"));
        }
        r => r?,
    };
    let r = Ref {
        num: u32::try_from(num).map_err(|_| SyntaxError::Bad(0, "object number"))?,
        gen_: u16::try_from(gen_).map_err(|_| SyntaxError::Bad(0, "generation"))?,
    };
    p.skip_ws();
    let rest = &buf[p.pos..];
    if rest.starts_with(b"stream") {
        let mut start = p.pos + 6;
        match buf.get(start) {
            Some(b'\r') if buf.get(start + 1) == Some(&b'\n') => start += 2,
            Some(b'\n') | Some(b'\r') => start += 1,
            Some(_) => {
                return Err(SyntaxError::Bad(
                    start,
                    "stream keyword not followed by EOL",
                ));
            }
            None => return Err(SyntaxError::Eof),
        }
        return Ok((r, obj, Some(start)));
    }
    if rest.len() < 6 && !at_end {
        return Err(SyntaxError::Eof);
    }
    Ok((r, obj, None))
}

pub fn read_vec<S: Source + ?Sized>(src: &S, offset: u64, len: usize) -> Result<Vec<u8>, PdfError> {
    let mut buf = vec![0u8; len];
    let n = src.read_at(offset, &mut buf).map_err(PdfError::Io)?;
    buf.truncate(n);
    Ok(buf)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Inflates zlib data, refusing output beyond `cap` bytes.
pub fn inflate(raw: &[u8], cap: u64) -> Result<Vec<u8>, PdfError> {
    let mut z = flate2::read::ZlibDecoder::new(raw).take(cap + 1);
    let mut out = Vec::new();
    z.read_to_end(&mut out)
        .map_err(|e| PdfError::Malformed(format!("compressed stream is damaged: {e}")))?;
    if out.len() as u64 > cap {
        return Err(PdfError::Bomb);
    }
    Ok(out)
}

fn png_unpredict(data: &[u8], columns: i64) -> Result<Vec<u8>, PdfError> {
    let cols = usize::try_from(columns)
        .ok()
        .filter(|&c| (1..=1 << 16).contains(&c))
        .ok_or_else(|| PdfError::Malformed("bad predictor /Columns".into()))?;
    let mut out = Vec::with_capacity(data.len());
    let mut prev = vec![0u8; cols];
    for row in data.chunks(cols + 1) {
        if row.len() != cols + 1 {
            break;
        }
        let (t, bytes) = (row[0], &row[1..]);
        let mut cur = vec![0u8; cols];
        for i in 0..cols {
            let left = if i > 0 { cur[i - 1] } else { 0 };
            let up = prev[i];
            let ul = if i > 0 { prev[i - 1] } else { 0 };
            cur[i] = match t {
                0 => bytes[i],
                1 => bytes[i].wrapping_add(left),
                2 => bytes[i].wrapping_add(up),
                3 => bytes[i].wrapping_add(((u16::from(left) + u16::from(up)) / 2) as u8),
                4 => {
                    let p = i16::from(left) + i16::from(up) - i16::from(ul);
                    let (pa, pb, pc) = (
                        (p - i16::from(left)).abs(),
                        (p - i16::from(up)).abs(),
                        (p - i16::from(ul)).abs(),
                    );
                    let pred = if pa <= pb && pa <= pc {
                        left
                    } else if pb <= pc {
                        up
                    } else {
                        ul
                    };
                    bytes[i].wrapping_add(pred)
                }
                _ => return Err(PdfError::Malformed("bad PNG predictor".into())),
            };
        }
        out.extend_from_slice(&cur);
        prev = cur;
    }
    Ok(out)
}
