//! PDF objects: a small parser and serialiser for what the stamping needs.
//!
//! Numbers with a fraction and strings are kept as the exact bytes of the file, so an
//! object written back (a page dictionary with a new `/Contents`) reads the same as
//! before. Nesting is bounded, so a hostile file cannot overflow the stack.

use std::fmt::Write as _;

/// Deepest nesting of arrays and dictionaries accepted.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    Null,
    Bool(bool),
    Int(i64),
    /// A number with a fraction, as written in the file.
    Real(Vec<u8>),
    /// A name without its leading slash, as written (with any `#xx` escapes).
    Name(Vec<u8>),
    /// A string token as written, with its delimiters: `(...)` or `<...>`.
    Str(Vec<u8>),
    Array(Vec<Object>),
    Dict(Dict),
    Ref(Ref),
}

/// An indirect reference: object number and generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ref {
    pub num: u32,
    pub gen_: u16,
}

/// A dictionary in file order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dict(pub Vec<(Vec<u8>, Object)>);

impl Dict {
    pub fn get(&self, key: &[u8]) -> Option<&Object> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn set(&mut self, key: &[u8], value: Object) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key.to_vec(), value)),
        }
    }

    pub fn remove(&mut self, key: &[u8]) {
        self.0.retain(|(k, _)| k != key);
    }

    pub fn name(&self, key: &[u8]) -> Option<&[u8]> {
        match self.get(key) {
            Some(Object::Name(n)) => Some(n),
            _ => None,
        }
    }

    pub fn int(&self, key: &[u8]) -> Option<i64> {
        match self.get(key) {
            Some(Object::Int(i)) => Some(*i),
            _ => None,
        }
    }

    pub fn reference(&self, key: &[u8]) -> Option<Ref> {
        match self.get(key) {
            Some(Object::Ref(r)) => Some(*r),
            _ => None,
        }
    }
}

impl Object {
    pub fn as_dict(&self) -> Option<&Dict> {
        match self {
            Object::Dict(d) => Some(d),
            _ => None,
        }
    }

    /// A number's value (integer or real).
    pub fn number(&self) -> Option<f64> {
        match self {
            Object::Int(i) => Some(*i as f64),
            Object::Real(r) => std::str::from_utf8(r).ok()?.parse().ok(),
            _ => None,
        }
    }

    /// Writes the object in PDF syntax.
    pub fn write(&self, out: &mut Vec<u8>) {
        match self {
            Object::Null => out.extend_from_slice(b"null"),
            Object::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Object::Int(i) => {
                let mut s = String::new();
                let _ = write!(s, "{i}");
                out.extend_from_slice(s.as_bytes());
            }
            Object::Real(r) | Object::Str(r) => out.extend_from_slice(r),
            Object::Name(n) => {
                out.push(b'/');
                out.extend_from_slice(n);
            }
            Object::Array(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b' ');
                    }
                    item.write(out);
                }
                out.push(b']');
            }
            Object::Dict(d) => d.write(out),
            Object::Ref(r) => {
                let mut s = String::new();
                let _ = write!(s, "{} {} R", r.num, r.gen_);
                out.extend_from_slice(s.as_bytes());
            }
        }
    }

    /// Calls `f` on every name anywhere inside the object.
    pub fn visit_names(&self, f: &mut impl FnMut(&[u8])) {
        match self {
            Object::Name(n) => f(n),
            Object::Array(items) => items.iter().for_each(|i| i.visit_names(f)),
            Object::Dict(d) => {
                for (k, v) in &d.0 {
                    f(k);
                    v.visit_names(f);
                }
            }
            _ => {}
        }
    }
}

impl Dict {
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"<<");
        for (k, v) in &self.0 {
            out.push(b'/');
            out.extend_from_slice(k);
            out.push(b' ');
            v.write(out);
        }
        out.extend_from_slice(b">>");
    }
}

/// Why bytes did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyntaxError {
    /// The bytes ended inside an object: a larger window may complete it.
    Eof,
    /// Anything else, with the offset (within the parsed slice).
    Bad(usize, &'static str),
}

pub fn is_white(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(b: u8) -> bool {
    !is_white(b) && !is_delim(b)
}

/// A cursor over bytes that reads PDF tokens and objects.
pub struct Parser<'a> {
    pub bytes: &'a [u8],
    pub pos: usize,
}

impl<'a> Parser<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, pos: 0 }
    }

    pub fn at(bytes: &'a [u8], pos: usize) -> Self {
        Self { bytes, pos }
    }

    fn bad(&self, why: &'static str) -> SyntaxError {
        SyntaxError::Bad(self.pos, why)
    }

    /// Skips white space and comments.
    pub fn skip_ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(&c) = self.bytes.get(self.pos) {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn peek(&self) -> Result<u8, SyntaxError> {
        self.bytes.get(self.pos).copied().ok_or(SyntaxError::Eof)
    }

    /// Reads a run of regular characters (a keyword or number) after white space.
    pub fn word(&mut self) -> Result<&'a [u8], SyntaxError> {
        self.skip_ws();
        let start = self.pos;
        while self.bytes.get(self.pos).is_some_and(|&b| is_regular(b)) {
            self.pos += 1;
        }
        if self.pos == self.bytes.len() {
            return Err(SyntaxError::Eof);
        }
        if start == self.pos {
            return Err(self.bad("expected a keyword or number"));
        }
        Ok(&self.bytes[start..self.pos])
    }

    /// Expects `keyword` next.
    pub fn keyword(&mut self, keyword: &[u8]) -> Result<(), SyntaxError> {
        let w = self.word()?;
        if w == keyword {
            Ok(())
        } else {
            Err(self.bad("unexpected keyword"))
        }
    }

    /// Reads an unsigned integer word.
    pub fn uint(&mut self) -> Result<u64, SyntaxError> {
        let w = self.word()?;
        parse_uint(w).ok_or_else(|| self.bad("expected an integer"))
    }

    pub fn object(&mut self) -> Result<Object, SyntaxError> {
        self.object_at_depth(0)
    }

    fn object_at_depth(&mut self, depth: usize) -> Result<Object, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.bad("objects nested too deeply"));
        }
        self.skip_ws();
        let b = self.peek()?;
        match b {
            b'/' => {
                self.pos += 1;
                let start = self.pos;
                while self.bytes.get(self.pos).is_some_and(|&b| is_regular(b)) {
                    self.pos += 1;
                }
                if self.pos == self.bytes.len() {
                    return Err(SyntaxError::Eof);
                }
                Ok(Object::Name(self.bytes[start..self.pos].to_vec()))
            }
            b'(' => self.literal_string(),
            b'<' => {
                if self.bytes.get(self.pos + 1) == Some(&b'<') {
                    self.pos += 2;
                    let mut dict = Dict::default();
                    loop {
                        self.skip_ws();
                        match self.peek()? {
                            b'>' => {
                                if self.bytes.get(self.pos + 1) == Some(&b'>') {
                                    self.pos += 2;
                                    return Ok(Object::Dict(dict));
                                }
                                return Err(self.bad("malformed dictionary end"));
                            }
                            b'/' => {
                                let Object::Name(key) = self.object_at_depth(depth + 1)? else {
                                    return Err(self.bad("dictionary key"));
                                };
                                let value = self.object_at_depth(depth + 1)?;
                                // A null value means the key is absent.
                                if value != Object::Null {
                                    dict.0.push((key, value));
                                }
                            }
                            _ => return Err(self.bad("dictionary key must be a name")),
                        }
                    }
                }
                let start = self.pos;
                self.pos += 1;
                loop {
                    let c = self.peek()?;
                    self.pos += 1;
                    if c == b'>' {
                        break;
                    }
                    if !(c.is_ascii_hexdigit() || is_white(c)) {
                        return Err(self.bad("bad hex string"));
                    }
                }
                Ok(Object::Str(self.bytes[start..self.pos].to_vec()))
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    if self.peek()? == b']' {
                        self.pos += 1;
                        return Ok(Object::Array(items));
                    }
                    items.push(self.object_at_depth(depth + 1)?);
                }
            }
            b'+' | b'-' | b'.' | b'0'..=b'9' => self.number_or_ref(),
            _ => {
                let w = self.word()?;
                match w {
                    b"true" => Ok(Object::Bool(true)),
                    b"false" => Ok(Object::Bool(false)),
                    b"null" => Ok(Object::Null),
                    _ => Err(self.bad("unknown token")),
                }
            }
        }
    }

    fn literal_string(&mut self) -> Result<Object, SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut level = 1usize;
        while level > 0 {
            let c = self.peek()?;
            self.pos += 1;
            match c {
                b'\\' => {
                    self.peek()?;
                    self.pos += 1;
                }
                b'(' => level += 1,
                b')' => level -= 1,
                _ => {}
            }
        }
        Ok(Object::Str(self.bytes[start..self.pos].to_vec()))
    }

    fn number_or_ref(&mut self) -> Result<Object, SyntaxError> {
        let w = self.word()?;
        let Some(n) = parse_uint(w) else {
            if let Ok(i) = std::str::from_utf8(w).unwrap_or("x").parse::<i64>() {
                return Ok(Object::Int(i));
            }
            let valid = w
                .iter()
                .all(|&c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+'));
            if !valid {
                return Err(self.bad("bad number"));
            }
            return Ok(Object::Real(w.to_vec()));
        };
        // `n g R`?
        let save = self.pos;
        if let Ok(g) = self.word()
            && let Some(g) = parse_uint(g)
            && let Ok(r) = self.word()
            && r == b"R"
            && let (Ok(num), Ok(gen_)) = (u32::try_from(n), u16::try_from(g))
        {
            return Ok(Object::Ref(Ref { num, gen_ }));
        }
        self.pos = save;
        i64::try_from(n)
            .map(Object::Int)
            .map_err(|_| self.bad("number too large"))
    }
}

pub fn parse_uint(w: &[u8]) -> Option<u64> {
    if w.is_empty() || w.len() > 18 || !w.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(w).ok()?.parse().ok()
}

/// Escapes text as a PDF literal string `( ... )`, keeping bytes as they are (the
/// caller chooses the encoding).
pub fn literal(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 2);
    out.push(b'(');
    for &b in text {
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        if b == b'\r' || b == b'\n' {
            out.push(b' ');
        } else {
            out.push(b);
        }
    }
    out.push(b')');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(src: &str) -> String {
        let o = Parser::new(src.as_bytes()).object().unwrap();
        let mut out = Vec::new();
        o.write(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn objects_round_trip() {
        assert_eq!(
            round_trip(
                "<< /Type /Page /MediaBox [0 0 595.28 841.89] /Contents 4 0 R /X (a\\)b) /H <41 42> /N null >> "
            ),
            "<</Type /Page/MediaBox [0 0 595.28 841.89]/Contents 4 0 R/X (a\\)b)/H <41 42>>>"
        );
        assert_eq!(round_trip("[1 2 R 3] "), "[1 2 R 3]");
        assert_eq!(round_trip("[-1 +2 .5] "), "[-1 2 .5]");
    }

    #[test]
    fn truncated_input_is_eof_and_garbage_is_bad() {
        assert_eq!(Parser::new(b"<< /A [1 2").object(), Err(SyntaxError::Eof));
        assert!(matches!(
            Parser::new(b"<< 1 2 >> ").object(),
            Err(SyntaxError::Bad(..))
        ));
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(matches!(
            Parser::new(deep.as_bytes()).object(),
            Err(SyntaxError::Bad(_, "objects nested too deeply"))
        ));
    }

    #[test]
    fn literal_escapes_delimiters() {
        assert_eq!(literal(b"a(b)\\c"), b"(a\\(b\\)\\\\c)".to_vec());
    }
}
