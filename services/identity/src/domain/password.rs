//! Password policy and argon2id hashing.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
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

/// argon2id with the crate's default (OWASP-recommended) parameters.
pub fn hash(password: &str) -> Result<String, anyhow::Error> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
}

/// Constant-time check of `password` against a stored PHC string.
pub fn verify(password: &str, phc: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), phc)
        .is_ok()
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
        let h = hash("Rahasia-Sekali-2024").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("Rahasia-Sekali-2024", &h));
        assert!(!verify("rahasia-sekali-2024", &h));
        assert!(!verify("anything", "not a hash"));
    }
}
