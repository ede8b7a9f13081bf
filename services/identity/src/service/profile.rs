//! One's own profile.

use pst_kit::AppError;
use pst_kit::auth::Caller;
use pst_kit::validate::{self, Violations};

use super::{Account, Identity, user_not_found};
use crate::store::users::{self, ProfilePatch};
use pst_kit::audit;

/// Fields a user may change about themselves; `None` keeps the current value.
#[derive(Debug, Default)]
pub struct ProfileInput<'a> {
    pub full_name: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub institution: Option<&'a str>,
    pub occupation: Option<&'a str>,
}

impl Identity {
    /// A visit card for a verified visitor: their token and when it expires (unix seconds).
    pub async fn visit_card(&self, caller: &Caller) -> Result<(String, i64), AppError> {
        const CARD_TTL_SECS: i64 = 600;
        if caller.role != pst_kit::auth::Role::Visitor {
            return Err(AppError::forbidden(
                "Kartu kunjungan hanya untuk pengguna layanan.",
            ));
        }
        let me = self.me(caller).await?;
        if !me.active || me.email_verified_at.is_none() {
            return Err(AppError::FailedPrecondition {
                code: "EMAIL_NOT_VERIFIED",
                detail: "Verifikasi e-mail Anda terlebih dahulu untuk memakai kartu kunjungan."
                    .into(),
            });
        }
        let holder = pst_kit::auth::CardHolder {
            name: &me.full_name,
            email: &me.email,
            phone: &me.phone,
            occupation: &me.occupation,
            institution: &me.institution,
        };
        self.signer.sign_visit_card(me.id, &holder, CARD_TTL_SECS)
    }

    /// A visitor's contact details for the guest book of their ticket (front office,
    /// supervisor, admin); every read is audited.
    pub async fn visitor_profile(
        &self,
        caller: &Caller,
        user_id: &str,
    ) -> Result<Account, AppError> {
        use pst_kit::auth::Role;
        caller.require_role(&[Role::FrontOffice, Role::Supervisor, Role::Admin])?;
        let id = uuid::Uuid::parse_str(user_id.trim())
            .map_err(|_| AppError::field("user_id", "ID pengguna tidak valid."))?;
        let user = users::by_id(&self.pool, id)
            .await?
            .filter(|u| u.role == Role::Visitor.as_str())
            .ok_or_else(user_not_found)?;
        pst_kit::audit::record(
            &self.pool,
            caller,
            None,
            "visitor.profile_read",
            &user.id.to_string(),
            serde_json::json!({ "purpose": "guest_book" }),
        )
        .await?;
        Ok(user)
    }

    pub async fn me(&self, caller: &Caller) -> Result<Account, AppError> {
        users::by_id(&self.pool, caller.user_id)
            .await?
            .ok_or_else(user_not_found)
    }

    pub async fn update_me(
        &self,
        caller: &Caller,
        input: &ProfileInput<'_>,
    ) -> Result<Account, AppError> {
        let mut v = Violations::new();
        let patch = ProfilePatch {
            full_name: input
                .full_name
                .and_then(|s| v.check("full_name", validate::text(s, 2, 120))),
            phone: input
                .phone
                .and_then(|s| v.check("phone", validate::phone(s))),
            institution: input
                .institution
                .and_then(|s| v.check("institution", validate::text(s, 1, 200))),
            occupation: input
                .occupation
                .and_then(|s| v.check("occupation", validate::text(s, 1, 100))),
        };
        v.into_result()?;
        let mut tx = self.pool.begin().await?;
        let row = users::update_profile(&mut *tx, caller.user_id, &patch)
            .await?
            .ok_or_else(user_not_found)?;
        if caller.role.is_staff() {
            audit::record(
                &mut *tx,
                caller,
                None,
                "user.update_profile",
                &caller.user_id.to_string(),
                serde_json::json!({}),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(row)
    }
}
