//! Publications kept by librarians: create, update, withdraw, holdings, the softcopy link.

use super::*;

impl Catalogue {
    pub async fn create(
        &self,
        caller: &Caller,
        input: &Input,
    ) -> Result<(PublicationRow, Vec<HoldingRow>), AppError> {
        let valid = publication::validate(input, Self::today())?;
        librarian(caller, &valid.office_code)?;
        if valid.document_id.is_some() {
            return Err(softcopy_by_upload_only());
        }
        let id = Uuid::now_v7();
        let mut tx = self.pool.begin().await?;
        store::upsert(&mut *tx, id, &valid).await?;
        store::history(&mut *tx, id, caller.user_id, "create", None).await?;
        pst_kit::audit::record(
            &mut *tx,
            caller,
            Some(&valid.office_code),
            "publication.create",
            &id.to_string(),
            serde_json::json!({ "title": valid.title }),
        )
        .await?;
        tx.commit().await?;
        self.written().await;
        self.full(id).await
    }

    pub async fn update(
        &self,
        caller: &Caller,
        id: &str,
        input: &Input,
        expected_updated_at: &str,
    ) -> Result<(PublicationRow, Vec<HoldingRow>), AppError> {
        let id = parse_id(id)?;
        let expected = crate::history::expected_version(expected_updated_at)?;
        let mut tx = self.pool.begin().await?;
        let before = store::get(&mut *tx, id, true)
            .await?
            .ok_or_else(store::not_found)?;
        // Who may change it first: someone else is told no before being told what is wrong.
        librarian(caller, &before.office_code)?;
        let valid = publication::validate(input, Self::today())?;
        if let Some(expected) = expected {
            crate::history::still_as_seen(&mut tx, &before, expected).await?;
        }
        if valid.office_code != before.office_code {
            return Err(AppError::field(
                "office_code",
                "Satker penerbit tidak dapat diubah.",
            ));
        }
        if valid.document_id.is_some() && valid.document_id != before.document_id {
            return Err(softcopy_by_upload_only());
        }
        // An update never moves the softcopy link (only an upload does).
        let mut valid = valid;
        valid.document_id = before.document_id;
        if before.withdrawn_at.is_some() {
            return Err(already_withdrawn());
        }
        store::upsert(&mut *tx, id, &valid).await?;
        record_change(tx, caller, &before, "update", serde_json::json!({})).await?;
        self.written().await;
        self.full(id).await
    }

    /// Links a publication of the caller's office to its stored softcopy.
    pub async fn link_document(
        &self,
        caller: &Caller,
        id: &str,
        document_id: &str,
    ) -> Result<(PublicationRow, Vec<HoldingRow>), AppError> {
        let id = parse_id(id)?;
        let document: uuid::Uuid = document_id
            .parse()
            .map_err(|_| AppError::field("document_id", "ID dokumen tidak valid."))?;
        let mut tx = self.pool.begin().await?;
        let before = store::get(&mut *tx, id, true)
            .await?
            .ok_or_else(store::not_found)?;
        librarian(caller, &before.office_code)?;
        store::set_document(&mut *tx, id, document).await?;
        record_change(
            tx,
            caller,
            &before,
            "link_document",
            serde_json::json!({ "document_id": document }),
        )
        .await?;
        self.written().await;
        self.full(id).await
    }

    /// Soft delete with a reason; kept in history, hidden from search.
    pub async fn withdraw(
        &self,
        caller: &Caller,
        id: &str,
        reason: &str,
    ) -> Result<(PublicationRow, Vec<HoldingRow>), AppError> {
        let id = parse_id(id)?;
        let reason =
            pst_kit::validate::text(reason, 5, 500).map_err(|m| AppError::field("reason", m))?;
        let mut tx = self.pool.begin().await?;
        let before = store::get(&mut *tx, id, true)
            .await?
            .ok_or_else(store::not_found)?;
        librarian(caller, &before.office_code)?;
        if before.withdrawn_at.is_some() {
            return Err(already_withdrawn());
        }
        store::withdraw(&mut *tx, id, &reason, caller.user_id).await?;
        record_change(
            tx,
            caller,
            &before,
            "withdraw",
            serde_json::json!({ "reason": reason }),
        )
        .await?;
        self.written().await;
        self.full(id).await
    }

    pub async fn add_holding(
        &self,
        caller: &Caller,
        id: &str,
        call_number: &str,
        shelf: &str,
        copies: u32,
        condition: &str,
    ) -> Result<(PublicationRow, Vec<HoldingRow>), AppError> {
        let id = parse_id(id)?;
        let mut v = pst_kit::validate::Violations::new();
        let call_number = v.check("call_number", pst_kit::validate::text(call_number, 1, 60));
        let shelf = v.check("shelf", pst_kit::validate::optional_text(shelf, 60));
        if !(1..=1000).contains(&copies) {
            v.add("copies", "Jumlah eksemplar 1-1000.");
        }
        let condition = if condition.trim().is_empty() {
            "baik"
        } else {
            condition.trim()
        };
        if !["baik", "rusak_ringan", "rusak_berat"].contains(&condition) {
            v.add("condition", "Kondisi: baik, rusak_ringan, rusak_berat.");
        }
        v.into_result()?;
        let mut tx = self.pool.begin().await?;
        let p = store::get(&mut *tx, id, true)
            .await?
            .ok_or_else(store::not_found)?;
        let office = caller
            .office
            .clone()
            .unwrap_or_else(|| p.office_code.clone());
        librarian(caller, &office)?;
        store::add_holding(
            &mut tx,
            &store::NewHolding {
                publication: id,
                office: &office,
                call_number: call_number.unwrap_or_default(),
                shelf: shelf.unwrap_or_default(),
                copies: i32::try_from(copies).unwrap_or(1),
                condition,
            },
        )
        .await?;
        pst_kit::audit::record(
            &mut *tx,
            caller,
            Some(&office),
            "holding.add",
            &id.to_string(),
            serde_json::json!({ "copies": copies }),
        )
        .await?;
        tx.commit().await?;
        self.written().await;
        self.full(id).await
    }

    async fn full(&self, id: Uuid) -> Result<(PublicationRow, Vec<HoldingRow>), AppError> {
        let row = store::get(&self.pool, id, false)
            .await?
            .ok_or_else(store::not_found)?;
        let holdings = store::holdings(&self.pool, id).await?;
        Ok((row, holdings))
    }

    /// A publication as `caller` may see it: withdrawn ones only for the office's staff,
    /// restricted ones only for their audience (404 otherwise, so existence does not leak).
    pub async fn get(
        &self,
        caller: Option<&Caller>,
        id: &str,
    ) -> Result<(PublicationRow, Vec<HoldingRow>), AppError> {
        let (row, holdings) = self.full(parse_id(id)?).await?;
        let staff_here = caller.is_some_and(|c| {
            c.role.is_staff()
                && (c.role == Role::Admin || c.office.as_deref() == Some(row.office_code.as_str()))
        });
        if (row.withdrawn_at.is_some() && !staff_here)
            || !may_see(caller, &row.office_code, &row.access_level)
        {
            return Err(store::not_found());
        }
        Ok((row, holdings))
    }
}

/// Ends a change of an existing entry: the entry as it was goes to its history, the staff
/// action to the audit log (`publication.<action>`), then the change is committed.
async fn record_change(
    mut tx: sqlx::Transaction<'_, Postgres>,
    caller: &Caller,
    before: &PublicationRow,
    action: &str,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    store::history(&mut *tx, before.id, caller.user_id, action, Some(before)).await?;
    pst_kit::audit::record(
        &mut *tx,
        caller,
        Some(&before.office_code),
        &format!("publication.{action}"),
        &before.id.to_string(),
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn already_withdrawn() -> AppError {
    AppError::FailedPrecondition {
        code: "PUBLICATION_WITHDRAWN",
        detail: "Publikasi ini sudah ditarik.".into(),
    }
}
