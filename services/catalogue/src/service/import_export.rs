//! CSV import (all or nothing, or the good rows) and export, per office.

use super::*;

impl Catalogue {
    /// Imports a CSV: every row is checked first; with any failing row nothing is imported
    /// (unless `partial`), and every failure is reported with its row.
    pub async fn import(
        &self,
        caller: &Caller,
        bytes: &[u8],
        partial: bool,
        dry_run: bool,
    ) -> Result<(usize, Vec<crate::csv_io::RowError>), AppError> {
        caller.require_role(&[Role::Librarian, Role::Admin])?;
        let (valid, mut errors) = crate::csv_io::parse(bytes, Self::today())?;
        for (row, p) in &valid {
            if caller.role != Role::Admin
                && caller.office.as_deref() != Some(p.office_code.as_str())
            {
                errors.push((
                    *row,
                    "office_code".to_owned(),
                    "Hanya boleh mengimpor publikasi satker Anda sendiri.".to_owned(),
                ));
            }
        }
        errors.sort_by_key(|e| e.0);
        if !errors.is_empty() && !partial && !dry_run {
            return Ok((0, errors));
        }
        let bad: std::collections::HashSet<u32> = errors.iter().map(|e| e.0).collect();
        let mut tx = self.pool.begin().await?;
        let mut imported = 0;
        for (row, p) in valid.iter().filter(|(row, _)| !bad.contains(row)) {
            let id = Uuid::now_v7();
            match store::upsert(&mut *tx, id, p).await {
                Ok(()) => imported += 1,
                Err(AppError::Conflict { detail, .. }) => {
                    // One failing row aborts the transaction: report it and import nothing.
                    errors.push((*row, "catalogue_number".to_owned(), detail));
                    errors.sort_by_key(|e| e.0);
                    return Ok((0, errors));
                }
                Err(e) => return Err(e),
            }
            store::history(&mut *tx, id, caller.user_id, "import", None).await?;
        }
        if dry_run {
            // A preview: every row went through the database's checks; nothing is kept.
            tx.rollback().await?;
            return Ok((imported, errors));
        }
        pst_kit::audit::record(
            &mut *tx,
            caller,
            caller.office.as_deref(),
            "publication.import",
            "",
            serde_json::json!({ "imported": imported, "rejected": bad.len() }),
        )
        .await?;
        tx.commit().await?;
        self.written().await;
        Ok((imported, errors))
    }

    /// The office's publications as CSV (staff of the office).
    pub async fn export(&self, caller: &Caller, office: &str) -> Result<(String, usize), AppError> {
        let office = pst_kit::validate::office_code(office)
            .map_err(|m| AppError::field("office_code", m))?;
        caller.require_role_in_office(
            &[
                Role::Librarian,
                Role::Supervisor,
                Role::FrontOffice,
                Role::Admin,
            ],
            &office,
        )?;
        let rows = store::of_office(&self.pool, &office).await?;
        Ok((crate::csv_io::export(&rows), rows.len()))
    }
}
