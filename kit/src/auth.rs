//! Access tokens: EdDSA-signed JWTs that identity issues and every service verifies
//! locally with the public key, and the caller (user, role, office) taken from gRPC
//! metadata. Authorisation is decided by each service with [`Caller`], never only at the
//! gateway.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::AppError;

/// The roles of PST Pustaka.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Visitor,
    FrontOffice,
    Librarian,
    Supervisor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Visitor,
        Role::FrontOffice,
        Role::Librarian,
        Role::Supervisor,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Visitor => "visitor",
            Role::FrontOffice => "front_office",
            Role::Librarian => "librarian",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Visitor)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                "Peran harus salah satu dari: visitor, front_office, librarian, supervisor, admin."
                    .to_owned()
            })
    }
}

/// What an access token says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<String>,
    pub iss: String,
    pub iat: i64,
    pub exp: i64,
    /// The session (refresh-token family) the token belongs to: logout revokes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<Uuid>,
    /// `iat` in milliseconds: a revocation and a new sign-in in the same second are told
    /// apart (0 in older tokens).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub iat_ms: i64,
}

fn is_zero(v: &i64) -> bool {
    *v == 0
}

impl Claims {
    /// When the token was issued, in milliseconds.
    pub fn issued_ms(&self) -> i64 {
        if self.iat_ms > 0 {
            self.iat_ms
        } else {
            self.iat.saturating_mul(1000)
        }
    }
}

/// The authenticated caller of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user_id: Uuid,
    pub role: Role,
    pub office: Option<String>,
}

impl Caller {
    /// Requires one of `roles`.
    pub fn require_role(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(AppError::forbidden(
                "Anda tidak memiliki hak akses untuk tindakan ini.",
            ))
        }
    }

    /// Requires one of `roles` in `office` (admins may act in any office).
    pub fn require_role_in_office(&self, roles: &[Role], office: &str) -> Result<(), AppError> {
        self.require_role(roles)?;
        if self.role == Role::Admin || self.office.as_deref() == Some(office) {
            Ok(())
        } else {
            Err(AppError::forbidden(
                "Anda hanya dapat bertindak untuk satker Anda sendiri.",
            ))
        }
    }
}

/// Signs access tokens (identity service only).
#[derive(Clone)]
pub struct TokenSigner {
    key: EncodingKey,
    issuer: String,
    ttl_secs: u32,
}

impl fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSigner")
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

/// PKCS#8 v1 DER prefix of an Ed25519 private key; the 32-byte seed follows it.
const ED25519_PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

impl TokenSigner {
    pub fn from_seed(seed: &[u8; 32], issuer: &str, ttl_secs: u32) -> Self {
        let mut der = ED25519_PKCS8_PREFIX.to_vec();
        der.extend_from_slice(seed);
        Self {
            key: EncodingKey::from_ed_der(&der),
            issuer: issuer.to_owned(),
            ttl_secs,
        }
    }

    pub fn ttl_secs(&self) -> u32 {
        self.ttl_secs
    }

    pub fn sign(
        &self,
        user_id: Uuid,
        role: Role,
        office: Option<String>,
    ) -> Result<String, AppError> {
        self.sign_session(user_id, role, office, None)
    }

    /// An access token of one session (refresh-token family), so that logging out of it
    /// ends this token too (see [`crate::revocation`]).
    pub fn sign_session(
        &self,
        user_id: Uuid,
        role: Role,
        office: Option<String>,
        sid: Option<Uuid>,
    ) -> Result<String, AppError> {
        let at = chrono::Utc::now();
        let now = at.timestamp();
        let claims = Claims {
            sub: user_id,
            role,
            office,
            iss: self.issuer.clone(),
            iat: now,
            exp: now + i64::from(self.ttl_secs),
            sid,
            iat_ms: at.timestamp_millis(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::EdDSA), &claims, &self.key)
            .map_err(|e| AppError::internal(anyhow::anyhow!("signing token: {e}")))
    }
}

/// The audience of a visit card ("kartu kunjungan"): never accepted as an access token
/// (access tokens carry no audience, and a token with one fails their validation).
pub const VISIT_CARD_AUDIENCE: &str = "kartu-kunjungan";

/// A visitor's short-lived card, shown as a QR code on their phone and scanned at the
/// front office: it links a walk-in visit to the account and prefills the guest book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitCard {
    pub sub: Uuid,
    pub aud: String,
    pub iss: String,
    pub iat: i64,
    pub exp: i64,
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub occupation: String,
    #[serde(default)]
    pub institution: String,
}

/// What a visit card says about its holder.
#[derive(Debug, Clone, Default)]
pub struct CardHolder<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub occupation: &'a str,
    pub institution: &'a str,
}

impl TokenSigner {
    /// A visit card valid for `ttl_secs`.
    pub fn sign_visit_card(
        &self,
        user_id: Uuid,
        holder: &CardHolder<'_>,
        ttl_secs: i64,
    ) -> Result<(String, i64), AppError> {
        let now = chrono::Utc::now().timestamp();
        let card = VisitCard {
            sub: user_id,
            aud: VISIT_CARD_AUDIENCE.to_owned(),
            iss: self.issuer.clone(),
            iat: now,
            exp: now + ttl_secs,
            name: holder.name.to_owned(),
            email: holder.email.to_owned(),
            phone: holder.phone.to_owned(),
            occupation: holder.occupation.to_owned(),
            institution: holder.institution.to_owned(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::EdDSA), &card, &self.key)
            .map_err(|e| AppError::internal(anyhow::anyhow!("signing visit card: {e}")))?;
        Ok((token, card.exp))
    }
}

/// The raw Ed25519 public key of a seed.
pub fn public_key_of(seed: &[u8; 32]) -> [u8; 32] {
    ed25519_dalek::SigningKey::from_bytes(seed)
        .verifying_key()
        .to_bytes()
}

/// Verifies access tokens locally with the identity public key.
#[derive(Clone)]
pub struct TokenVerifier {
    key: DecodingKey,
    validation: Validation,
}

impl fmt::Debug for TokenVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenVerifier").finish_non_exhaustive()
    }
}

impl TokenVerifier {
    pub fn new(public_key: &[u8; 32], issuer: &str) -> Self {
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[issuer]);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        Self {
            key: DecodingKey::from_ed_der(public_key),
            validation,
        }
    }

    /// From the base64 public key in the settings.
    pub fn from_settings(auth: &crate::config::AuthSettings) -> anyhow::Result<Self> {
        let key = crate::secrets::decode_key32(&auth.public_key)
            .map_err(|e| anyhow::anyhow!("auth.public_key (PST_AUTH__PUBLIC_KEY): {e}"))?;
        Ok(Self::new(&key, &auth.issuer))
    }

    pub fn verify(&self, token: &str) -> Result<Claims, AppError> {
        jsonwebtoken::decode::<Claims>(token, &self.key, &self.validation)
            .map(|d| d.claims)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => AppError::Unauthenticated {
                    code: "TOKEN_EXPIRED",
                    detail: "Sesi Anda telah berakhir; silakan masuk kembali.".into(),
                },
                _ => AppError::Unauthenticated {
                    code: "TOKEN_INVALID",
                    detail: "Token akses tidak valid.".into(),
                },
            })
    }

    /// A visit card scanned at the front office (signature, issuer, audience, expiry).
    pub fn verify_visit_card(&self, token: &str) -> Result<VisitCard, AppError> {
        let mut validation = self.validation.clone();
        validation.set_audience(&[VISIT_CARD_AUDIENCE]);
        jsonwebtoken::decode::<VisitCard>(token.trim(), &self.key, &validation)
            .map(|d| d.claims)
            .map_err(|e| {
                let detail = match e.kind() {
                    jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                        "Kartu kunjungan sudah kedaluwarsa; minta pengunjung membuka kartunya kembali."
                    }
                    _ => "Kartu kunjungan tidak valid; pindai ulang.",
                };
                AppError::field("visit_card", detail)
            })
    }

    /// The caller of a gRPC request, from its `authorization: Bearer` metadata.
    pub fn caller<T>(&self, req: &tonic::Request<T>) -> Result<Caller, AppError> {
        self.optional_caller(req)?.ok_or_else(|| {
            AppError::unauthenticated("Silakan masuk terlebih dahulu (token akses tidak ada).")
        })
    }

    /// Like [`TokenVerifier::caller`], but an absent token is an anonymous caller; a bad
    /// token is still an error.
    pub fn optional_caller<T>(&self, req: &tonic::Request<T>) -> Result<Option<Caller>, AppError> {
        let Some(value) = req.metadata().get("authorization") else {
            return Ok(None);
        };
        let value = value
            .to_str()
            .map_err(|_| AppError::unauthenticated("Header otorisasi tidak valid."))?;
        let token = value.strip_prefix("Bearer ").ok_or_else(|| {
            AppError::unauthenticated("Header otorisasi harus berbentuk 'Bearer <token>'.")
        })?;
        let claims = self.verify(token.trim())?;
        Ok(Some(Caller {
            user_id: claims.sub,
            role: claims.role,
            office: claims.office,
        }))
    }
}

/// Base64 of a public key, as served by identity's GetPublicKey.
pub fn encode_key(key: &[u8; 32]) -> String {
    B64.encode(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> (TokenSigner, TokenVerifier) {
        let seed = [7u8; 32];
        (
            TokenSigner::from_seed(&seed, "pst-identity", 900),
            TokenVerifier::new(&public_key_of(&seed), "pst-identity"),
        )
    }

    #[test]
    fn a_signed_token_verifies_with_the_public_key() {
        let (signer, verifier) = pair();
        let id = Uuid::new_v4();
        let token = signer
            .sign(id, Role::FrontOffice, Some("1674".into()))
            .expect("sign");
        let claims = verifier.verify(&token).expect("verify");
        assert_eq!(claims.sub, id);
        assert_eq!(claims.role, Role::FrontOffice);
        assert_eq!(claims.office.as_deref(), Some("1674"));
    }

    #[test]
    fn a_token_from_another_key_or_tampered_is_rejected() {
        let (signer, _) = pair();
        let other = TokenVerifier::new(&public_key_of(&[8u8; 32]), "pst-identity");
        let token = signer
            .sign(Uuid::new_v4(), Role::Admin, None)
            .expect("sign");
        assert_eq!(other.verify(&token).unwrap_err().code(), "TOKEN_INVALID");
        let (_, verifier) = pair();
        let mut tampered = token.clone();
        tampered.insert(tampered.len() / 2, 'x');
        assert!(verifier.verify(&tampered).is_err());
    }

    #[test]
    fn a_visit_card_is_not_an_access_token_and_an_access_token_is_not_a_card() {
        let (signer, verifier) = pair();
        let user = Uuid::new_v4();
        let holder = CardHolder {
            name: "Sari",
            email: "sari@example.id",
            ..CardHolder::default()
        };
        let (card, exp) = signer.sign_visit_card(user, &holder, 600).expect("card");
        let read = verifier.verify_visit_card(&card).expect("valid card");
        assert_eq!(
            (read.sub, read.name.as_str(), read.exp),
            (user, "Sari", exp)
        );
        assert!(
            verifier.verify(&card).is_err(),
            "a card never signs anyone in"
        );
        let access = signer.sign(user, Role::Visitor, None).expect("sign");
        assert!(
            verifier.verify_visit_card(&access).is_err(),
            "an access token is no card"
        );
        let (old, _) = signer.sign_visit_card(user, &holder, -60).expect("card");
        assert!(
            verifier.verify_visit_card(&old).is_err(),
            "an expired card is refused"
        );
    }

    #[test]
    fn an_expired_token_is_reported_as_expired() {
        let seed = [9u8; 32];
        let verifier = TokenVerifier::new(&public_key_of(&seed), "pst-identity");
        let mut der = ED25519_PKCS8_PREFIX.to_vec();
        der.extend_from_slice(&seed);
        let claims = Claims {
            sub: Uuid::new_v4(),
            role: Role::Visitor,
            office: None,
            iss: "pst-identity".into(),
            iat: 0,
            exp: 1000,
            sid: None,
            iat_ms: 0,
        };
        let token = jsonwebtoken::encode(
            &Header::new(Algorithm::EdDSA),
            &claims,
            &EncodingKey::from_ed_der(&der),
        )
        .expect("encode");
        assert_eq!(verifier.verify(&token).unwrap_err().code(), "TOKEN_EXPIRED");
    }

    #[test]
    fn office_rules_let_admins_act_anywhere_and_staff_only_at_home() {
        let fo = Caller {
            user_id: Uuid::new_v4(),
            role: Role::FrontOffice,
            office: Some("1674".into()),
        };
        assert!(
            fo.require_role_in_office(&[Role::FrontOffice], "1674")
                .is_ok()
        );
        assert!(
            fo.require_role_in_office(&[Role::FrontOffice], "1671")
                .is_err()
        );
        assert!(fo.require_role(&[Role::Supervisor]).is_err());
        let admin = Caller {
            user_id: Uuid::new_v4(),
            role: Role::Admin,
            office: None,
        };
        assert!(admin.require_role_in_office(&[Role::Admin], "1671").is_ok());
    }
}
