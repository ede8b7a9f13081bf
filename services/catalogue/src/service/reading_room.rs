//! Reading-room use: recorded by staff, or by a visitor for their own current visit.

use super::*;

impl Catalogue {
    /// A visitor records reading-room use only for their own visit, still going on, in
    /// this office (the visit service says whose it is).
    async fn own_current_visit(
        &self,
        caller: &Caller,
        bearer: Option<&str>,
        visit: Uuid,
        office: &str,
    ) -> Result<(), AppError> {
        let Some(client) = self.visit.clone() else {
            return Err(AppError::Unavailable {
                code: "VISIT_SERVICE_UNAVAILABLE",
                detail: "Data kunjungan tidak dapat diperiksa saat ini; coba lagi sebentar lagi."
                    .into(),
            });
        };
        let req = pst_kit::grpc::forwarded(
            pst_proto::visit::CheckVisitRequest {
                visit_id: visit.to_string(),
                feedback_code: String::new(),
            },
            bearer,
            pst_kit::grpc::PEER_TIMEOUT,
        );
        let found = client
            .clone()
            .check_visit_for_feedback(req)
            .await
            .map_err(|s| pst_kit::grpc::peer_error(&pst_kit::grpc::VISIT_PEER, s))?
            .into_inner();
        if found.user_id != caller.user_id.to_string() || found.ended || found.office_code != office
        {
            return Err(AppError::PermissionDenied {
                code: "NOT_YOUR_VISIT",
                detail: "Penggunaan ruang baca hanya dapat dicatat untuk kunjungan Anda sendiri yang sedang berlangsung di satker ini.".into(),
            });
        }
        Ok(())
    }
}

impl Catalogue {
    /// A librarian records use of a printed publication; a signed-in visitor may scan it at
    /// the shelf (self-service).
    pub async fn reading_room_use(
        &self,
        caller: &Caller,
        bearer: Option<&str>,
        id: &str,
        office: &str,
        visit: &str,
    ) -> Result<(Uuid, bool, chrono::DateTime<Utc>), AppError> {
        let id = parse_id(id)?;
        let office = pst_kit::validate::office_code(office)
            .map_err(|m| AppError::field("office_code", m))?;
        let self_service = caller.role == Role::Visitor;
        if !self_service {
            librarian(caller, &office)
                .or_else(|_| caller.require_role_in_office(&[Role::FrontOffice], &office))?;
        }
        let visit = if visit.trim().is_empty() {
            None
        } else {
            Some(
                Uuid::parse_str(visit.trim())
                    .map_err(|_| AppError::field("visit_id", "ID kunjungan tidak valid."))?,
            )
        };
        let p = store::get(&self.pool, id, false)
            .await?
            .ok_or_else(store::not_found)?;
        if p.withdrawn_at.is_some() || !may_see(Some(caller), &p.office_code, &p.access_level) {
            return Err(store::not_found());
        }
        if self_service && let Some(v) = visit {
            self.own_current_visit(caller, bearer, v, &office).await?;
        }
        let use_id = Uuid::now_v7();
        let now = Utc::now();
        store::record_use(
            &self.pool,
            &store::NewUse {
                id: use_id,
                publication: id,
                office: &office,
                day: Self::today(),
                visit,
                recorded_by: caller.user_id,
                self_service,
                at: now,
            },
        )
        .await?;
        Ok((use_id, self_service, now))
    }

    pub async fn reading_room_report(
        &self,
        caller: &Caller,
        office: &str,
        from: &str,
        to: &str,
    ) -> Result<(String, NaiveDate, NaiveDate, Vec<(Uuid, String, i64)>), AppError> {
        let office = pst_kit::validate::office_code(office)
            .map_err(|m| AppError::field("office_code", m))?;
        caller
            .require_role_in_office(&[Role::Supervisor, Role::Librarian, Role::Admin], &office)?;
        let (from, to) = pst_kit::validate::period(from, to, 3661)?;
        let rows = store::usage(&self.pool, &office, from, to).await?;
        Ok((office, from, to, rows))
    }
}
