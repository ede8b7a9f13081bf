//! The history of a catalogue entry (who changed what, when) and the guard that keeps two
//! librarians editing one entry from silently undoing each other's changes.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use pst_kit::AppError;
use pst_kit::auth::{Caller, Role};

use crate::service::Catalogue;
use crate::store::{self, PublicationRow};

/// The fields a history row keeps of the state before a change, by name.
pub fn snapshot(p: &PublicationRow) -> serde_json::Value {
    serde_json::json!({
        "title": p.title,
        "subtitle": p.subtitle,
        "catalogue_number": p.catalogue_number,
        "publication_number": p.publication_number,
        "issn": p.issn,
        "isbn": p.isbn,
        "release_date": p.release_date,
        "year_from": p.year_from,
        "year_to": p.year_to,
        "subject": p.subject,
        "language": p.language,
        "pages": p.pages,
        "abstract": p.abstract_text,
        "keywords": p.keywords,
        "cover_url": p.cover_url,
        "document_id": p.document_id,
        "access_level": p.access_level,
        "has_printed": p.has_printed,
        "withdrawn_reason": p.withdrawn_reason,
    })
}

/// Names of the fields that differ between two snapshots (only fields both carry: rows
/// written before snapshots were complete name fewer).
pub fn changed(before: &serde_json::Value, after: &serde_json::Value) -> Vec<String> {
    let (Some(b), Some(a)) = (before.as_object(), after.as_object()) else {
        return Vec::new();
    };
    b.iter()
        .filter(|(k, v)| a.get(k.as_str()).is_some_and(|now| now != *v))
        .map(|(k, _)| k.clone())
        .collect()
}

/// The `expected_updated_at` of an update: empty (not checked) or an RFC 3339 instant.
pub fn expected_version(raw: &str) -> Result<Option<DateTime<Utc>>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    DateTime::parse_from_rfc3339(raw)
        .map(|t| Some(t.with_timezone(&Utc)))
        .map_err(|_| {
            AppError::field(
                "expected_updated_at",
                "Versi yang diharapkan harus berupa waktu RFC 3339 (updated_at publikasi).",
            )
        })
}

/// Refuses the update when the entry (locked by the caller's transaction) changed after the
/// editor loaded it, naming when and by which action.
pub async fn still_as_seen(
    tx: &mut PgConnection,
    now: &PublicationRow,
    expected: DateTime<Utc>,
) -> Result<(), AppError> {
    // Postgres keeps microseconds; a client may send fewer digits.
    if (now.updated_at - expected)
        .num_microseconds()
        .unwrap_or(i64::MAX)
        .abs()
        < 1
    {
        return Ok(());
    }
    let last: Option<(String,)> = sqlx::query_as(
        "SELECT action FROM publication_history WHERE publication_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(now.id)
    .fetch_optional(&mut *tx)
    .await?;
    let what = match last.as_ref().map(|l| l.0.as_str()) {
        Some("withdraw") => "ditarik",
        Some("link_document") => "diberi softcopy baru",
        Some("add_holding") => "ditambah eksemplar cetak",
        _ => "diubah",
    };
    Err(AppError::Conflict {
        code: "PUBLICATION_CHANGED",
        detail: format!(
            "Publikasi ini sudah {what} oleh pengguna lain sejak Anda membukanya. \
             Perubahan Anda belum disimpan: muat ulang halaman, periksa isinya, lalu ulangi."
        ),
        field: None,
    })
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub changed: Vec<String>,
}

/// At most this many changes are listed, newest first.
const MAX_ENTRIES: i64 = 200;

async fn rows(
    db: &PgPool,
    id: Uuid,
) -> Result<
    Vec<(
        DateTime<Utc>,
        Option<Uuid>,
        String,
        Option<serde_json::Value>,
    )>,
    AppError,
> {
    Ok(sqlx::query_as(
        "SELECT at, actor_id, action, before FROM publication_history WHERE publication_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(id)
    .bind(MAX_ENTRIES)
    .fetch_all(db)
    .await?)
}

impl Catalogue {
    /// Every change to a publication, newest first, with the fields each replaced (staff of
    /// its office, or admin).
    pub async fn history(&self, caller: &Caller, id: &str) -> Result<Vec<Entry>, AppError> {
        let id: Uuid = id
            .trim()
            .parse()
            .map_err(|_| AppError::field("id", "ID publikasi tidak valid."))?;
        let now = store::get(&self.pool, id, false)
            .await?
            .ok_or_else(store::not_found)?;
        // Another office's entry is "not found", as it is to GetPublication: its history
        // must not tell that it exists.
        caller
            .require_role_in_office(
                &[
                    Role::Librarian,
                    Role::Supervisor,
                    Role::FrontOffice,
                    Role::Admin,
                ],
                &now.office_code,
            )
            .map_err(|_| store::not_found())?;
        // Each row keeps the state before its change; the state after is the next row's
        // "before" (or, for the newest, the entry as it is now).
        let mut after = snapshot(&now);
        let mut out = Vec::new();
        for (at, actor_id, action, before) in rows(&self.pool, id).await? {
            let changed = match &before {
                Some(b) => changed(b, &after),
                None => Vec::new(),
            };
            if let Some(b) = before {
                // Fields an older row did not keep stay as the later state knew them.
                if let (Some(a), Some(bo)) = (after.as_object_mut(), b.as_object()) {
                    for (k, v) in bo {
                        a.insert(k.clone(), v.clone());
                    }
                }
            }
            out.push(Entry {
                at,
                actor_id,
                action,
                changed,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_name_only_fields_that_differ_and_both_know() {
        let b = serde_json::json!({"title": "A", "pages": 3, "isbn": ""});
        let a = serde_json::json!({"title": "B", "pages": 3});
        assert_eq!(changed(&b, &a), vec!["title".to_owned()]);
        assert!(changed(&serde_json::Value::Null, &a).is_empty());
    }

    #[test]
    fn expected_version_is_empty_or_rfc3339() {
        assert_eq!(expected_version(" ").unwrap(), None);
        assert!(
            expected_version("2026-12-07T10:00:00.123456+00:00")
                .unwrap()
                .is_some()
        );
        assert!(expected_version("kemarin").is_err());
    }
}
