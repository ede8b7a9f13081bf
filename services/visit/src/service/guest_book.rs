//! The guest book (buku tamu): one entry per visit, linked to its ticket.

use uuid::Uuid;

use pst_kit::AppError;
use pst_kit::auth::{Caller, Role};

use super::{Visits, front_office, parse_id, signed_in};
use crate::domain::guest_book::GuestBook;
use crate::domain::ticket::Status;
use crate::store::visits::{self, VisitRow};
use crate::store::{custody, tickets};

/// Fields of the guest book a correction may name.
const FIELDS: [&str; 11] = [
    "name",
    "email",
    "phone",
    "sex",
    "age_group",
    "education",
    "occupation",
    "institution_type",
    "institution_name",
    "purpose",
    "data_needed",
];

impl Visits {
    /// A kiosk (with an anonymous ticket), the visitor (own ticket) or the front office
    /// fills the guest book. A signed-in visitor's empty fields come from their account.
    #[tracing::instrument(skip_all, fields(ticket = ticket_id))]
    pub async fn create_visit(
        &self,
        caller: Option<&Caller>,
        bearer: Option<&str>,
        ticket_id: &str,
        entry: GuestBook,
        visit_card: &str,
    ) -> Result<VisitRow, AppError> {
        let tid = parse_id("ticket_id", ticket_id)?;
        let ticket = tickets::get(&self.pool, tid)
            .await?
            .ok_or_else(tickets::not_found)?;
        let staff = match (caller, ticket.user_id) {
            (Some(c), _) if c.role.is_staff() => {
                front_office(c, &ticket.office_code)?;
                true
            }
            (Some(c), Some(owner)) if c.user_id != owner => {
                return Err(AppError::forbidden(
                    "Nomor antrean ini milik pengguna lain.",
                ));
            }
            (None, Some(_)) => {
                return Err(AppError::unauthenticated(
                    "Silakan masuk untuk mengisi buku tamu nomor ini.",
                ));
            }
            _ => false,
        };
        if ticket.status() == Status::Done {
            return Err(AppError::FailedPrecondition {
                code: "TICKET_FINISHED",
                detail: "Layanan untuk nomor ini sudah selesai.".into(),
            });
        }
        let visitor = caller.filter(|c| c.role == Role::Visitor);
        // A scanned visit card (front office only) names the account and its details.
        let card = if visit_card.trim().is_empty() {
            None
        } else {
            if !staff {
                return Err(AppError::forbidden(
                    "Kartu kunjungan dipindai oleh petugas front office.",
                ));
            }
            let card = self.verifier().verify_visit_card(visit_card)?;
            if ticket.user_id.is_some_and(|u| u != card.sub) {
                return Err(AppError::field(
                    "visit_card",
                    "Kartu kunjungan ini milik akun lain daripada pemilik nomor antrean.",
                ));
            }
            Some(card)
        };
        let entry = match (&card, visitor, bearer) {
            (Some(c), _, _) => entry.prefill(&GuestBook {
                name: c.name.clone(),
                email: c.email.clone(),
                phone: c.phone.clone(),
                occupation: c.occupation.clone(),
                institution_name: c.institution.clone(),
                ..GuestBook::default()
            }),
            (None, Some(_), Some(token)) => entry.prefill(&self.account(token).await),
            // The front office fills the guest book of a ticket an account took.
            (None, None, Some(token)) if staff => match ticket.user_id {
                Some(owner) => entry.prefill(&self.visitor_profile(token, owner).await),
                None => entry,
            },
            _ => entry,
        };
        let entry = entry.validate()?;
        let id = Uuid::now_v7();
        let user = card
            .as_ref()
            .map(|c| c.sub)
            .or(ticket.user_id)
            .or(visitor.map(|c| c.user_id));
        let mut tx = self.pool.begin().await?;
        visits::insert(
            &mut *tx,
            id,
            &ticket.office_code,
            ticket.service_day,
            tid,
            user,
            &entry,
            caller.map(|c| c.user_id),
        )
        .await?;
        if staff {
            let c = signed_in(caller)?;
            pst_kit::audit::record(
                &mut *tx,
                c,
                Some(&ticket.office_code),
                "visit.create",
                &id.to_string(),
                serde_json::json!({ "ticket": ticket.display_number() }),
            )
            .await?;
        }
        tx.commit().await?;
        visits::get(&self.pool, id)
            .await?
            .ok_or_else(visits::not_found)
    }

    /// The signed-in visitor's profile as guest-book fields; empty when identity cannot say.
    /// The contact details of the account that owns a ticket, asked of identity with the
    /// officer's token (identity audits the read); empty when identity cannot answer.
    async fn visitor_profile(&self, bearer: &str, user: Uuid) -> GuestBook {
        let mut req = tonic::Request::new(pst_proto::identity::GetVisitorProfileRequest {
            user_id: user.to_string(),
        });
        req.set_timeout(std::time::Duration::from_secs(2));
        match bearer.parse() {
            Ok(v) => {
                req.metadata_mut().insert("authorization", v);
            }
            Err(_) => return GuestBook::default(),
        }
        match self.identity.clone().get_visitor_profile(req).await {
            Ok(p) => {
                let p = p.into_inner();
                GuestBook {
                    name: p.full_name,
                    email: p.email,
                    phone: p.phone,
                    occupation: p.occupation,
                    institution_name: p.institution,
                    ..GuestBook::default()
                }
            }
            Err(e) => {
                tracing::warn!(error = %e.message(), "could not fill the guest book from the ticket's account");
                GuestBook::default()
            }
        }
    }

    async fn account(&self, bearer: &str) -> GuestBook {
        let mut req = tonic::Request::new(pst_proto::identity::GetMeRequest {});
        req.set_timeout(std::time::Duration::from_secs(2));
        match bearer.parse() {
            Ok(v) => {
                req.metadata_mut().insert("authorization", v);
            }
            Err(_) => return GuestBook::default(),
        }
        match self.identity.clone().get_me(req).await {
            Ok(me) => {
                let me = me.into_inner();
                GuestBook {
                    name: me.full_name,
                    email: me.email,
                    phone: me.phone,
                    occupation: me.occupation,
                    institution_name: me.institution,
                    ..GuestBook::default()
                }
            }
            Err(e) => {
                tracing::warn!(error = %e.message(), "could not prefill the guest book from the account");
                GuestBook::default()
            }
        }
    }

    /// The visitor sees their own visit; the office's staff see its visits.
    pub async fn visit(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<(VisitRow, Option<custody::CustodyRow>), AppError> {
        let id = parse_id("visit_id", id)?;
        let v = visits::get(&self.pool, id)
            .await?
            .ok_or_else(visits::not_found)?;
        if caller.role.is_staff() {
            caller.require_role_in_office(
                &[
                    Role::FrontOffice,
                    Role::Supervisor,
                    Role::Librarian,
                    Role::Admin,
                ],
                &v.office_code,
            )?;
        } else if v.user_id != Some(caller.user_id) {
            return Err(AppError::forbidden("Kunjungan ini milik pengguna lain."));
        }
        let held = custody::held_by_visit(&self.pool, id).await?;
        Ok((v, held))
    }

    /// Front office corrects the entry; `fields` names what to replace (empty: all).
    pub async fn update_visit(
        &self,
        caller: &Caller,
        id: &str,
        entry: GuestBook,
        fields: &[String],
    ) -> Result<VisitRow, AppError> {
        let id = parse_id("visit_id", id)?;
        if let Some(bad) = fields.iter().find(|f| !FIELDS.contains(&f.as_str())) {
            return Err(AppError::field(
                "fields",
                format!(
                    "Kolom '{bad}' tidak dikenal. Pilihan: {}.",
                    FIELDS.join(", ")
                ),
            ));
        }
        let mut tx = self.pool.begin().await?;
        let v = visits::get_for_update(&mut *tx, id)
            .await?
            .ok_or_else(visits::not_found)?;
        front_office(caller, &v.office_code)?;
        let mut merged = v.guest_book();
        let all = fields.is_empty();
        let take = |name: &str| all || fields.iter().any(|f| f == name);
        macro_rules! merge {
            ($($f:ident),*) => { $( if take(stringify!($f)) { merged.$f = entry.$f.clone(); } )* };
        }
        merge!(
            name,
            email,
            phone,
            sex,
            age_group,
            education,
            occupation,
            institution_type,
            institution_name,
            purpose,
            data_needed
        );
        let merged = merged.validate()?;
        visits::update_guest_book(&mut *tx, id, &merged).await?;
        let changed: Vec<&str> = FIELDS.iter().copied().filter(|f| take(f)).collect();
        pst_kit::audit::record(
            &mut *tx,
            caller,
            Some(&v.office_code),
            "visit.update",
            &id.to_string(),
            serde_json::json!({ "fields": changed }),
        )
        .await?;
        tx.commit().await?;
        visits::get(&self.pool, id)
            .await?
            .ok_or_else(visits::not_found)
    }
}

/// office, owner, end time and code hash of a visit.
type FeedbackRow = (
    String,
    Option<Uuid>,
    Option<chrono::DateTime<chrono::Utc>>,
    Option<Vec<u8>>,
);

/// What the feedback service needs to accept a rating of a visit.
#[derive(Debug)]
pub struct FeedbackCheck {
    pub visit: Uuid,
    pub office: String,
    pub ended_day: Option<chrono::NaiveDate>,
    pub user: Option<Uuid>,
}

impl Visits {
    /// The ended visit whose checkout code this is (codes are random, 8 characters of 32; a
    /// code shared by two visits of the last 30 days is refused rather than guessed).
    async fn visit_by_code(&self, code: &str) -> Result<Uuid, AppError> {
        let ids: Vec<Uuid> = sqlx::query_scalar(
            "SELECT id FROM visits WHERE feedback_code_hash = $1 \
             AND ended_at > now() - interval '30 days' LIMIT 2",
        )
        .bind(pst_kit::crypto::hash_code(code.trim()))
        .fetch_all(&self.pool)
        .await?;
        match ids.as_slice() {
            [one] => Ok(*one),
            _ => Err(AppError::field(
                "visit_code",
                "Kode penilaian tidak dikenal. Periksa kembali kode dari petugas.",
            )),
        }
    }

    /// The visit may be rated by its signed-in owner, or by whoever holds its checkout code.
    pub async fn check_for_feedback(
        &self,
        caller: Option<&Caller>,
        visit_id: &str,
        code: &str,
    ) -> Result<FeedbackCheck, AppError> {
        let id = if visit_id.trim().is_empty() && !code.trim().is_empty() {
            self.visit_by_code(code).await?
        } else {
            parse_id("visit_id", visit_id)?
        };
        let row: Option<FeedbackRow> =
            sqlx::query_as("SELECT office_code::text, user_id, ended_at, feedback_code_hash FROM visits WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        let (office, user, ended_at, hash) = row.ok_or_else(visits::not_found)?;
        let by_code = !code.trim().is_empty()
            && hash.as_deref() == Some(pst_kit::crypto::hash_code(code).as_slice());
        let by_owner = matches!((caller, user), (Some(c), Some(u)) if c.user_id == u);
        if !by_code && !by_owner {
            return Err(if code.trim().is_empty() && caller.is_none() {
                AppError::unauthenticated(
                    "Masuk dengan akun Anda atau masukkan kode penilaian dari petugas.",
                )
            } else {
                AppError::PermissionDenied {
                    code: "NOT_YOUR_VISIT",
                    detail: "Kunjungan ini bukan milik Anda atau kode penilaian salah.".into(),
                }
            });
        }
        let s = self.setup(&office).await?;
        Ok(FeedbackCheck {
            visit: id,
            office,
            ended_day: ended_at.map(|t| s.clock.day(t)),
            user,
        })
    }
}
