//! Complaints (pengaduan) from every channel, their life cycle, answers by staff (mailed to
//! the complainant), deadlines in working days, and statistics.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use pst_kit::AppError;
use pst_kit::auth::{Caller, Role};

use super::{Feedback, parse_id, parse_period};
use crate::domain::complaint::{self, Actor, CATEGORIES, CHANNELS, REFERENCE_KINDS, Status};
use crate::domain::workdays::add_working_days;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Row {
    pub id: Uuid,
    pub office_code: String,
    pub channel: String,
    pub category: String,
    pub text: String,
    pub status: String,
    pub reference_kind: String,
    pub reference_id: String,
    pub user_id: Option<Uuid>,
    pub tracking_hash: Option<Vec<u8>>,
    pub contact_name: String,
    pub contact_email: String,
    pub assigned_to: Option<Uuid>,
    pub received_at: DateTime<Utc>,
    pub verify_due: NaiveDate,
    pub follow_up_due: NaiveDate,
    pub answered_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The contact address may receive answers (an account's, one staff recorded, or one
    /// its owner confirmed from the link mailed at filing).
    pub contact_verified: bool,
}

impl Row {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Received)
    }

    pub fn overdue(&self, today: NaiveDate) -> bool {
        match self.status() {
            Status::Received => today > self.verify_due || today > self.follow_up_due,
            Status::InProgress | Status::Reopened => today > self.follow_up_due,
            Status::Answered | Status::Closed => false,
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Message {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub author_role: String,
    pub author_id: Option<Uuid>,
    pub text: String,
}

/// A complaint as shown, with its thread and (once, at creation) its tracking code.
#[derive(Debug, Clone)]
pub struct ComplaintView {
    pub row: Row,
    pub messages: Vec<Message>,
    pub tracking_code: String,
    pub tz: chrono_tz::Tz,
    pub overdue: bool,
}

#[derive(Debug)]
pub struct Report {
    pub office: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total: i64,
    pub by_channel: Vec<(String, i64)>,
    pub by_category: Vec<(String, i64)>,
    pub by_status: Vec<(String, i64)>,
    pub median_hours: Option<f64>,
    pub overdue: i64,
}

/// Raw fields of a new complaint.
#[derive(Debug, Default)]
pub struct NewComplaint {
    pub channel: String,
    pub category: String,
    pub text: String,
    pub office: String,
    pub reference_kind: String,
    pub reference_id: String,
    pub contact_email: String,
    pub contact_name: String,
}

const COLUMNS: &str = "id, office_code::text AS office_code, channel, category, text, status, reference_kind, reference_id, user_id, \
     tracking_hash, contact_name, contact_email, assigned_to, received_at, verify_due, follow_up_due, answered_at, closed_at, \
     contact_verified_at IS NOT NULL AS contact_verified";

fn not_found() -> AppError {
    AppError::NotFound {
        code: "COMPLAINT_NOT_FOUND",
        detail: "Pengaduan tidak ditemukan.".into(),
    }
}

fn staff_roles() -> [Role; 4] {
    [
        Role::FrontOffice,
        Role::Librarian,
        Role::Supervisor,
        Role::Admin,
    ]
}

impl Feedback {
    pub async fn create_complaint(
        &self,
        caller: Option<&Caller>,
        bearer: Option<&str>,
        c: NewComplaint,
    ) -> Result<ComplaintView, AppError> {
        let office = pst_kit::validate::office_code(&c.office)
            .map_err(|m| AppError::field("office_code", m))?;
        let staff = caller.filter(|c| c.role.is_staff());
        if let Some(s) = staff {
            s.require_role_in_office(&staff_roles(), &office)?;
        }
        let mut v = pst_kit::validate::Violations::new();
        let channel = v
            .check("channel", complaint::one_of(&c.channel, &CHANNELS))
            .unwrap_or_default();
        if staff.is_none() && channel != "app" && !channel.is_empty() {
            v.add("channel", "Pengaduan dari aplikasi atau kios memakai kanal 'app'; kanal lain dicatat oleh petugas.");
        }
        let category = v
            .check("category", complaint::one_of(&c.category, &CATEGORIES))
            .unwrap_or_default();
        let text = v
            .check(
                "text",
                complaint::text("text", &c.text)
                    .map_err(|_| format!("Isi pengaduan 10-{} karakter.", complaint::MAX_TEXT)),
            )
            .unwrap_or_default();
        let kind = c.reference_kind.trim().to_owned();
        if !kind.is_empty() && !REFERENCE_KINDS.contains(&kind.as_str()) {
            v.add(
                "reference_kind",
                format!("Pilihan: {}.", REFERENCE_KINDS.join(", ")),
            );
        }
        if !kind.is_empty() && Uuid::parse_str(c.reference_id.trim()).is_err() {
            v.add("reference_id", "ID rujukan tidak valid.");
        }
        let mut email = if c.contact_email.trim().is_empty() {
            String::new()
        } else {
            v.check("contact_email", pst_kit::validate::email(&c.contact_email))
                .unwrap_or_default()
        };
        let name = v
            .check(
                "contact_name",
                pst_kit::validate::optional_text(&c.contact_name, 120),
            )
            .unwrap_or_default();
        v.into_result()?;
        let visitor = caller.filter(|c| c.role == Role::Visitor);
        if email.is_empty() && visitor.is_some() {
            email = self.account_email(bearer).await;
        }
        let tz = self.zone(&office).await;
        let today = Utc::now().with_timezone(&tz).date_naive();
        let verify_due = add_working_days(today, self.cfg.verify_days, &self.holidays);
        let follow_up_due = add_working_days(today, self.cfg.follow_up_days, &self.holidays);
        let code = if caller.is_none() {
            pst_kit::crypto::short_code(10)
        } else {
            String::new()
        };
        let id = Uuid::now_v7();
        // An address typed by an anonymous complainant receives answers only after its owner
        // confirms it: nobody can have answers about someone else's matter mailed to them,
        // or use the form to mail a stranger.
        let confirm = (caller.is_none() && !email.is_empty()).then(pst_kit::crypto::new_token);
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO complaints (id, office_code, channel, category, text, status, reference_kind, reference_id, user_id, tracking_hash, \
             contact_name, contact_email, filed_by, verify_due, follow_up_due, contact_verified_at, contact_token_hash) \
             VALUES ($1,$2,$3,$4,$5,'received',$6,$7,$8,$9,$10,$11,$12,$13,$14, CASE WHEN $15 THEN now() END, $16)",
        )
        .bind(id)
        .bind(&office)
        .bind(&channel)
        .bind(&category)
        .bind(&text)
        .bind(&kind)
        .bind(c.reference_id.trim())
        .bind(visitor.map(|c| c.user_id))
        .bind((!code.is_empty()).then(|| pst_kit::crypto::hash_code(&code)))
        .bind(&name)
        .bind(&email)
        .bind(staff.map(|s| s.user_id))
        .bind(verify_due)
        .bind(follow_up_due)
        .bind(!email.is_empty() && confirm.is_none())
        .bind(confirm.as_ref().map(|(_, hash)| hash.clone()))
        .execute(&mut *tx)
        .await?;
        if let Some(s) = staff {
            pst_kit::audit::record(
                &mut *tx,
                s,
                Some(&office),
                "complaint.file",
                &id.to_string(),
                serde_json::json!({ "channel": channel }),
            )
            .await?;
        }
        tx.commit().await?;
        if let Some((token, _)) = confirm {
            self.mail_contact_confirmation(&email, &name, &token).await;
        }
        let mut view = self.view(id).await?;
        view.tracking_code = code;
        Ok(view)
    }

    async fn mail_contact_confirmation(&self, email: &str, name: &str, token: &str) {
        let body = format!(
            "Yth. {name},\n\nPengaduan kepada PST BPS baru saja dikirim dengan alamat e-mail ini sebagai kontak.\n\
             Agar tanggapan petugas dikirim ke alamat ini, konfirmasikan melalui tautan berikut:\n\
             {url}/pengaduan/konfirmasi?token={token}\n\n\
             Jika Anda tidak mengirim pengaduan, abaikan e-mail ini; tidak ada yang akan dikirim lagi ke alamat ini.\n\n\
             Pelayanan Statistik Terpadu (PST) BPS\n",
            name = if name.is_empty() { "Bapak/Ibu" } else { name },
            url = self.public_url.trim_end_matches('/'),
        );
        if let Err(e) = self
            .mailer
            .send(
                email,
                "Konfirmasi e-mail untuk pengaduan Anda - PST BPS",
                body,
            )
            .await
        {
            tracing::error!(error = ?e, "complaint contact confirmation not mailed");
        }
    }

    /// Confirms an anonymous complaint's contact address from the mailed link.
    pub async fn confirm_contact(&self, token: &str) -> Result<Uuid, AppError> {
        if token.trim().is_empty() {
            return Err(AppError::field("token", "Kode konfirmasi wajib diisi."));
        }
        let id: Option<Uuid> = sqlx::query_scalar(
            "UPDATE complaints SET contact_verified_at = now(), contact_token_hash = NULL \
             WHERE contact_token_hash = $1 AND contact_verified_at IS NULL RETURNING id",
        )
        .bind(pst_kit::crypto::hash_token(token.trim()))
        .fetch_optional(&self.pool)
        .await?;
        id.ok_or_else(|| AppError::FailedPrecondition {
            code: "TOKEN_INVALID_OR_EXPIRED",
            detail: "Tautan konfirmasi tidak berlaku atau sudah dipakai.".into(),
        })
    }

    async fn account_email(&self, bearer: Option<&str>) -> String {
        if bearer.is_none() {
            return String::new();
        }
        let req = pst_kit::grpc::forwarded(
            pst_proto::identity::GetMeRequest {},
            bearer,
            std::time::Duration::from_secs(2),
        );
        self.identity
            .clone()
            .get_me(req)
            .await
            .map(|r| r.into_inner().email)
            .unwrap_or_default()
    }

    async fn row(
        &self,
        db: impl sqlx::PgExecutor<'_>,
        id: Uuid,
        lock: bool,
    ) -> Result<Row, AppError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM complaints WHERE id = $1{}",
            if lock { " FOR UPDATE" } else { "" }
        );
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(db)
            .await?
            .ok_or_else(not_found)
    }

    async fn view(&self, id: Uuid) -> Result<ComplaintView, AppError> {
        let row = self.row(&self.pool, id, false).await?;
        let messages = sqlx::query_as("SELECT id, at, author_role, author_id, text FROM complaint_messages WHERE complaint_id = $1 ORDER BY at, id")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        let tz = self.zone(&row.office_code).await;
        let overdue = row.overdue(Utc::now().with_timezone(&tz).date_naive());
        Ok(ComplaintView {
            row,
            messages,
            tracking_code: String::new(),
            tz,
            overdue,
        })
    }

    /// Who is asking about `row`: its complainant, the office's staff, or nobody allowed.
    fn actor(caller: Option<&Caller>, tracking: &str, row: &Row) -> Result<Actor, AppError> {
        // A code sent is checked even when the caller needs none: a malformed one is an
        // error, not silently ignored.
        let t = tracking.trim();
        if !t.is_empty()
            && (t.len() != 10
                || !t
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() && !b"IiOo01".contains(&b)))
        {
            return Err(AppError::field(
                "tracking_code",
                "Kode pelacakan terdiri dari 10 huruf dan angka.",
            ));
        }
        match caller {
            Some(c) if c.role.is_staff() => c
                .require_role_in_office(&staff_roles(), &row.office_code)
                .map(|()| Actor::Staff),
            Some(c) if row.user_id == Some(c.user_id) => Ok(Actor::Complainant),
            _ if !tracking.trim().is_empty()
                && row.tracking_hash.as_deref()
                    == Some(pst_kit::crypto::hash_code(tracking).as_slice()) =>
            {
                Ok(Actor::Complainant)
            }
            None => Err(AppError::unauthenticated(
                "Masuk atau sertakan kode pelacakan pengaduan.",
            )),
            Some(_) => Err(AppError::forbidden("Pengaduan ini bukan milik Anda.")),
        }
    }

    pub async fn complaint(
        &self,
        caller: Option<&Caller>,
        id: &str,
        tracking: &str,
    ) -> Result<ComplaintView, AppError> {
        let id = parse_id("complaint_id", id)?;
        let view = self.view(id).await?;
        Self::actor(caller, tracking, &view.row)?;
        Ok(view)
    }

    /// Own complaints (visitor) or the office's (staff), newest first; `status` may be
    /// "overdue".
    pub async fn list(
        &self,
        caller: &Caller,
        office: &str,
        status: &str,
        due_by: &str,
        cursor: &str,
        limit: u32,
    ) -> Result<(Vec<ComplaintView>, String), AppError> {
        let due_by =
            match due_by.trim() {
                "" => None,
                d => Some(NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                    AppError::field("due_by", "Tenggat harus berformat YYYY-MM-DD.")
                })?),
            };
        let limit = match limit {
            0 => 50,
            n if n > 200 => return Err(AppError::field("limit", "Ukuran halaman maksimal 200.")),
            n => i64::from(n),
        };
        let status = status.trim();
        if !status.is_empty() && status != "overdue" && Status::parse(status).is_none() {
            return Err(AppError::field(
                "status",
                "Status: received, in_progress, answered, closed, reopened, atau overdue.",
            ));
        }
        let after: Option<(DateTime<Utc>, Uuid)> = if cursor.is_empty() {
            None
        } else {
            let (t, i) = cursor
                .split_once('_')
                .ok_or_else(|| AppError::field("cursor", "Kursor tidak valid."))?;
            Some((
                DateTime::from_timestamp_micros(
                    t.parse()
                        .map_err(|_| AppError::field("cursor", "Kursor tidak valid."))?,
                )
                .ok_or_else(|| AppError::field("cursor", "Kursor tidak valid."))?,
                Uuid::parse_str(i).map_err(|_| AppError::field("cursor", "Kursor tidak valid."))?,
            ))
        };
        // An office sent is checked even where it is not used (a visitor's own list).
        if !office.trim().is_empty() {
            pst_kit::validate::office_code(office)
                .map_err(|m| AppError::field("office_code", m))?;
        }
        let (scope, key) = if caller.role.is_staff() {
            // No office asked: the caller's own (an admin of no office must name one).
            let office = match (office.trim(), caller.office.as_deref()) {
                ("", Some(own)) => own,
                _ => office,
            };
            let office = pst_kit::validate::office_code(office)
                .map_err(|m| AppError::field("office_code", m))?;
            caller.require_role_in_office(&staff_roles(), &office)?;
            ("office_code = $1::char(4)", office)
        } else {
            ("user_id = $1::uuid", caller.user_id.to_string())
        };
        // "Today" is the office's date (a visitor's own list: WIB), not the server's.
        let tz = if caller.role.is_staff() {
            self.zone(&key).await
        } else {
            chrono_tz::Asia::Jakarta
        };
        let today = Utc::now().with_timezone(&tz).date_naive();
        let filter = match status {
            "" => String::new(),
            "overdue" => " AND ((status = 'received' AND (verify_due < $5 OR follow_up_due < $5)) \
                          OR (status IN ('in_progress', 'reopened') AND follow_up_due < $5))"
                .to_owned(),
            s => format!(" AND status = '{s}'"),
        };
        let due = if due_by.is_some() {
            " AND status IN ('received', 'in_progress', 'reopened') AND follow_up_due <= $6"
        } else {
            " AND $6::date IS NULL"
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM complaints WHERE {scope}{filter}{due} AND ($2::timestamptz IS NULL OR (received_at, id) < ($2, $3)) \
             AND $5::date IS NOT NULL ORDER BY received_at DESC, id DESC LIMIT $4"
        );
        let (at, aid) = after.unzip();
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(&key)
            .bind(at)
            .bind(aid)
            .bind(limit + 1)
            .bind(today)
            .bind(due_by)
            .fetch_all(&self.pool)
            .await?;
        let more = rows.len() as i64 > limit;
        let mut out = Vec::new();
        for row in rows.into_iter().take(usize::try_from(limit).unwrap_or(0)) {
            let tz = self.zone(&row.office_code).await;
            let overdue = row.overdue(Utc::now().with_timezone(&tz).date_naive());
            out.push(ComplaintView {
                row,
                messages: Vec::new(),
                tracking_code: String::new(),
                tz,
                overdue,
            });
        }
        let next = if more {
            out.last()
                .map(|v| format!("{}_{}", v.row.received_at.timestamp_micros(), v.row.id))
                .unwrap_or_default()
        } else {
            String::new()
        };
        Ok((out, next))
    }

    /// A message in the thread. A staff answer moves an open complaint to "answered" and is
    /// mailed to the complainant.
    pub async fn respond(
        &self,
        caller: Option<&Caller>,
        id: &str,
        tracking: &str,
        text: &str,
        expected_messages: Option<u32>,
    ) -> Result<ComplaintView, AppError> {
        let id = parse_id("complaint_id", id)?;
        let text = complaint::text("text", text)?;
        let mut tx = self.pool.begin().await?;
        let row = self.row(&mut *tx, id, true).await?;
        let actor = Self::actor(caller, tracking, &row)?;
        if let Some(expected) = expected_messages {
            let (n,): (i64,) =
                sqlx::query_as("SELECT count(*) FROM complaint_messages WHERE complaint_id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            if n != i64::from(expected) {
                return Err(AppError::Conflict {
                    code: "COMPLAINT_THREAD_CHANGED",
                    detail: "Pengaduan ini baru saja mendapat tanggapan lain sejak Anda membukanya. \
                             Tanggapan Anda belum terkirim: baca tanggapan terbaru, lalu kirim lagi bila masih perlu."
                        .into(),
                    field: None,
                });
            }
        }
        let (role, author) = match actor {
            Actor::Staff => ("staff", caller.map(|c| c.user_id)),
            Actor::Complainant => ("complainant", caller.map(|c| c.user_id)),
        };
        sqlx::query("INSERT INTO complaint_messages (id, complaint_id, author_role, author_id, text) VALUES ($1,$2,$3,$4,$5)")
            .bind(Uuid::now_v7())
            .bind(id)
            .bind(role)
            .bind(author)
            .bind(&text)
            .execute(&mut *tx)
            .await?;
        if actor == Actor::Staff {
            if matches!(
                row.status(),
                Status::Received | Status::InProgress | Status::Reopened
            ) {
                sqlx::query("UPDATE complaints SET status = 'answered', answered_at = COALESCE(answered_at, now()) WHERE id = $1").bind(id).execute(&mut *tx).await?;
            }
            if let Some(c) = caller {
                pst_kit::audit::record(
                    &mut *tx,
                    c,
                    Some(&row.office_code),
                    "complaint.respond",
                    &id.to_string(),
                    serde_json::json!({}),
                )
                .await?;
            }
        }
        tx.commit().await?;
        if actor == Actor::Staff && !row.contact_email.is_empty() && !row.contact_verified {
            tracing::info!(complaint = %id, "answer not mailed: the contact address is not confirmed");
        }
        if actor == Actor::Staff && !row.contact_email.is_empty() && row.contact_verified {
            let body = format!(
                "Yth. {name},\n\nPengaduan Anda kepada PST BPS ({office}) telah ditanggapi:\n\n{text}\n\n\
                 Anda dapat melihat seluruh tanggapan di aplikasi PST Pustaka. Jika belum puas, Anda dapat membuka kembali \
                 pengaduan dalam {days} hari.\n\nPelayanan Statistik Terpadu (PST) BPS\n",
                name = if row.contact_name.is_empty() {
                    "Bapak/Ibu"
                } else {
                    &row.contact_name
                },
                office = row.office_code,
                days = self.cfg.reopen_days,
            );
            if let Err(e) = self
                .mailer
                .send(
                    &row.contact_email,
                    "Tanggapan atas pengaduan Anda - PST BPS",
                    body,
                )
                .await
            {
                tracing::error!(error = ?e, complaint = %id, "answer mail not sent");
            }
        }
        self.view(id).await
    }

    pub async fn change_status(
        &self,
        caller: Option<&Caller>,
        id: &str,
        tracking: &str,
        to: &str,
        assignee: &str,
    ) -> Result<ComplaintView, AppError> {
        let id = parse_id("complaint_id", id)?;
        let to = Status::parse(to.trim()).ok_or_else(|| {
            AppError::field(
                "status",
                "Status: received, in_progress, answered, closed, reopened.",
            )
        })?;
        let mut tx = self.pool.begin().await?;
        let row = self.row(&mut *tx, id, true).await?;
        let actor = Self::actor(caller, tracking, &row)?;
        let last = row.closed_at.or(row.answered_at).unwrap_or(row.received_at);
        let within = (Utc::now() - last).num_days() <= i64::from(self.cfg.reopen_days);
        if to != row.status() {
            complaint::check_transition(actor, row.status(), to, within)?;
        }
        let assignee = match assignee.trim() {
            "" => None,
            a if actor == Actor::Staff => Some(parse_id("assigned_to", a)?),
            _ => {
                return Err(AppError::forbidden(
                    "Hanya petugas yang dapat menugaskan pengaduan.",
                ));
            }
        };
        sqlx::query(
            "UPDATE complaints SET status = $2, assigned_to = COALESCE($3, assigned_to), \
             answered_at = CASE WHEN $2 = 'answered' THEN COALESCE(answered_at, now()) ELSE answered_at END, \
             closed_at = CASE WHEN $2 = 'closed' THEN now() WHEN $2 = 'reopened' THEN NULL ELSE closed_at END WHERE id = $1",
        )
        .bind(id)
        .bind(to.as_str())
        .bind(assignee)
        .execute(&mut *tx)
        .await?;
        if let (Actor::Staff, Some(c)) = (actor, caller) {
            pst_kit::audit::record(&mut *tx, c, Some(&row.office_code), "complaint.status", &id.to_string(), serde_json::json!({ "from": row.status, "to": to.as_str(), "assigned_to": assignee })).await?;
        }
        tx.commit().await?;
        self.view(id).await
    }

    pub async fn report(
        &self,
        caller: &Caller,
        office: &str,
        from: &str,
        to: &str,
    ) -> Result<Report, AppError> {
        let office = pst_kit::validate::office_code(office)
            .map_err(|m| AppError::field("office_code", m))?;
        caller.require_role_in_office(&[Role::Supervisor, Role::Admin], &office)?;
        let (from, to) = parse_period(from, to)?;
        let tz = self.zone(&office).await;
        let range =
            "office_code = $1::char(4) AND (received_at AT TIME ZONE $4)::date BETWEEN $2 AND $3";
        let group = |col: &str| {
            format!(
                "SELECT {col}, count(*) FROM complaints WHERE {range} GROUP BY 1 ORDER BY 2 DESC, 1"
            )
        };
        let q = |sql: String| {
            let office = office.clone();
            let tz = tz.name().to_owned();
            async move {
                sqlx::query_as::<_, (String, i64)>(sqlx::AssertSqlSafe(sql))
                    .bind(office)
                    .bind(from)
                    .bind(to)
                    .bind(tz)
                    .fetch_all(&self.pool)
                    .await
            }
        };
        let by_channel = q(group("channel")).await?;
        let by_category = q(group("category")).await?;
        let by_status = q(group("status")).await?;
        let (total, median, overdue): (i64, Option<f64>, i64) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM answered_at - received_at) / 3600.0), \
                    count(*) FILTER (WHERE (status = 'received' AND (verify_due < $5 OR follow_up_due < $5)) \
                                       OR (status IN ('in_progress', 'reopened') AND follow_up_due < $5)) \
             FROM complaints WHERE {range}"
        )))
        .bind(&office)
        .bind(from)
        .bind(to)
        .bind(tz.name())
        .bind(Utc::now().with_timezone(&tz).date_naive())
        .fetch_one(&self.pool)
        .await?;
        Ok(Report {
            office,
            from,
            to,
            total,
            by_channel,
            by_category,
            by_status,
            median_hours: median,
            overdue,
        })
    }
}
