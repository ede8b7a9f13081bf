//! Encryption of personal data at rest, e.g. identity-document numbers (AES-256-GCM,
//! random nonce per value), and one-time tokens (random, stored only as SHA-256).

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use rand::RngCore;
use sha2::{Digest, Sha256};

const NONCE_LEN: usize = 12;

#[derive(Clone)]
pub struct DataCipher(Aes256Gcm);

impl std::fmt::Debug for DataCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataCipher(..)")
    }
}

impl DataCipher {
    pub fn new(key: &[u8; 32]) -> Self {
        Self(Aes256Gcm::new(key.into()))
    }

    /// nonce || ciphertext+tag
    pub fn encrypt(&self, plain: &str) -> Result<Vec<u8>, anyhow::Error> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let ct = self
            .0
            .encrypt(Nonce::from_slice(&nonce), plain.as_bytes())
            .map_err(|_| anyhow::anyhow!("encrypting identity number failed"))?;
        Ok([nonce.as_slice(), &ct].concat())
    }

    pub fn decrypt(&self, stored: &[u8]) -> Result<String, anyhow::Error> {
        if stored.len() < NONCE_LEN {
            anyhow::bail!("encrypted value too short");
        }
        let (nonce, ct) = stored.split_at(NONCE_LEN);
        let plain = self
            .0
            .decrypt(Nonce::from_slice(nonce), ct)
            .map_err(|_| anyhow::anyhow!("decrypting identity number failed (wrong data key?)"))?;
        Ok(String::from_utf8(plain)?)
    }
}

/// A new random token (256 bits, URL-safe) and the hash to store.
pub fn new_token() -> (String, Vec<u8>) {
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let token = B64URL.encode(raw);
    let hash = hash_token(&token);
    (token, hash)
}

pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.trim().as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_numbers_round_trip_and_are_not_stored_plain() {
        let c = DataCipher::new(&[3u8; 32]);
        let enc = c.encrypt("3573010101010001").expect("encrypt");
        assert!(!enc.windows(16).any(|w| w == b"3573010101010001"));
        assert_eq!(c.decrypt(&enc).expect("decrypt"), "3573010101010001");
        assert_ne!(
            enc,
            c.encrypt("3573010101010001").expect("encrypt"),
            "nonces differ"
        );
        assert!(DataCipher::new(&[4u8; 32]).decrypt(&enc).is_err());
    }

    #[test]
    fn tokens_are_random_and_hash_stably() {
        let (a, ha) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(hash_token(&a), ha);
        assert_eq!(a.len(), 43);
    }
}

/// A short code people type (kiosk, phone): `len` characters without look-alikes
/// (no 0/O, 1/I). Stored only as [`hash_code`].
pub fn short_code(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    (0..len)
        .map(|_| ALPHABET[(rng.next_u32() as usize) % ALPHABET.len()] as char)
        .collect()
}

/// SHA-256 of a short code, ignoring case and surrounding spaces.
pub fn hash_code(code: &str) -> Vec<u8> {
    Sha256::digest(code.trim().to_ascii_uppercase().as_bytes()).to_vec()
}

#[cfg(test)]
mod code_tests {
    use super::*;

    #[test]
    fn short_codes_avoid_look_alikes_and_hash_case_insensitively() {
        let c = short_code(10);
        assert_eq!(c.len(), 10);
        assert!(!c.contains(['0', 'O', '1', 'I']));
        assert_eq!(hash_code(&c.to_lowercase()), hash_code(&format!(" {c} ")));
    }
}
