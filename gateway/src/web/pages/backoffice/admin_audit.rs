//! The audit trail with filters: who, what, when, which office.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::ADMIN;
use crate::ctx::Ctx;
use crate::routes::admin::{self as uc, AuditList, AuditQuery};
use crate::routes::{PageQuery, UserView};
use crate::state::AppState;
use crate::web::forms::FieldErrors;
use crate::web::pages::{field, html};
use crate::web::{Page, PageError, Session};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct AuditForm {
    kantor: String,
    siapa: String,
    tindakan: String,
    dari: String,
    sampai: String,
    cursor: String,
}

#[derive(Template)]
#[template(path = "staff/admin_audit.html")]
struct Audit {
    page: Page,
    q: AuditForm,
    list: AuditList,
    staff: Vec<UserView>,
    errors: FieldErrors,
    next: String,
}

impl Audit {
    fn role(&self, r: &str) -> &'static str {
        super::admin_staff::role_label(r)
    }
    fn who(&self, id: &str) -> String {
        self.staff.iter().find(|u| u.id == id).map_or_else(
            || {
                if id.is_empty() {
                    "—".into()
                } else {
                    format!("{}…", id.get(..8).unwrap_or(id))
                }
            },
            |u| u.full_name.clone(),
        )
    }
}

pub(super) async fn audit(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Query(q): Query<AuditForm>,
) -> Result<Response, PageError> {
    super::staff(&session, &ADMIN, "")?;
    let ctx = session.ctx(ctx);
    let office = field(&q.kantor, 8);
    let query = AuditQuery {
        actor: field(&q.siapa, 64),
        action: field(&q.tindakan, 64),
        from: field(&q.dari, 10),
        to: field(&q.sampai, 10),
        cursor: q.cursor.clone(),
        limit: 50,
    };
    let (list, errors) = match uc::audit_trail(&s, &ctx, office.clone(), query).await {
        Ok(l) => (l, FieldErrors::default()),
        Err(e) if e.0.as_u16() == 422 => {
            let mut errors = FieldErrors::from_api(&e);
            for (api, form) in [
                ("actor_id", "siapa"),
                ("action", "tindakan"),
                ("from", "dari"),
                ("to", "sampai"),
                ("office_code", "kantor"),
            ] {
                if let Some(m) = errors.get(api).map(str::to_owned) {
                    errors.add(form, m);
                }
            }
            (
                AuditList {
                    items: Vec::new(),
                    next_cursor: String::new(),
                },
                errors,
            )
        }
        Err(e) => return Err(e.into()),
    };
    let staff = if office.is_empty() {
        Vec::new()
    } else {
        uc::staff_of(
            &s,
            &ctx,
            office.clone(),
            PageQuery {
                cursor: String::new(),
                limit: 200,
            },
        )
        .await
        .map(|l| l.items)
        .unwrap_or_default()
    };
    let next = if list.next_cursor.is_empty() {
        String::new()
    } else {
        format!(
            "/admin/audit?{}",
            serde_urlencoded::to_string([
                ("kantor", q.kantor.as_str()),
                ("siapa", &q.siapa),
                ("tindakan", &q.tindakan),
                ("dari", &q.dari),
                ("sampai", &q.sampai),
                ("cursor", &list.next_cursor)
            ])
            .unwrap_or_default()
        )
    };
    html(&Audit {
        page: Page::new(&s, &session, "Jejak audit").await,
        q,
        list,
        staff,
        errors,
        next,
    })
}
