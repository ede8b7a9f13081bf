//! The identity use cases, independent of gRPC: each takes validated input and the caller,
//! checks authorisation itself, and runs its writes in one transaction.

mod admin;
mod profile;
mod session;

use sqlx::PgPool;

use pst_kit::AppError;
use pst_kit::auth::{TokenSigner, TokenVerifier};
use pst_kit::config::IdentitySettings;

use crate::store::users::UserRow;
use pst_kit::crypto::DataCipher;
use pst_kit::mail::Mailer;

pub use admin::{AuditPage, AuditQuery, StaffPage};
pub use profile::ProfileInput;
pub use session::Tokens;

/// Largest page a list call may ask for.
pub const MAX_PAGE: u32 = 200;
pub const DEFAULT_PAGE: u32 = 50;

#[derive(Debug)]
pub struct Identity {
    pub(crate) pool: PgPool,
    pub(crate) signer: TokenSigner,
    pub(crate) verifier: TokenVerifier,
    pub(crate) public_key: [u8; 32],
    pub(crate) cipher: DataCipher,
    pub(crate) mailer: Mailer,
    pub(crate) limits: IdentitySettings,
    pub(crate) refresh_ttl_secs: u32,
    pub(crate) public_url: String,
    /// Verified against when the e-mail is unknown, so that answer takes as long as a
    /// wrong password.
    pub(crate) dummy_hash: String,
    pub(crate) hasher: crate::hashing::HashPool,
    /// Where ended sessions and accounts are announced to every service.
    pub(crate) revocations: pst_kit::revocation::Revocations,
}

impl Identity {
    pub fn verifier(&self) -> &TokenVerifier {
        &self.verifier
    }

    pub fn public_key(&self) -> &[u8; 32] {
        &self.public_key
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Every token of `user` issued until now stops working in every service (within
    /// about a second). A Redis outage is logged: the tokens then end on their own.
    pub(crate) async fn end_access(&self, user: uuid::Uuid) {
        if let Err(e) = self.revocations.revoke_user(user).await {
            tracing::error!(%user, error = %e, "could not announce the revocation; the user's tokens end when they expire");
        }
    }

    /// The tokens of one session stop working in every service.
    pub(crate) async fn end_session(&self, sid: uuid::Uuid) {
        if let Err(e) = self.revocations.revoke_session(sid).await {
            tracing::error!(%sid, error = %e, "could not announce the logout; the session's tokens end when they expire");
        }
    }
}

pub(crate) fn user_not_found() -> AppError {
    AppError::NotFound {
        code: "USER_NOT_FOUND",
        detail: "Akun tidak ditemukan.".into(),
    }
}

/// A page size from the request: 0 means the default; above the maximum is an error.
pub(crate) fn page_limit(limit: u32) -> Result<i64, AppError> {
    match limit {
        0 => Ok(i64::from(DEFAULT_PAGE)),
        n if n > MAX_PAGE => Err(AppError::field(
            "page.limit",
            format!("Ukuran halaman maksimal {MAX_PAGE}."),
        )),
        n => Ok(i64::from(n)),
    }
}

/// The account row as served: identity number already masked in the row.
pub type Account = UserRow;
