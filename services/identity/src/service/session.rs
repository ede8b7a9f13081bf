//! Registration, e-mail verification, login with throttling, token rotation, logout and
//! password changes.

use pst_kit::AppError;
use pst_kit::auth::{Caller, Role};
use uuid::Uuid;

use super::{Identity, user_not_found};
use crate::domain::account::{NewVisitor, RegistrationInput};
use crate::domain::password::Password;
use crate::store::throttle;
use crate::store::tokens::{self, Purpose};
use crate::store::users::{self, NewUserRow};
use pst_kit::audit;

/// What a successful login or refresh hands out.
#[derive(Debug)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: u32,
}

fn invalid_credentials() -> AppError {
    AppError::Unauthenticated {
        code: "INVALID_CREDENTIALS",
        detail: "E-mail atau kata sandi salah.".into(),
    }
}

impl Identity {
    /// Creates an unverified visitor account and mails the verification link.
    #[tracing::instrument(skip_all, fields(user_id))]
    /// Registers a visitor and mails the verification link. The answer is the same whether
    /// or not the address already has an account (its owner is mailed instead), so
    /// registration cannot be used to find out who uses the library; an unverified account
    /// past its link's lifetime gives its address up (it cannot be squatted); attempts are
    /// throttled per address and per client.
    pub async fn register(
        &self,
        input: &RegistrationInput<'_>,
        client_ip: &str,
    ) -> Result<Uuid, AppError> {
        let new = NewVisitor::parse(input)?;
        if !pst_kit::mail::deliverable(&new.email) {
            return Err(AppError::field(
                "email",
                "Alamat e-mail ini tidak dapat dikirimi pesan; periksa penulisannya.",
            ));
        }
        for (key, limit) in [
            (format!("register:{}", new.email), REGISTRATIONS_PER_ADDRESS),
            (format!("register-ip:{client_ip}"), REGISTRATIONS_PER_CLIENT),
        ] {
            if let Some(secs) = throttle::reserve(&self.pool, &key, limit, 3600, 3600).await? {
                return Err(AppError::TooManyRequests {
                    code: "REGISTRATION_THROTTLED",
                    detail: format!(
                        "Terlalu banyak pendaftaran dalam satu jam. Coba lagi dalam {} menit.",
                        secs.div_ceil(60)
                    ),
                    retry_after_secs: secs,
                });
            }
        }
        let id = Uuid::now_v7();
        tracing::Span::current().record("user_id", tracing::field::display(id));
        if let Some(existing) = users::by_email(&self.pool, &new.email).await? {
            let expired = existing.email_verified_at.is_none()
                && existing.created_at
                    < chrono::Utc::now()
                        - chrono::Duration::seconds(i64::from(self.limits.verify_token_ttl_secs));
            if expired {
                // An address registered and never verified in time is free again.
                users::release_unverified(&self.pool, existing.id).await?;
                tracing::info!(old = %existing.id, "an unverified, expired account gave its address up");
            } else {
                self.mail_already_registered(&existing).await;
                return Ok(id);
            }
        }
        let pw = new.password.expose().to_owned();
        let hash = self.hasher.hash(pw).await?;
        let enc = self.cipher.encrypt(new.id_number.expose())?;
        let mut tx = self.pool.begin().await?;
        let inserted = users::insert(
            &mut *tx,
            &NewUserRow {
                id,
                full_name: &new.full_name,
                email: &new.email,
                password_hash: &hash,
                phone: &new.phone,
                institution: &new.institution,
                occupation: &new.occupation,
                id_type: i16::try_from(new.id_type.as_i32()).expect("BUG: id type fits i16"),
                id_number_enc: Some(enc),
                id_number_masked: &new.id_number.masked(),
                role: Role::Visitor.as_str(),
                office_code: None,
                verified: false,
            },
        )
        .await;
        match inserted {
            Ok(()) => {}
            // Registered at the same moment by someone else: the same answer as above.
            Err(AppError::Conflict { .. }) => {
                drop(tx);
                if let Some(existing) = users::by_email(&self.pool, &new.email).await? {
                    self.mail_already_registered(&existing).await;
                }
                return Ok(id);
            }
            Err(e) => return Err(e),
        }
        let token = tokens::create_email_token(
            &mut *tx,
            id,
            Purpose::Verify,
            self.limits.verify_token_ttl_secs,
        )
        .await?;
        // Mail before commit: if it cannot be sent, no account is left waiting for a
        // message that never came.
        self.mail_verification(&new.email, &new.full_name, &token)
            .await?;
        tx.commit().await?;
        tracing::info!("visitor registered; verification mail sent");
        Ok(id)
    }

    /// Someone registered with an address that has an account: its owner hears of it (and
    /// what to do), the one who tried learns nothing.
    async fn mail_already_registered(&self, user: &users::UserRow) {
        let body = format!(
            "Yth. {name},\n\nAda yang mencoba mendaftar di layanan Perpustakaan PST BPS dengan alamat e-mail ini, \
             padahal alamat ini sudah memiliki akun.\n\nJika itu Anda, silakan masuk: {url}/masuk\n\
             Lupa kata sandi? Atur ulang di {url}/lupa-sandi\n\n\
             Jika bukan Anda, abaikan e-mail ini; akun Anda tidak berubah.\n\n\
             Pelayanan Statistik Terpadu (PST) BPS\n",
            name = user.full_name,
            url = self.public_url.trim_end_matches('/'),
        );
        if let Err(e) = self
            .mailer
            .send(
                &user.email,
                "Percobaan pendaftaran dengan e-mail Anda",
                body,
            )
            .await
        {
            tracing::error!(user_id = %user.id, error = ?e, "already-registered notice not mailed");
        } else {
            tracing::info!(user_id = %user.id, "registration attempt with a registered address; owner notified");
        }
    }

    async fn mail_verification(
        &self,
        email: &str,
        name: &str,
        token: &str,
    ) -> Result<(), AppError> {
        let body = format!(
            "Yth. {name},\n\nTerima kasih telah mendaftar di layanan Perpustakaan PST BPS.\n\
             Untuk mengaktifkan akun, buka tautan berikut:\n{url}/verifikasi-email?token={token}\n\n\
             atau masukkan kode verifikasi berikut di aplikasi:\n{token}\n\n\
             Tautan berlaku {hours} jam. Abaikan e-mail ini jika Anda tidak mendaftar.\n\n\
             Pelayanan Statistik Terpadu (PST) BPS\n",
            url = self.public_url.trim_end_matches('/'),
            hours = self.limits.verify_token_ttl_secs / 3600,
        );
        self.mailer
            .send(email, "Verifikasi e-mail akun PST Pustaka", body)
            .await
            .map_err(|e| {
                tracing::error!(error = ?e, "verification mail failed");
                AppError::Unavailable {
                    code: "MAIL_UNAVAILABLE",
                    detail: "E-mail verifikasi tidak dapat dikirim saat ini; coba lagi nanti."
                        .into(),
                }
            })
    }

    /// Mails a new verification link to an active, unverified account. Always succeeds (the
    /// answer does not tell whether the address has an account); at most
    /// `RESENDS_PER_HOUR` mails per address an hour.
    pub async fn resend_verification(&self, email: &str) -> Result<(), AppError> {
        const RESENDS_PER_HOUR: u32 = 3;
        let email = pst_kit::validate::email(email).map_err(|m| AppError::field("email", m))?;
        let Some(user) = users::by_email(&self.pool, &email)
            .await?
            .filter(|u| u.active && u.email_verified_at.is_none())
        else {
            tracing::info!(
                "verification resend asked for an unknown, disabled or verified account"
            );
            return Ok(());
        };
        let key = format!("resend:{email}");
        if throttle::reserve(&self.pool, &key, RESENDS_PER_HOUR, 3600, 3600)
            .await?
            .is_some()
        {
            tracing::info!(user_id = %user.id, "verification resend throttled");
            return Ok(());
        }
        let token = tokens::create_email_token(
            &self.pool,
            user.id,
            Purpose::Verify,
            self.limits.verify_token_ttl_secs,
        )
        .await?;
        if let Err(e) = self
            .mail_verification(&user.email, &user.full_name, &token)
            .await
        {
            tracing::error!(user_id = %user.id, error = ?e, "verification resend not mailed");
        } else {
            tracing::info!(user_id = %user.id, "verification link mailed again");
        }
        Ok(())
    }

    pub async fn verify_email(&self, token: &str) -> Result<Uuid, AppError> {
        if token.trim().is_empty() {
            return Err(AppError::field("token", "Kode verifikasi wajib diisi."));
        }
        let mut tx = self.pool.begin().await?;
        let user = tokens::consume_email_token(&mut *tx, token, Purpose::Verify).await?;
        users::mark_verified(&mut *tx, user).await?;
        tx.commit().await?;
        tracing::info!(%user, "e-mail verified");
        Ok(user)
    }

    /// Throttled per e-mail and per client address. Unknown e-mail and wrong password
    /// answer the same, after the same argon2 work.
    #[tracing::instrument(skip_all)]
    pub async fn login(&self, email: &str, pw: &str, client_ip: &str) -> Result<Tokens, AppError> {
        let email = email.trim().to_ascii_lowercase();
        let mut v = pst_kit::validate::Violations::new();
        if email.is_empty() || email.len() > 254 {
            v.add("email", "Alamat e-mail wajib diisi (maks. 254 karakter).");
        }
        if pw.is_empty() || pw.len() > 1024 {
            v.add("password", "Kata sandi wajib diisi.");
        }
        v.into_result()?;
        let email_key = format!("email:{email}");
        let ip_key = format!("ip:{client_ip}");
        let l = &self.limits;
        // Reserve the attempt first (address, then e-mail): parallel guesses are counted
        // before any password is checked.
        if let Some(secs) = throttle::reserve(
            &self.pool,
            &ip_key,
            l.max_failed_logins_per_ip,
            l.ip_window_secs,
            l.ip_window_secs,
        )
        .await?
        {
            return Err(throttled(secs));
        }
        if let Some(secs) = throttle::reserve(
            &self.pool,
            &email_key,
            l.max_failed_logins,
            l.lockout_secs,
            l.ip_window_secs,
        )
        .await?
        {
            throttle::refund(&self.pool, &ip_key).await?;
            return Err(throttled(secs));
        }
        let user = users::by_email(&self.pool, &email).await?;
        let hash = user
            .as_ref()
            .map_or_else(|| self.dummy_hash.clone(), |u| u.password_hash.clone());
        let matches = self.hasher.verify(pw.to_owned(), hash).await?;
        let Some(user) = user.filter(|_| matches) else {
            let by_email =
                throttle::fail(&self.pool, &email_key, l.max_failed_logins, l.lockout_secs).await?;
            let by_ip = throttle::fail(
                &self.pool,
                &ip_key,
                l.max_failed_logins_per_ip,
                l.ip_window_secs,
            )
            .await?;
            tracing::info!(locked = by_email || by_ip, "login failed");
            return Err(invalid_credentials());
        };
        // The password was right: not a failure, whatever follows.
        throttle::clear(&self.pool, &email_key).await?;
        throttle::refund(&self.pool, &ip_key).await?;
        if !user.active {
            return Err(AppError::PermissionDenied {
                code: "ACCOUNT_DISABLED",
                detail: "Akun ini dinonaktifkan; hubungi admin PST.".into(),
            });
        }
        if user.email_verified_at.is_none() {
            return Err(AppError::PermissionDenied {
                code: "EMAIL_NOT_VERIFIED",
                detail: "E-mail belum diverifikasi. Buka tautan verifikasi yang kami kirim ke e-mail Anda.".into(),
            });
        }
        let role: Role = user
            .role
            .parse()
            .map_err(|e: String| AppError::internal(anyhow::anyhow!(e)))?;
        let mut tx = self.pool.begin().await?;
        let family = Uuid::new_v4();
        let refresh =
            tokens::issue_refresh(&mut *tx, user.id, family, self.refresh_ttl_secs).await?;
        if role.is_staff() {
            let caller = Caller {
                user_id: user.id,
                role,
                office: user.office_code.clone(),
            };
            audit::record(
                &mut *tx,
                &caller,
                None,
                "auth.login",
                &user.id.to_string(),
                serde_json::json!({ "ip": client_ip }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(Tokens {
            access_token: self.signer.sign_session(
                user.id,
                role,
                user.office_code,
                Some(family),
            )?,
            refresh_token: refresh,
            expires_in: self.signer.ttl_secs(),
        })
    }

    pub async fn refresh(&self, token: &str) -> Result<Tokens, AppError> {
        if token.trim().is_empty() {
            return Err(AppError::field("refresh_token", "Token sesi wajib diisi."));
        }
        let (user_id, family, refresh) =
            tokens::rotate_refresh(&self.pool, token, self.refresh_ttl_secs).await?;
        let user = users::by_id(&self.pool, user_id)
            .await?
            .ok_or_else(user_not_found)?;
        if !user.active {
            return Err(AppError::PermissionDenied {
                code: "ACCOUNT_DISABLED",
                detail: "Akun ini dinonaktifkan; hubungi admin PST.".into(),
            });
        }
        let role: Role = user
            .role
            .parse()
            .map_err(|e: String| AppError::internal(anyhow::anyhow!(e)))?;
        Ok(Tokens {
            access_token: self.signer.sign_session(
                user.id,
                role,
                user.office_code,
                Some(family),
            )?,
            refresh_token: refresh,
            expires_in: self.signer.ttl_secs(),
        })
    }

    pub async fn logout(&self, token: &str) -> Result<(), AppError> {
        if token.trim().is_empty() {
            return Err(AppError::field("refresh_token", "Token sesi wajib diisi."));
        }
        if let Some(family) = tokens::revoke_family_of(&self.pool, token).await? {
            self.end_session(family).await;
        }
        Ok(())
    }

    /// Always succeeds, so the answer does not tell whether the e-mail has an account.
    pub async fn request_password_reset(
        &self,
        email: &str,
        client_ip: &str,
    ) -> Result<(), AppError> {
        let email = pst_kit::validate::email(email).map_err(|m| AppError::field("email", m))?;
        // Throttled per address and per client, whether or not the address has an account.
        for (key, limit) in [
            (format!("reset:{email}"), RESETS_PER_ADDRESS),
            (format!("reset-ip:{client_ip}"), RESETS_PER_CLIENT),
        ] {
            if let Some(secs) = throttle::reserve(&self.pool, &key, limit, 3600, 3600).await? {
                return Err(AppError::TooManyRequests {
                    code: "RESET_THROTTLED",
                    detail: format!(
                        "Terlalu banyak permintaan atur ulang kata sandi. Coba lagi dalam {} menit.",
                        secs.div_ceil(60)
                    ),
                    retry_after_secs: secs,
                });
            }
        }
        let Some(user) = users::by_email(&self.pool, &email)
            .await?
            .filter(|u| u.active)
        else {
            tracing::info!("password reset asked for an unknown or disabled account");
            return Ok(());
        };
        self.send_reset_link(&user).await;
        Ok(())
    }

    /// Mails `user` a one-time link (and code) to set a new password; a mail failure is
    /// logged, not reported (the answer must not tell whether an account exists).
    pub(crate) async fn send_reset_link(&self, user: &users::UserRow) -> bool {
        let token = match tokens::create_email_token(
            &self.pool,
            user.id,
            Purpose::Reset,
            self.limits.reset_token_ttl_secs,
        )
        .await
        {
            Ok(t) => t,
            Err(e) => {
                tracing::error!(error = ?e, user = %user.id, "could not create a password reset token");
                return false;
            }
        };
        let body = format!(
            "Yth. {name},\n\nKami menerima permintaan untuk mengatur ulang kata sandi akun PST Pustaka Anda.\n\
             Buka tautan berikut untuk membuat kata sandi baru:\n{url}/atur-ulang-sandi?token={token}\n\n\
             atau gunakan kode:\n{token}\n\nTautan berlaku {mins} menit. Jika Anda tidak memintanya, abaikan e-mail ini.\n",
            name = user.full_name,
            url = self.public_url.trim_end_matches('/'),
            mins = self.limits.reset_token_ttl_secs / 60,
        );
        match self
            .mailer
            .send(&user.email, "Atur ulang kata sandi PST Pustaka", body)
            .await
        {
            Ok(()) => true,
            Err(e) => {
                tracing::error!(error = ?e, "password reset mail failed");
                false
            }
        }
    }

    pub async fn confirm_password_reset(
        &self,
        token: &str,
        new_password: &str,
    ) -> Result<(), AppError> {
        if token.trim().is_empty() {
            return Err(AppError::field("token", "Kode atur ulang wajib diisi."));
        }
        let mut tx = self.pool.begin().await?;
        let user_id = tokens::consume_email_token(&mut *tx, token, Purpose::Reset).await?;
        let user = users::by_id(&mut *tx, user_id)
            .await?
            .ok_or_else(user_not_found)?;
        let new = Password::parse(new_password, &user.email)
            .map_err(|m| AppError::field("new_password", m))?;
        let pw = new.expose().to_owned();
        let hash = self.hasher.hash(pw).await?;
        users::set_password(&mut *tx, user_id, &hash).await?;
        tokens::revoke_all_for_user(&mut *tx, user_id).await?;
        tx.commit().await?;
        self.end_access(user_id).await;
        tracing::info!(user = %user_id, "password reset; all sessions revoked");
        Ok(())
    }

    pub async fn change_password(
        &self,
        caller: &Caller,
        current: &str,
        new_password: &str,
    ) -> Result<(), AppError> {
        let user = users::by_id(&self.pool, caller.user_id)
            .await?
            .ok_or_else(user_not_found)?;
        let hash = user.password_hash.clone();
        let cur = current.to_owned();
        if !self.hasher.verify(cur, hash).await? {
            // 409, not 422: the request is well formed; it does not match what is on record.
            return Err(AppError::Conflict {
                code: "WRONG_CURRENT_PASSWORD",
                detail: "Kata sandi saat ini salah.".into(),
                field: Some("current_password"),
            });
        }
        let new = Password::parse(new_password, &user.email)
            .map_err(|m| AppError::field("new_password", m))?;
        let pw = new.expose().to_owned();
        let hash = self.hasher.hash(pw).await?;
        let mut tx = self.pool.begin().await?;
        users::set_password(&mut *tx, user.id, &hash).await?;
        tokens::revoke_all_for_user(&mut *tx, user.id).await?;
        if caller.role.is_staff() {
            audit::record(
                &mut *tx,
                caller,
                None,
                "auth.change_password",
                &user.id.to_string(),
                serde_json::json!({}),
            )
            .await?;
        }
        tx.commit().await?;
        self.end_access(user.id).await;
        Ok(())
    }
}

/// Registrations tried for one address, and from one client address, per hour.
const REGISTRATIONS_PER_ADDRESS: u32 = 5;
const REGISTRATIONS_PER_CLIENT: u32 = 20;
/// Password-reset requests for one address, and from one client address, per hour.
const RESETS_PER_ADDRESS: u32 = 3;
const RESETS_PER_CLIENT: u32 = 20;

fn throttled(secs: u64) -> AppError {
    AppError::TooManyRequests {
        code: "LOGIN_THROTTLED",
        detail: format!("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {secs} detik."),
        retry_after_secs: secs,
    }
}
