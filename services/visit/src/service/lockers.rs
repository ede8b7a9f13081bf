//! Lockers against identity cards, and the end of a visit.

use uuid::Uuid;

use pst_kit::AppError;
use pst_kit::auth::Caller;
use pst_kit::id_document::{IdNumber, IdType};

use super::{Visits, front_office, office_staff, parse_id};
use crate::domain::ticket::Status;
use crate::store::custody::{self, CustodyRow, NewCustody};
use crate::store::visits::{self, VisitRow};

fn id_type(raw: &str) -> Result<(IdType, &'static str), AppError> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "ktp" => Ok((IdType::Ktp, "ktp")),
        "sim" => Ok((IdType::Sim, "sim")),
        "paspor" => Ok((IdType::Paspor, "paspor")),
        "lainnya" => Ok((IdType::Lainnya, "lainnya")),
        _ => Err(AppError::field(
            "id_type",
            "Jenis kartu identitas: ktp, sim, paspor, atau lainnya.",
        )),
    }
}

impl Visits {
    /// Hands a locker over against the visitor's identity card, or moves the visitor (and the
    /// card) to another locker.
    pub async fn assign_locker(
        &self,
        caller: &Caller,
        visit_id: &str,
        locker: u32,
        kind: &str,
        number: &str,
    ) -> Result<(VisitRow, Option<CustodyRow>), AppError> {
        let vid = parse_id("visit_id", visit_id)?;
        let locker = i32::try_from(locker)
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| AppError::field("locker", "Nomor loker wajib diisi."))?;
        let mut tx = self.pool.begin().await?;
        let v = visits::get_for_update(&mut *tx, vid)
            .await?
            .ok_or_else(visits::not_found)?;
        front_office(caller, &v.office_code)?;
        if v.ended_at.is_some() {
            return Err(AppError::FailedPrecondition {
                code: "VISIT_ENDED",
                detail: "Kunjungan ini sudah selesai.".into(),
            });
        }
        custody::check_locker(&mut *tx, &v.office_code, locker).await?;
        let (action, detail) = match custody::held_by_visit(&mut *tx, vid).await? {
            Some(held) if held.locker == locker => {
                ("custody.keep", serde_json::json!({ "locker": locker }))
            }
            Some(held) => {
                custody::move_locker(&mut *tx, held.id, locker).await?;
                (
                    "custody.move",
                    serde_json::json!({ "from": held.locker, "to": locker }),
                )
            }
            None => {
                let (kind, name) = id_type(kind)?;
                let number =
                    IdNumber::parse(kind, number).map_err(|m| AppError::field("id_number", m))?;
                let masked = number.masked();
                custody::insert(
                    &mut *tx,
                    &NewCustody {
                        id: Uuid::now_v7(),
                        visit: vid,
                        office: &v.office_code,
                        locker,
                        id_type: name,
                        id_number_enc: self.cipher.encrypt(number.expose())?,
                        id_number_masked: masked.clone(),
                        officer: caller.user_id,
                    },
                )
                .await?;
                (
                    "custody.receive",
                    serde_json::json!({ "locker": locker, "id_type": name, "id_number": masked }),
                )
            }
        };
        pst_kit::audit::record(
            &mut *tx,
            caller,
            Some(&v.office_code),
            action,
            &vid.to_string(),
            detail,
        )
        .await?;
        tx.commit().await?;
        let held = custody::held_by_visit(&self.pool, vid).await?;
        let v = visits::get(&self.pool, vid)
            .await?
            .ok_or_else(visits::not_found)?;
        Ok((v, held))
    }

    /// Ends the visit. A card still held must be handed back in this step (`id_returned`),
    /// which frees its locker; the visit then becomes available to rate.
    pub async fn checkout(
        &self,
        caller: &Caller,
        visit_id: &str,
        id_returned: bool,
        returned_to: &str,
    ) -> Result<(VisitRow, String), AppError> {
        let vid = parse_id("visit_id", visit_id)?;
        let mut tx = self.pool.begin().await?;
        let v = visits::get_for_update(&mut *tx, vid)
            .await?
            .ok_or_else(visits::not_found)?;
        front_office(caller, &v.office_code)?;
        if v.ended_at.is_some() {
            return Err(AppError::FailedPrecondition {
                code: "VISIT_ALREADY_ENDED",
                detail: "Kunjungan ini sudah diakhiri.".into(),
            });
        }
        let status = v.ticket_status.as_deref().and_then(Status::parse);
        if matches!(
            status,
            Some(Status::Waiting | Status::Called | Status::Serving)
        ) {
            return Err(AppError::FailedPrecondition {
                code: "SERVICE_NOT_FINISHED",
                detail: "Layanan untuk nomor ini belum selesai; selesaikan atau lewati dulu."
                    .into(),
            });
        }
        let held = custody::held_by_visit(&mut *tx, vid).await?;
        if let Some(h) = &held {
            if !id_returned {
                return Err(AppError::FailedPrecondition {
                    code: "ID_STILL_HELD",
                    detail: format!(
                        "Kartu identitas ({}) masih dititipkan di loker {}; kembalikan kepada pengunjung dulu.",
                        h.id_number_masked, h.locker
                    ),
                });
            }
            let to = pst_kit::validate::optional_text(returned_to, 120)
                .map_err(|m| AppError::field("returned_to", m))?;
            let to = if to.is_empty() { v.name.clone() } else { to };
            custody::mark_returned(&mut *tx, h.id, caller.user_id, &to).await?;
        }
        let code = pst_kit::crypto::short_code(8);
        visits::end(
            &mut *tx,
            vid,
            caller.user_id,
            &pst_kit::crypto::hash_code(&code),
        )
        .await?;
        pst_kit::audit::record(
            &mut *tx,
            caller,
            Some(&v.office_code),
            "visit.checkout",
            &vid.to_string(),
            serde_json::json!({ "id_returned": held.is_some(), "locker": held.as_ref().map(|h| h.locker) }),
        )
        .await?;
        tx.commit().await?;
        let v = visits::get(&self.pool, vid)
            .await?
            .ok_or_else(visits::not_found)?;
        Ok((v, code))
    }

    pub async fn lockers(
        &self,
        caller: &Caller,
        office: &str,
    ) -> Result<Vec<(i32, String, Option<String>)>, AppError> {
        let s = self.setup(office).await?;
        office_staff(caller, &s.code)?;
        custody::lockers(&self.pool, &s.code).await
    }

    /// Identity cards held now: the end-of-day list.
    pub async fn custody(
        &self,
        caller: &Caller,
        office: &str,
    ) -> Result<(Vec<CustodyRow>, crate::store::setup::Setup), AppError> {
        let s = self.setup(office).await?;
        office_staff(caller, &s.code)?;
        Ok((custody::held(&self.pool, &s.code).await?, s))
    }
}
