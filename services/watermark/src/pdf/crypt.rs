//! The standard security handler, for files protected by an owner password only: they
//! open without a password (the user password is empty), so the file key follows from the
//! file itself. The analysis decrypts what it reads; a stamp encrypts what it adds, with
//! the same key, so the copy stays a valid update of an encrypted file. A file that needs
//! a password to open is refused (`PDF_ENCRYPTED`).
//!
//! Supported: revisions 2–4 (RC4 40–128 bit, AES-128) and 6 (AES-256), as written by
//! Acrobat, qpdf and office suites. Encryption here protects nothing (anyone can open
//! these files); initialisation vectors are derived, not random, so the same copy is the
//! same bytes on every request (reading sessions with ranges).

use aes::cipher::{BlockDecrypt as _, BlockEncrypt as _, KeyInit as _};
use md5::{Digest as _, Md5};
use sha2::{Sha256, Sha384, Sha512};

use super::PdfError;
use super::object::{Dict, Object, Ref};
use super::text::string_value;

/// Padding string of the standard security handler (the empty password, padded).
const PAD: [u8; 32] = [
    0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
    0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Method {
    Rc4,
    Aes128,
    Aes256,
}

/// The key of an encrypted file that opens without a password.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Crypt {
    pub method: Method,
    pub key: Vec<u8>,
    /// Whether the XML metadata stream is encrypted too.
    pub encrypt_metadata: bool,
}

fn unsupported(what: &str) -> PdfError {
    PdfError::Unsupported(format!("encryption: {what}"))
}

fn bytes_of(d: &Dict, key: &[u8]) -> Option<Vec<u8>> {
    match d.get(key) {
        Some(Object::Str(s)) => Some(string_value(s)),
        _ => None,
    }
}

impl Crypt {
    /// The file key from the `/Encrypt` dictionary and the first `/ID` string, with the
    /// empty user password. `Encrypted` when the file needs a password to open.
    pub fn open(enc: &Dict, id0: &[u8]) -> Result<Self, PdfError> {
        if enc.name(b"Filter") != Some(b"Standard") {
            return Err(unsupported("a security handler other than Standard"));
        }
        let v = enc.int(b"V").unwrap_or(0);
        let r = enc.int(b"R").unwrap_or(0);
        let o = bytes_of(enc, b"O").ok_or_else(|| unsupported("no /O"))?;
        let u = bytes_of(enc, b"U").ok_or_else(|| unsupported("no /U"))?;
        let encrypt_metadata = !matches!(enc.get(b"EncryptMetadata"), Some(Object::Bool(false)));
        let method = match v {
            1 | 2 => Method::Rc4,
            4 | 5 => {
                let filter = |k: &[u8]| enc.name(k).unwrap_or(b"Identity").to_vec();
                let (stm, str_) = (filter(b"StmF"), filter(b"StrF"));
                if stm != str_ || stm == b"Identity" {
                    return Err(unsupported(
                        "different or no filters for streams and strings",
                    ));
                }
                let cfm = match enc.get(b"CF") {
                    Some(Object::Dict(cf)) => match cf.get(&stm) {
                        Some(Object::Dict(f)) => f.name(b"CFM").map(<[u8]>::to_vec),
                        _ => None,
                    },
                    _ => None,
                };
                match cfm.as_deref() {
                    Some(b"V2") => Method::Rc4,
                    Some(b"AESV2") => Method::Aes128,
                    Some(b"AESV3") => Method::Aes256,
                    _ => return Err(unsupported("an unknown crypt filter")),
                }
            }
            _ => return Err(unsupported("an unknown version")),
        };
        let key = match (r, method) {
            (2..=4, Method::Rc4 | Method::Aes128) => {
                let p = enc.int(b"P").ok_or_else(|| unsupported("no /P"))? as i32;
                // Key length: 5 bytes in R2; AES-128 keys are 16; otherwise /Length in
                // bits (for V4 the crypt filter's, where writers put bits or bytes).
                let cf_len = match enc.get(b"CF") {
                    Some(Object::Dict(cf)) => match cf.get(b"StdCF") {
                        Some(Object::Dict(f)) => f.int(b"Length"),
                        _ => None,
                    },
                    _ => None,
                };
                let n = match (r, method, v) {
                    (2, _, _) => 5,
                    (_, Method::Aes128, _) => 16,
                    (_, _, 4) => match cf_len.or(enc.int(b"Length")) {
                        Some(l) if l <= 16 => l,
                        Some(l) => l / 8,
                        None => 16,
                    }
                    .clamp(5, 16) as usize,
                    _ => (enc.int(b"Length").unwrap_or(40) / 8).clamp(5, 16) as usize,
                };
                if o.len() < 32 || u.len() < 32 {
                    return Err(unsupported("short /O or /U"));
                }
                let mut h = Md5::new();
                h.update(PAD);
                h.update(&o[..32]);
                h.update(p.to_le_bytes());
                h.update(id0);
                if r >= 4 && !encrypt_metadata {
                    h.update([0xff; 4]);
                }
                let mut hash = h.finalize().to_vec();
                if r >= 3 {
                    for _ in 0..50 {
                        hash = Md5::digest(&hash[..n]).to_vec();
                    }
                }
                let key = hash[..n].to_vec();
                // Algorithms 4 and 5: the empty password opens the file if /U matches.
                let opens = if r == 2 {
                    rc4(&key, &PAD) == u[..32]
                } else {
                    let mut h = Md5::new();
                    h.update(PAD);
                    h.update(id0);
                    let mut x = rc4(&key, &h.finalize());
                    for i in 1..=19u8 {
                        let k: Vec<u8> = key.iter().map(|b| b ^ i).collect();
                        x = rc4(&k, &x);
                    }
                    x[..] == u[..16]
                };
                if !opens {
                    return Err(PdfError::Encrypted);
                }
                key
            }
            (6, Method::Aes256) => {
                let ue = bytes_of(enc, b"UE").ok_or_else(|| unsupported("no /UE"))?;
                if u.len() < 48 || ue.len() != 32 {
                    return Err(unsupported("short /U or /UE"));
                }
                if hash_2b(&u[32..40])[..] != u[..32] {
                    return Err(PdfError::Encrypted);
                }
                let ik = hash_2b(&u[40..48]);
                cbc(&ik, &[0; 16], &ue, false)
            }
            _ => return Err(unsupported("an unsupported revision")),
        };
        Ok(Self {
            method,
            key,
            encrypt_metadata,
        })
    }

    /// The key for the strings and streams of object `obj`.
    fn object_key(&self, obj: Ref) -> Vec<u8> {
        if self.method == Method::Aes256 {
            return self.key.clone();
        }
        let mut h = Md5::new();
        h.update(&self.key);
        h.update(&obj.num.to_le_bytes()[..3]);
        h.update(obj.gen_.to_le_bytes());
        if self.method == Method::Aes128 {
            h.update(b"sAlT");
        }
        let n = (self.key.len() + 5).min(16);
        h.finalize()[..n].to_vec()
    }

    /// A string or stream of object `obj`, decrypted. Damaged AES data gives what could
    /// be decrypted (a viewer's problem, not a reason to refuse).
    pub fn decrypt(&self, obj: Ref, data: &[u8]) -> Vec<u8> {
        let key = self.object_key(obj);
        match self.method {
            Method::Rc4 => rc4(&key, data),
            Method::Aes128 | Method::Aes256 => {
                if data.len() < 32 || !data.len().is_multiple_of(16) {
                    return Vec::new();
                }
                let (iv, body) = data.split_at(16);
                let mut out = cbc(&key, iv, body, false);
                let pad = out.last().copied().unwrap_or(0) as usize;
                if (1..=16).contains(&pad) && pad <= out.len() {
                    out.truncate(out.len() - pad);
                }
                out
            }
        }
    }

    /// `data`, a string or stream of object `obj`, encrypted. The IV (AES) is derived
    /// from the key, the object and the data, so equal inputs give equal bytes.
    pub fn encrypt(&self, obj: Ref, data: &[u8]) -> Vec<u8> {
        let key = self.object_key(obj);
        match self.method {
            Method::Rc4 => rc4(&key, data),
            Method::Aes128 | Method::Aes256 => {
                let mut h = Md5::new();
                h.update(&key);
                h.update(obj.num.to_le_bytes());
                h.update(data);
                let iv = h.finalize();
                let pad = 16 - data.len() % 16;
                let mut padded = data.to_vec();
                padded.extend(std::iter::repeat_n(pad as u8, pad));
                let mut out = iv.to_vec();
                out.extend(cbc(&key, &iv, &padded, true));
                out
            }
        }
    }

    /// Whether a stream with dictionary `d` is encrypted (cross-reference streams never
    /// are; the metadata stream only when `/EncryptMetadata` is not false).
    pub fn covers(&self, d: &Dict) -> bool {
        match d.name(b"Type") {
            Some(b"XRef") => false,
            Some(b"Metadata") => self.encrypt_metadata,
            _ => true,
        }
    }

    /// A streaming decryptor for the data of object `obj` (inflating without holding a
    /// whole stream). Padding is left in: the deflate data ends before it.
    pub fn reader<R: std::io::Read>(&self, obj: Ref, inner: R) -> DecryptReader<R> {
        let key = self.object_key(obj);
        DecryptReader {
            inner,
            state: match self.method {
                Method::Rc4 => Cipher::Rc4(Rc4::new(&key)),
                Method::Aes128 | Method::Aes256 => Cipher::Cbc {
                    key,
                    prev: None,
                    pending: Vec::new(),
                },
            },
        }
    }
}

/// `data`, a string or stream of object `obj`, as the file needs it: encrypted when the
/// file is, as it is otherwise.
pub fn seal(crypt: Option<&Crypt>, obj: Ref, data: &[u8]) -> Vec<u8> {
    match crypt {
        Some(c) => c.encrypt(obj, data),
        None => data.to_vec(),
    }
}

/// Algorithm 2.B of ISO 32000-2 for the empty password and no user data.
fn hash_2b(salt: &[u8]) -> [u8; 32] {
    let mut k: Vec<u8> = Sha256::digest(salt).to_vec();
    let mut round = 0usize;
    loop {
        let k1 = k.repeat(64);
        let e = cbc(&k[..16], &k[16..32], &k1, true);
        let sum: u32 = e[..16].iter().map(|&b| u32::from(b)).sum();
        k = match sum % 3 {
            0 => Sha256::digest(&e).to_vec(),
            1 => Sha384::digest(&e).to_vec(),
            _ => Sha512::digest(&e).to_vec(),
        };
        round += 1;
        if round >= 64 && usize::from(*e.last().unwrap_or(&0)) + 32 <= round {
            break;
        }
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(&k[..32]);
    out
}

/// AES-CBC without padding over whole blocks (key of 16 or 32 bytes).
fn cbc(key: &[u8], iv: &[u8], data: &[u8], encrypt: bool) -> Vec<u8> {
    let mut prev: [u8; 16] = iv[..16].try_into().unwrap_or([0; 16]);
    let mut out = Vec::with_capacity(data.len());
    let mut block = |cipher: &dyn Fn(&mut [u8; 16]), chunk: &[u8]| {
        let mut b: [u8; 16] = chunk.try_into().unwrap_or([0; 16]);
        if encrypt {
            b.iter_mut().zip(prev).for_each(|(x, p)| *x ^= p);
            cipher(&mut b);
            prev = b;
            out.extend_from_slice(&b);
        } else {
            let c = b;
            cipher(&mut b);
            b.iter_mut().zip(prev).for_each(|(x, p)| *x ^= p);
            prev = c;
            out.extend_from_slice(&b);
        }
    };
    let aes = Aes::new(key);
    data.chunks_exact(16)
        .for_each(|c| block(&|b: &mut [u8; 16]| aes.apply(b, encrypt), c));
    out
}

/// AES with a 32-byte key (AES-256) or else the first 16 bytes (AES-128).
enum Aes {
    A128(Box<aes::Aes128>),
    A256(Box<aes::Aes256>),
}

impl Aes {
    fn new(key: &[u8]) -> Self {
        match aes::Aes256::new_from_slice(key) {
            Ok(a) => Self::A256(Box::new(a)),
            Err(_) => {
                let mut k = [0u8; 16];
                let n = key.len().min(16);
                k[..n].copy_from_slice(&key[..n]);
                Self::A128(Box::new(aes::Aes128::new(&k.into())))
            }
        }
    }

    fn apply(&self, b: &mut [u8; 16], encrypt: bool) {
        let g = aes::Block::from_mut_slice(b);
        match (self, encrypt) {
            (Self::A128(a), true) => a.encrypt_block(g),
            (Self::A128(a), false) => a.decrypt_block(g),
            (Self::A256(a), true) => a.encrypt_block(g),
            (Self::A256(a), false) => a.decrypt_block(g),
        }
    }
}

struct Rc4 {
    s: [u8; 256],
    i: u8,
    j: u8,
}

impl Rc4 {
    fn new(key: &[u8]) -> Self {
        // Keys are never empty here; a stored plan altered by hand must not panic.
        let key = if key.is_empty() { &[0u8][..] } else { key };
        let mut s = [0u8; 256];
        for (i, v) in s.iter_mut().enumerate() {
            *v = i as u8;
        }
        let mut j = 0u8;
        for i in 0..256 {
            j = j.wrapping_add(s[i]).wrapping_add(key[i % key.len()]);
            s.swap(i, j as usize);
        }
        Self { s, i: 0, j: 0 }
    }

    fn apply(&mut self, data: &mut [u8]) {
        for b in data {
            self.i = self.i.wrapping_add(1);
            self.j = self.j.wrapping_add(self.s[self.i as usize]);
            self.s.swap(self.i as usize, self.j as usize);
            let k = self.s[self.s[self.i as usize].wrapping_add(self.s[self.j as usize]) as usize];
            *b ^= k;
        }
    }
}

fn rc4(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut out = data.to_vec();
    Rc4::new(key).apply(&mut out);
    out
}

enum Cipher {
    Rc4(Rc4),
    Cbc {
        key: Vec<u8>,
        /// The previous ciphertext block (the IV first); none until 16 bytes are read.
        prev: Option<[u8; 16]>,
        /// Decrypted bytes not handed out yet.
        pending: Vec<u8>,
    },
}

/// See [`Crypt::reader`].
pub struct DecryptReader<R> {
    inner: R,
    state: Cipher,
}

impl<R: std::io::Read> std::io::Read for DecryptReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match &mut self.state {
            Cipher::Rc4(c) => {
                let n = self.inner.read(buf)?;
                c.apply(&mut buf[..n]);
                Ok(n)
            }
            Cipher::Cbc { key, prev, pending } => {
                // Whole blocks, up to 64 KiB at a time (one key schedule per piece).
                while pending.is_empty() {
                    let mut chunk = vec![0u8; 64 * 1024];
                    let mut got = 0;
                    while got < chunk.len() {
                        let n = self.inner.read(&mut chunk[got..])?;
                        if n == 0 {
                            break;
                        }
                        got += n;
                    }
                    chunk.truncate(got - got % 16);
                    if chunk.is_empty() {
                        return Ok(0);
                    }
                    let body = match prev {
                        None => {
                            let iv: [u8; 16] = chunk[..16].try_into().unwrap_or([0; 16]);
                            *prev = Some(iv);
                            chunk.split_off(16)
                        }
                        Some(_) => chunk,
                    };
                    if let (Some(iv), Some(last)) = (prev.as_mut(), body.rchunks_exact(16).next()) {
                        let next: [u8; 16] = last.try_into().unwrap_or([0; 16]);
                        *pending = cbc(key, iv, &body, false);
                        *iv = next;
                    }
                }
                let n = buf.len().min(pending.len());
                buf[..n].copy_from_slice(&pending[..n]);
                pending.drain(..n);
                Ok(n)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rc4_matches_the_published_test_vector() {
        // RFC 6229-style classic vector: key "Key", plaintext "Plaintext".
        assert_eq!(
            rc4(b"Key", b"Plaintext"),
            [0xBB, 0xF3, 0x16, 0xE8, 0xD9, 0x40, 0xAF, 0x0A, 0xD3]
        );
    }

    #[test]
    fn encrypting_then_decrypting_gives_the_data_back_and_the_same_bytes_each_time() {
        for method in [Method::Rc4, Method::Aes128, Method::Aes256] {
            let c = Crypt {
                method,
                key: (0..if method == Method::Aes256 { 32 } else { 16 }).collect(),
                encrypt_metadata: true,
            };
            let obj = Ref { num: 12, gen_: 0 };
            // Past one 64 KiB piece of the streaming reader, not a whole number of them.
            let big: Vec<u8> = (0..200_003u32).map(|i| (i * 7) as u8).collect();
            for data in [&b""[..], b"q\n", &[7u8; 100][..], &big[..]] {
                let e = c.encrypt(obj, data);
                assert_eq!(c.encrypt(obj, data), e, "{method:?}: deterministic");
                assert_eq!(c.decrypt(obj, &e), data, "{method:?}");
                // The streaming reader gives the same (padding aside).
                let mut out = Vec::new();
                std::io::Read::read_to_end(&mut c.reader(obj, &e[..]), &mut out).unwrap();
                assert!(out.starts_with(data), "{method:?} streamed");
                // Another object's key does not decrypt it.
                if !data.is_empty() && method != Method::Aes256 {
                    assert_ne!(c.decrypt(Ref { num: 13, gen_: 0 }, &e), data);
                }
            }
        }
    }

    #[test]
    fn hostile_encryption_dictionaries_are_refused_without_panicking() {
        use super::super::object::Parser;
        let dict = |src: &str| match Parser::new(src.as_bytes()).object() {
            Ok(Object::Dict(d)) => d,
            other => panic!("{src}: {other:?}"),
        };
        let o = format!("<{}>", "00".repeat(32));
        for src in [
            "<<>>".to_owned(),
            "<</Filter/Other/V 2/R 3>>".to_owned(),
            format!("<</Filter/Standard/V 2/R 3/O {o}/U <00>/P -4>>"),
            format!("<</Filter/Standard/V 2/R 3/O {o}/U {o}/P -4/Length 99999>>"),
            format!("<</Filter/Standard/V 2/R 6/O {o}/U {o}/P -4>>"),
            format!("<</Filter/Standard/V 4/R 4/O {o}/U {o}/P -4/StmF/StdCF/StrF/StdCF>>"),
            format!(
                "<</Filter/Standard/V 5/R 6/O {o}/U {o}/UE <00>/P -4/CF<</StdCF<</CFM/AESV3>>>>/StmF/StdCF/StrF/StdCF>>"
            ),
            format!("<</Filter/Standard/V 2/R 3/O {o}/U {o}/P 99999999999>>"),
        ] {
            assert!(Crypt::open(&dict(&src), b"").is_err(), "{src}");
        }
    }
}
