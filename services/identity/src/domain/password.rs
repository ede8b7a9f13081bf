//! Password policy and argon2id hashing.

use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use secrecy::{ExposeSecret, SecretString};

pub const RULE: &str = "Kata sandi minimal 10 karakter (maks. 128) dan memuat huruf serta angka, tidak boleh sama dengan e-mail.";

/// A password that meets the policy. Never printed.
#[derive(Debug)]
pub struct Password(SecretString);

impl Password {
    pub fn parse(raw: &str, email: &str) -> Result<Self, String> {
        let n = raw.chars().count();
        let has_letter = raw.chars().any(char::is_alphabetic);
        let has_digit = raw.chars().any(|c| c.is_ascii_digit());
        let local = email.split('@').next().unwrap_or_default();
        let same_as_email = !local.is_empty()
            && (raw.eq_ignore_ascii_case(email) || raw.eq_ignore_ascii_case(local));
        if !(10..=128).contains(&n) || !has_letter || !has_digit || same_as_email {
            return Err(RULE.to_owned());
        }
        Ok(Self(SecretString::from(raw.to_owned())))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

/// Work memory for argon2, reused across hashes by one thread so that memory stays at one
/// block set per hashing thread instead of growing with allocator fragmentation.
pub type Memory = Vec<Block>;

fn memory_for(memory: &mut Memory, params: &Params) {
    let need = params.block_count();
    if memory.len() < need {
        memory.resize(need, Block::new());
    }
}

/// argon2id with the crate's default (OWASP-recommended) parameters, as a PHC string.
pub fn hash(password: &str, memory: &mut Memory) -> Result<String, anyhow::Error> {
    let params = Params::DEFAULT;
    let mut salt = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut salt);
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    memory_for(memory, &params);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password_into_with_memory(
            password.as_bytes(),
            &salt,
            &mut out,
            &mut memory[..params.block_count()],
        )
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))?;
    Ok(format!(
        "$argon2id$v=19$m={},t={},p={}${}${}",
        params.m_cost(),
        params.t_cost(),
        params.p_cost(),
        B64.encode(salt),
        B64.encode(out)
    ))
}

/// Constant-time check of `password` against a stored argon2id PHC string.
pub fn verify(password: &str, phc: &str, memory: &mut Memory) -> bool {
    let Some((params, salt, expected)) = parse_phc(phc) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    memory_for(memory, &params);
    let ok = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password_into_with_memory(
            password.as_bytes(),
            &salt,
            &mut out,
            &mut memory[..params.block_count()],
        )
        .is_ok();
    ok && out
        .iter()
        .zip(&expected)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0
}

/// `$argon2id$v=19$m=..,t=..,p=..$salt$hash` → (params, salt, hash). Refuses anything else,
/// and parameters beyond what we would ever set (a tampered row must not exhaust memory).
fn parse_phc(phc: &str) -> Option<(Params, Vec<u8>, Vec<u8>)> {
    let mut parts = phc.split('$');
    if !parts.next()?.is_empty() || parts.next()? != "argon2id" || parts.next()? != "v=19" {
        return None;
    }
    let (mut m, mut t, mut p) = (None, None, None);
    for kv in parts.next()?.split(',') {
        let (k, v) = kv.split_once('=')?;
        let v: u32 = v.parse().ok()?;
        match k {
            "m" => m = Some(v),
            "t" => t = Some(v),
            "p" => p = Some(v),
            _ => return None,
        }
    }
    let salt = B64.decode(parts.next()?).ok()?;
    let hash = B64.decode(parts.next()?).ok()?;
    if parts.next().is_some()
        || m? > 256 * 1024
        || t? > 16
        || p? > 8
        || !(16..=64).contains(&hash.len())
    {
        return None;
    }
    let params = Params::new(m?, t?, p?, Some(hash.len())).ok()?;
    Some((params, salt, hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_states_its_rule_for_weak_passwords() {
        for weak in [
            "short1",
            "onlyletterslong",
            "1234567890123",
            "budi.santoso1",
        ] {
            assert_eq!(
                Password::parse(weak, "budi.santoso1@bps.go.id").unwrap_err(),
                RULE,
                "{weak}"
            );
        }
        assert!(Password::parse("Demo-Pustaka-1674", "admin@pst.test").is_ok());
    }

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let mut mem = Memory::new();
        let h = hash("Rahasia-Sekali-2024", &mut mem).expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("Rahasia-Sekali-2024", &h, &mut mem));
        assert!(!verify("rahasia-sekali-2024", &h, &mut mem));
        assert!(!verify("anything", "not a hash", &mut mem));
    }

    #[test]
    fn our_hashes_are_standard_phc_strings_other_tools_verify() {
        use argon2::password_hash::PasswordVerifier as _;
        let h = hash("Rahasia-Sekali-2024", &mut Memory::new()).expect("hash");
        assert!(
            Argon2::default()
                .verify_password(b"Rahasia-Sekali-2024", h.as_str())
                .is_ok()
        );
    }

    #[test]
    fn tampered_or_oversized_parameters_are_refused() {
        let mut mem = Memory::new();
        let h = hash("Rahasia-Sekali-2024", &mut mem).expect("hash");
        assert!(!verify(
            "Rahasia-Sekali-2024",
            &h.replace("m=19456", "m=4194304"),
            &mut mem
        ));
        assert!(!verify(
            "Rahasia-Sekali-2024",
            &h.replace("argon2id", "argon2i"),
            &mut mem
        ));
        assert_eq!(mem.len(), 19456, "memory stays at one block set");
    }
}
