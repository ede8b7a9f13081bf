//! Offices, staff accounts and the audit trail. Admins manage everything; supervisors may
//! read their own office's staff and audit trail. Every change is audited.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use pst_kit::AppError;
use pst_kit::auth::{Caller, Role};
use pst_kit::validate::{self, Violations};

use super::{Account, Identity, page_limit, user_not_found};
use crate::domain::account::{NewStaff, staff_role};
use crate::store::offices::{self, OfficeRow};
use crate::store::tokens;
use crate::store::users::{self, NewUserRow, StaffPatch};
use pst_kit::audit::{self, AuditRow};

pub(crate) const TIME_ZONES: [&str; 3] = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"];

#[derive(Debug)]
pub struct StaffPage {
    pub staff: Vec<Account>,
    pub next_cursor: String,
}

#[derive(Debug)]
pub struct AuditPage {
    pub entries: Vec<AuditRow>,
    pub next_cursor: String,
}

fn bad_cursor() -> AppError {
    AppError::field("page.cursor", "Kursor halaman tidak valid.")
}

impl Identity {
    pub async fn list_offices(&self) -> Result<Vec<OfficeRow>, AppError> {
        offices::list(&self.pool).await
    }

    pub async fn upsert_office(
        &self,
        caller: &Caller,
        code: &str,
        name: &str,
        tz: &str,
    ) -> Result<OfficeRow, AppError> {
        caller.require_role(&[Role::Admin])?;
        let mut v = Violations::new();
        let code = v.check("office.code", validate::office_code(code));
        let name = v.check("office.name", validate::text(name, 3, 200));
        let tz = v.check(
            "office.time_zone",
            if TIME_ZONES.contains(&tz) {
                Ok(tz.to_owned())
            } else {
                Err("Zona waktu harus Asia/Jakarta (WIB), Asia/Makassar (WITA) atau Asia/Jayapura (WIT).".to_owned())
            },
        );
        v.into_result()?;
        let row = OfficeRow {
            code: code.expect("BUG: validated"),
            name: name.expect("BUG: validated"),
            time_zone: tz.expect("BUG: validated"),
        };
        let mut tx = self.pool.begin().await?;
        let saved = offices::upsert(&mut *tx, &row).await?;
        audit::record(
            &mut *tx,
            caller,
            Some(&saved.code),
            "office.upsert",
            &saved.code,
            serde_json::json!({ "name": saved.name, "time_zone": saved.time_zone }),
        )
        .await?;
        tx.commit().await?;
        Ok(saved)
    }

    pub async fn create_staff(&self, caller: &Caller, new: NewStaff) -> Result<Account, AppError> {
        caller.require_role(&[Role::Admin])?;
        let pw = new.password.expose().to_owned();
        let hash = self.hasher.hash(pw).await?;
        let id = Uuid::now_v7();
        let mut tx = self.pool.begin().await?;
        users::insert(
            &mut *tx,
            &NewUserRow {
                id,
                full_name: &new.full_name,
                email: &new.email,
                password_hash: &hash,
                phone: &new.phone,
                institution: "BPS",
                occupation: "Pegawai BPS",
                id_type: 0,
                id_number_enc: None,
                id_number_masked: "",
                role: new.role.as_str(),
                office_code: new.office_code.as_deref(),
                // Staff accounts are created by an admin for a known address.
                verified: true,
            },
        )
        .await?;
        audit::record(
            &mut *tx,
            caller,
            new.office_code.as_deref(),
            "staff.create",
            &id.to_string(),
            serde_json::json!({ "role": new.role.as_str() }),
        )
        .await?;
        let row = users::by_id(&mut *tx, id)
            .await?
            .ok_or_else(user_not_found)?;
        tx.commit().await?;
        Ok(row)
    }

    pub async fn update_staff(
        &self,
        caller: &Caller,
        user_id: &str,
        role: Option<&str>,
        office: Option<&str>,
        active: Option<bool>,
        full_name: Option<&str>,
    ) -> Result<Account, AppError> {
        caller.require_role(&[Role::Admin])?;
        let mut v = Violations::new();
        let id = v.check(
            "user_id",
            Uuid::parse_str(user_id.trim()).map_err(|_| "ID pengguna tidak valid.".to_owned()),
        );
        let patch = StaffPatch {
            role: role
                .and_then(|r| v.check("role", staff_role(r)))
                .map(|r| r.as_str().to_owned()),
            office_code: office.and_then(|o| v.check("office_code", validate::office_code(o))),
            active,
            full_name: full_name.and_then(|n| v.check("full_name", validate::text(n, 2, 120))),
        };
        v.into_result()?;
        let id = id.expect("BUG: validated");
        if id == caller.user_id && active == Some(false) {
            return Err(AppError::FailedPrecondition {
                code: "CANNOT_DISABLE_SELF",
                detail: "Admin tidak dapat menonaktifkan akunnya sendiri.".into(),
            });
        }
        let mut tx = self.pool.begin().await?;
        let row = users::update_staff(&mut *tx, id, &patch)
            .await?
            .ok_or_else(user_not_found)?;
        if active == Some(false) {
            tokens::revoke_all_for_user(&mut *tx, id).await?;
        }
        audit::record(
            &mut *tx,
            caller,
            row.office_code.as_deref(),
            "staff.update",
            &id.to_string(),
            serde_json::json!({ "role": patch.role, "office_code": patch.office_code, "active": active, "full_name_changed": patch.full_name.is_some() }),
        )
        .await?;
        tx.commit().await?;
        // Tokens carry the role and office: after a change (or a disable) the old ones end
        // everywhere now, not when they expire.
        if active == Some(false) || patch.role.is_some() || patch.office_code.is_some() {
            self.end_access(id).await;
        }
        Ok(row)
    }

    pub async fn list_staff(
        &self,
        caller: &Caller,
        office: &str,
        cursor: &str,
        limit: u32,
    ) -> Result<StaffPage, AppError> {
        let office =
            validate::office_code(office).map_err(|m| AppError::field("office_code", m))?;
        caller.require_role_in_office(&[Role::Admin, Role::Supervisor], &office)?;
        let limit = page_limit(limit)?;
        let after = if cursor.is_empty() {
            None
        } else {
            Some(decode_staff_cursor(cursor).ok_or_else(bad_cursor)?)
        };
        let staff = users::list_staff(&self.pool, &office, after, limit + 1).await?;
        Ok(paginate(
            staff,
            limit,
            |last| encode_staff_cursor(last.created_at, last.id),
            |staff, next_cursor| StaffPage { staff, next_cursor },
        ))
    }

    /// The audit trail, newest first: of one office (its supervisor, or admin) or of every
    /// office (admin, `office` empty), filtered by who, what and when.
    pub async fn list_audit(
        &self,
        caller: &Caller,
        q: AuditQuery<'_>,
        cursor: &str,
        limit: u32,
    ) -> Result<AuditPage, AppError> {
        let office = if q.office.trim().is_empty() {
            caller.require_role(&[Role::Admin])?;
            String::new()
        } else {
            let office =
                validate::office_code(q.office).map_err(|m| AppError::field("office_code", m))?;
            caller.require_role_in_office(&[Role::Admin, Role::Supervisor], &office)?;
            office
        };
        let actor = match q.actor.trim() {
            "" => None,
            a => Some(
                a.parse::<Uuid>()
                    .map_err(|_| AppError::field("actor_id", "ID petugas tidak valid."))?,
            ),
        };
        let action = q.action.trim();
        if action.len() > 64
            || !action
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
        {
            return Err(AppError::field(
                "action",
                "Jenis tindakan: huruf kecil, titik atau _, mis. staff. atau office.upsert.",
            ));
        }
        let (from, to) = match (q.from.trim(), q.to.trim()) {
            ("", "") => (None, None),
            (f, t) => {
                let (f, t) = validate::period(f, t, 3660)?;
                (Some(f), Some(t))
            }
        };
        let time_zone = offices::list(&self.pool)
            .await?
            .into_iter()
            .find(|o| o.code == office)
            .map(|o| o.time_zone)
            .unwrap_or_default();
        let limit = page_limit(limit)?;
        let before = if cursor.is_empty() {
            None
        } else {
            Some(cursor.parse::<i64>().map_err(|_| bad_cursor())?)
        };
        let filter = audit::AuditFilter {
            office,
            actor,
            action: action.to_owned(),
            from,
            to,
            time_zone,
        };
        let entries = audit::list(&self.pool, &filter, before, limit + 1).await?;
        Ok(paginate(
            entries,
            limit,
            |last| last.id.to_string(),
            |entries, next_cursor| AuditPage {
                entries,
                next_cursor,
            },
        ))
    }

    /// Mails a staff member a link to set a new password and ends their sessions (admin).
    pub async fn reset_staff_password(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<String, AppError> {
        caller.require_role(&[Role::Admin])?;
        let id: Uuid = id
            .trim()
            .parse()
            .map_err(|_| AppError::field("user_id", "ID petugas tidak valid."))?;
        let user = users::by_id(&self.pool, id)
            .await?
            .filter(|u| u.role != "visitor")
            .ok_or_else(user_not_found)?;
        if !user.active {
            return Err(AppError::FailedPrecondition {
                code: "ACCOUNT_DISABLED",
                detail: "Akun ini nonaktif; aktifkan dulu sebelum mengatur ulang kata sandinya."
                    .into(),
            });
        }
        // The old password stops working too (the account may be in the wrong hands): a
        // hash of a random secret no one knows, until the link sets a new one.
        let (unknown, _) = pst_kit::crypto::new_token();
        let unusable = self.hasher.hash(unknown).await?;
        let mut tx = self.pool.begin().await?;
        users::set_password(&mut *tx, id, &unusable).await?;
        tokens::revoke_all_for_user(&mut *tx, id).await?;
        audit::record(
            &mut *tx,
            caller,
            user.office_code.as_deref(),
            "staff.reset_password",
            &id.to_string(),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        self.end_access(id).await;
        if self.send_reset_link(&user).await {
            Ok(format!(
                "Tautan untuk membuat kata sandi baru dikirim ke {}. Kata sandi lama dan sesi petugas ini sudah diakhiri.",
                user.email
            ))
        } else {
            Ok(format!(
                "Kata sandi lama dan sesi petugas ini sudah diakhiri, tetapi e-mail ke {} gagal dikirim. Ulangi atur ulang sebentar lagi.",
                user.email
            ))
        }
    }
}

/// Filters of the audit trail, as sent.
#[derive(Debug, Clone, Copy, Default)]
pub struct AuditQuery<'a> {
    pub office: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub from: &'a str,
    pub to: &'a str,
}

/// Rows were fetched with one extra to learn whether another page exists.
fn paginate<R, P>(
    mut rows: Vec<R>,
    limit: i64,
    cursor_of: impl Fn(&R) -> String,
    page: impl Fn(Vec<R>, String) -> P,
) -> P {
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next = if more {
        rows.last().map(&cursor_of).unwrap_or_default()
    } else {
        String::new()
    };
    page(rows, next)
}

fn encode_staff_cursor(at: DateTime<Utc>, id: Uuid) -> String {
    B64URL.encode(format!("{}|{id}", at.timestamp_micros()))
}

fn decode_staff_cursor(c: &str) -> Option<(DateTime<Utc>, Uuid)> {
    let raw = String::from_utf8(B64URL.decode(c).ok()?).ok()?;
    let (micros, id) = raw.split_once('|')?;
    Some((
        DateTime::from_timestamp_micros(micros.parse().ok()?)?,
        Uuid::parse_str(id).ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_cursors_round_trip_and_reject_garbage() {
        let at = DateTime::from_timestamp_micros(1_700_000_000_123_456).expect("valid");
        let id = Uuid::new_v4();
        assert_eq!(
            decode_staff_cursor(&encode_staff_cursor(at, id)),
            Some((at, id))
        );
        assert_eq!(decode_staff_cursor("not-a-cursor"), None);
    }

    #[test]
    fn paginate_reports_a_next_cursor_only_when_more_rows_exist() {
        let page = paginate(
            vec![1, 2, 3],
            2,
            |n| n.to_string(),
            |rows, next| (rows, next),
        );
        assert_eq!(page, (vec![1, 2], "2".to_owned()));
        let last = paginate(vec![1, 2], 2, |n| n.to_string(), |rows, next| (rows, next));
        assert_eq!(last, (vec![1, 2], String::new()));
    }
}
