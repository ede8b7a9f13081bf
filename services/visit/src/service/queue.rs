//! Taking numbers and the counter's actions: call next, recall, skip, transfer, start,
//! finish.

use chrono::Utc;
use uuid::Uuid;

use pst_kit::AppError;
use pst_kit::auth::{Caller, Role};

use super::{Visits, front_office, parse_id};
use crate::domain::ticket::{self, Status};
use crate::live::{Kiosk, Outcome, Taken};
use crate::store::setup::Setup;
use crate::store::tickets::{self, InsertError, NewTicket, TicketRow};

/// Attempts at a live step before giving up (each NOTREADY triggers a rebuild).
const LIVE_ATTEMPTS: usize = 3;

fn queue_unavailable() -> AppError {
    AppError::Unavailable {
        code: "QUEUE_UNAVAILABLE",
        detail: "Layanan antrean sedang tidak tersedia; coba lagi sebentar lagi.".into(),
    }
}

/// Longest kiosk device name.
const MAX_DEVICE: usize = 64;

impl Visits {
    /// A kiosk (anonymous, rate-limited per device) or a signed-in visitor takes a number.
    #[tracing::instrument(skip(self, caller), fields(office = office, ticket))]
    pub async fn take_ticket(
        &self,
        caller: Option<&Caller>,
        office: &str,
        service_type: &str,
        device: &str,
        client: &str,
    ) -> Result<(TicketRow, u32), AppError> {
        // The device name becomes part of Redis keys and a ticket column: bounded and plain.
        let device = device.trim();
        if device.chars().count() > MAX_DEVICE
            || !device
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(AppError::field(
                "device_id",
                format!(
                    "Nama perangkat kios: huruf, angka, - _ . saja, paling banyak {MAX_DEVICE} karakter."
                ),
            ));
        }
        if service_type.len() > 64 {
            return Err(AppError::field(
                "service_type",
                "Jenis layanan tidak dikenal.",
            ));
        }
        let s = self.setup(office).await?;
        let line = s.service_type(service_type.trim())?.clone();
        let now = Utc::now();
        if s.holidays.contains(&s.clock.day(now)) {
            return Err(AppError::FailedPrecondition {
                code: "OFFICE_CLOSED",
                detail:
                    "Hari ini hari libur; layanan tutup. Silakan datang pada hari kerja berikutnya."
                        .into(),
            });
        }
        if !s.clock.is_open(now, s.opens_at, s.closes_at, &s.open_days) {
            return Err(AppError::FailedPrecondition {
                code: "OFFICE_CLOSED",
                detail: format!(
                    "Di luar jam layanan. Layanan buka pukul {}-{} {} pada hari kerja.",
                    s.opens_at.format("%H:%M"),
                    s.closes_at.format("%H:%M"),
                    s.clock.abbreviation()
                ),
            });
        }
        let user = caller
            .filter(|c| c.role == Role::Visitor)
            .map(|c| c.user_id);
        // Anonymous kiosks are counted per client address and device, in the same Redis step;
        // so is staff of another office (only an office's own staff hand out numbers freely).
        let limit = self.cfg.kiosk_tickets_per_minute;
        let staff_elsewhere = caller.is_some_and(|c| {
            c.role.is_staff()
                && c.role != Role::Admin
                && c.office.as_deref() != Some(s.code.as_str())
        });
        let kiosk = (caller.is_none() || staff_elsewhere).then_some(Kiosk {
            client,
            device,
            device_limit: limit,
            // Several kiosks may share an address; one address may not mint devices at will.
            client_limit: limit.saturating_mul(4),
        });
        let day = s.clock.day(now);
        let d = self.day_keys(&s.code, day);
        let id = Uuid::now_v7();
        tracing::Span::current().record("ticket", tracing::field::display(id));
        let mut attempts = 0;
        let row = loop {
            attempts += 1;
            if attempts > 8 {
                return Err(queue_unavailable());
            }
            let (seq, number) = match self.live.take(&d, &line.prefix, kiosk).await? {
                Outcome::Ready(Taken::Number { seq, number }) => (seq, number),
                Outcome::Ready(Taken::RateLimited) => {
                    return Err(AppError::TooManyRequests {
                        code: "KIOSK_RATE_LIMITED",
                        detail: "Terlalu banyak nomor diambil dari perangkat ini; tunggu sebentar."
                            .into(),
                        retry_after_secs: 60,
                    });
                }
                Outcome::NotReady => {
                    self.rebuild(&s, day).await?;
                    continue;
                }
            };
            let new = NewTicket {
                id,
                office: &s.code,
                day,
                service_type: &line.code,
                prefix: &line.prefix,
                number,
                seq,
                user,
                device,
            };
            match tickets::insert(&self.pool, &new).await {
                Ok(row) => break row,
                // Redis lost a count since the record was written: take the next number.
                Err(InsertError::NumberTaken) => continue,
                Err(InsertError::UserHasOpenTicket) => {
                    return Err(AppError::Conflict {
                        code: "OPEN_TICKET_EXISTS",
                        detail: "Anda sudah memiliki nomor antrean aktif hari ini.".into(),
                        field: None,
                    });
                }
                Err(InsertError::Other(e)) => return Err(e),
            }
        };
        let shown = row.display_number();
        let mut position = 0;
        for _ in 0..LIVE_ATTEMPTS {
            match self
                .live
                .enqueue(
                    &d,
                    &line.code,
                    id,
                    row.seq,
                    &format!("Nomor {shown} diambil ({})", line.name),
                )
                .await?
            {
                Outcome::Ready(rank) => {
                    position = rank;
                    break;
                }
                Outcome::NotReady => self.rebuild(&s, day).await?,
            }
        }
        Ok((row, position))
    }

    /// The ticket's owner, the office's staff, or anyone holding an anonymous ticket's id.
    pub async fn ticket(
        &self,
        caller: Option<&Caller>,
        id: &str,
    ) -> Result<(TicketRow, u32, Setup), AppError> {
        let id = parse_id("ticket_id", id)?;
        let row = tickets::get(&self.pool, id)
            .await?
            .ok_or_else(tickets::not_found)?;
        match (caller, row.user_id) {
            (Some(c), _) if c.role.is_staff() => c.require_role_in_office(
                &[
                    Role::FrontOffice,
                    Role::Supervisor,
                    Role::Librarian,
                    Role::Admin,
                ],
                &row.office_code,
            )?,
            (Some(c), Some(owner)) if c.user_id != owner => {
                return Err(AppError::forbidden(
                    "Nomor antrean ini milik pengguna lain.",
                ));
            }
            (None, Some(_)) => {
                return Err(AppError::unauthenticated(
                    "Silakan masuk untuk melihat nomor antrean ini.",
                ));
            }
            _ => {}
        }
        let position = if row.status() == Status::Waiting {
            tickets::position(&self.pool, &row).await?
        } else {
            0
        };
        let s = self.setup(&row.office_code).await?;
        Ok((row, position, s))
    }

    /// The caller's own tickets, newest first, each with its place in line while waiting;
    /// and the cursor of the next page (empty at the end).
    pub async fn my_tickets(
        &self,
        caller: &Caller,
        cursor: &str,
        limit: u32,
    ) -> Result<(Vec<(TicketRow, u32, Setup)>, String), AppError> {
        let before = match cursor {
            "" => None,
            c => Some(Uuid::parse_str(c).map_err(|_| {
                AppError::field(
                    "cursor",
                    "Kursor halaman tidak dikenal; mulai dari halaman pertama.",
                )
            })?),
        };
        let limit = match limit {
            0 => 20,
            n @ 1..=100 => n,
            _ => return Err(AppError::field("limit", "Ukuran halaman 1-100.")),
        };
        let mut rows =
            tickets::of_user(&self.pool, caller.user_id, before, i64::from(limit) + 1).await?;
        let next = if rows.len() > limit as usize {
            rows.truncate(limit as usize);
            rows.last().map(|t| t.id.to_string()).unwrap_or_default()
        } else {
            String::new()
        };
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let position = if row.status() == Status::Waiting {
                tickets::position(&self.pool, &row).await?
            } else {
                0
            };
            let s = self.setup(&row.office_code).await?;
            out.push((row, position, s));
        }
        Ok((out, next))
    }

    /// The oldest waiting ticket of the counter's lines, exactly once even with many
    /// counters calling at the same moment.
    #[tracing::instrument(skip(self, caller), fields(office = office, counter = counter))]
    pub async fn call_next(
        &self,
        caller: &Caller,
        office: &str,
        counter: &str,
    ) -> Result<Option<TicketRow>, AppError> {
        let s = self.setup(office).await?;
        front_office(caller, &s.code)?;
        let c = s.counter(counter.trim())?.clone();
        let day = s.clock.day(Utc::now());
        let d = self.day_keys(&s.code, day);
        let mut rebuilds = 0;
        loop {
            let popped = match self.live.call_next(&d, &c.service_types).await? {
                Outcome::Ready(p) => p,
                Outcome::NotReady => {
                    rebuilds += 1;
                    if rebuilds > LIVE_ATTEMPTS {
                        return Err(queue_unavailable());
                    }
                    self.rebuild(&s, day).await?;
                    continue;
                }
            };
            let Some((id, seq, line)) = popped else {
                return Ok(None);
            };
            let called = match tickets::mark_called(
                &self.pool,
                id,
                &c.code,
                &c.service_types,
                caller.user_id,
            )
            .await
            {
                Ok(r) => r,
                Err(e) => {
                    // Not recorded: put it back where it was, so no one loses their place.
                    if let Err(re) = self.live.requeue(&d, &c.service_types[line], id, seq).await {
                        tracing::error!(error = %re, ticket = %id, "could not requeue; forcing a rebuild");
                        self.heal(&s.code, day);
                    }
                    return Err(e);
                }
            };
            // None: the record says it is no longer waiting (a stale entry): take the next.
            let Some(row) = called else { continue };
            let waited = row.called_at.unwrap_or_else(Utc::now) - row.taken_at;
            pst_kit::metrics::get().called(&s.code, waited.num_milliseconds() as f64 / 1000.0);
            let shown = row.display_number();
            let event = format!("Nomor {shown} dipanggil ke {}", c.name);
            self.live_counter(&s, day, &c.code, Some((row.id, &shown, "called")), &event)
                .await;
            return Ok(Some(row));
        }
    }

    /// Updates a counter on the board; the record is already right, so a Redis failure here
    /// only marks the live state for a rebuild.
    async fn live_counter(
        &self,
        s: &Setup,
        day: chrono::NaiveDate,
        counter: &str,
        now: Option<(Uuid, &str, &str)>,
        event: &str,
    ) {
        let d = self.day_keys(&s.code, day);
        for _ in 0..LIVE_ATTEMPTS {
            match self.live.set_counter(&d, counter, now, event).await {
                Ok(Outcome::Ready(())) => return,
                Ok(Outcome::NotReady) => {
                    if self.rebuild(s, day).await.is_err() {
                        return;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "board not updated; forcing a rebuild from the record");
                    self.heal(&s.code, day);
                    return;
                }
            }
        }
    }

    /// Runs a checked state change on a ticket under a row lock.
    async fn change(
        &self,
        caller: &Caller,
        id: &str,
        action: &'static str,
        check: impl FnOnce(&TicketRow) -> Result<(Status, Option<String>), AppError>,
    ) -> Result<(TicketRow, Setup), AppError> {
        let id = parse_id("ticket_id", id)?;
        let mut tx = self.pool.begin().await?;
        let row = tickets::get_for_update(&mut *tx, id)
            .await?
            .ok_or_else(tickets::not_found)?;
        front_office(caller, &row.office_code)?;
        let (next, counter) = check(&row)?;
        let updated = tickets::set_state(
            &mut tx,
            id,
            next,
            caller.user_id,
            counter.as_deref(),
            action,
        )
        .await?;
        tx.commit().await?;
        let s = self.setup(&updated.office_code).await?;
        Ok((updated, s))
    }

    pub async fn recall(
        &self,
        caller: &Caller,
        id: &str,
        counter: &str,
    ) -> Result<TicketRow, AppError> {
        let (max_calls, grace) = (self.cfg.max_calls, self.cfg.skip_grace_secs);
        let counter = counter.trim().to_owned();
        let before = tickets::get(&self.pool, parse_id("ticket_id", id)?)
            .await?
            .ok_or_else(tickets::not_found)?;
        if !counter.is_empty() {
            let setup = self.setup(&before.office_code).await?;
            let c = setup.counter(&counter)?;
            if !c.service_types.contains(&before.service_type) {
                return Err(AppError::FailedPrecondition {
                    code: "COUNTER_DOES_NOT_SERVE",
                    detail: format!("{} tidak melayani jenis layanan nomor ini.", c.name),
                });
            }
        }
        let (row, s) = self
            .change(caller, id, "recall", |t| {
                let skipped_ago = t.skipped_at.map(|at| (Utc::now() - at).num_seconds());
                ticket::check_recall(
                    t.status(),
                    u32::try_from(t.call_count).unwrap_or(0),
                    max_calls,
                    skipped_ago,
                    grace,
                )?;
                let at = if counter.is_empty() {
                    t.counter.clone()
                } else {
                    Some(counter.clone())
                };
                Ok((Status::Called, at))
            })
            .await?;
        let c = row.counter.clone().unwrap_or_default();
        if let Some(old) = before
            .counter
            .as_deref()
            .filter(|old| *old != c && before.status() == Status::Called)
        {
            self.live_counter(&s, row.service_day, old, None, "").await;
        }
        let name = s.counter(&c).map(|x| x.name.clone()).unwrap_or(c.clone());
        let shown = row.display_number();
        self.live_counter(
            &s,
            row.service_day,
            &c,
            Some((row.id, &shown, "called")),
            &format!("Panggilan ulang: nomor {shown} ke {name}"),
        )
        .await;
        Ok(row)
    }

    pub async fn skip(&self, caller: &Caller, id: &str) -> Result<TicketRow, AppError> {
        let (row, s) = self
            .change(caller, id, "skip", |t| {
                ticket::check_skip(t.status()).map(|()| (Status::Skipped, None))
            })
            .await?;
        let c = row.counter.clone().unwrap_or_default();
        self.live_counter(
            &s,
            row.service_day,
            &c,
            None,
            &format!("Nomor {} dilewati", row.display_number()),
        )
        .await;
        Ok(row)
    }

    pub async fn start(&self, caller: &Caller, id: &str) -> Result<TicketRow, AppError> {
        let (row, s) = self
            .change(caller, id, "start", |t| {
                ticket::check_start(t.status()).map(|()| (Status::Serving, None))
            })
            .await?;
        let c = row.counter.clone().unwrap_or_default();
        let shown = row.display_number();
        // The promise: served within `promise_secs` of the guest book.
        if let Ok(Some(book)) = crate::store::visits::guest_book_at(&self.pool, row.id).await
            && (row.started_at.unwrap_or_else(Utc::now) - book).num_milliseconds()
                > i64::from(self.cfg.promise_secs) * 1000
        {
            pst_kit::metrics::get().promise_broken(&s.code);
        }
        self.live_counter(
            &s,
            row.service_day,
            &c,
            Some((row.id, &shown, "serving")),
            &format!("Nomor {shown} sedang dilayani"),
        )
        .await;
        Ok(row)
    }

    pub async fn finish(&self, caller: &Caller, id: &str) -> Result<TicketRow, AppError> {
        let (row, s) = self
            .change(caller, id, "finish", |t| {
                ticket::check_finish(t.status()).map(|()| (Status::Done, None))
            })
            .await?;
        let c = row.counter.clone().unwrap_or_default();
        self.live_counter(
            &s,
            row.service_day,
            &c,
            None,
            &format!("Layanan nomor {} selesai", row.display_number()),
        )
        .await;
        Ok(row)
    }

    /// Moves a ticket to another line, keeping its place in the order of arrival.
    pub async fn transfer(
        &self,
        caller: &Caller,
        id: &str,
        service_type: &str,
    ) -> Result<TicketRow, AppError> {
        let id = parse_id("ticket_id", id)?;
        let mut tx = self.pool.begin().await?;
        let before = tickets::get_for_update(&mut *tx, id)
            .await?
            .ok_or_else(tickets::not_found)?;
        front_office(caller, &before.office_code)?;
        ticket::check_transfer(before.status())?;
        let s = self.setup(&before.office_code).await?;
        let to = s.service_type(service_type.trim())?.clone();
        if to.code == before.service_type {
            return Err(AppError::field(
                "service_type",
                "Nomor ini sudah berada di jenis layanan tersebut.",
            ));
        }
        let row = tickets::transfer(&mut tx, id, &to.code, &to.prefix, caller.user_id).await?;
        tx.commit().await?;
        let d = self.day_keys(&s.code, row.service_day);
        let shown = row.display_number();
        let event = format!("Nomor {shown} dipindahkan ke {}", to.name);
        for _ in 0..LIVE_ATTEMPTS {
            match self
                .live
                .move_line(&d, &before.service_type, &to.code, id, row.seq, &event)
                .await
            {
                Ok(Outcome::Ready(())) => break,
                Ok(Outcome::NotReady) => self.rebuild(&s, row.service_day).await?,
                Err(e) => {
                    tracing::warn!(error = %e, ticket = %id, "transfer recorded but not applied live; forcing a rebuild");
                    self.heal(&s.code, row.service_day);
                    break;
                }
            }
        }
        if let Some(c) = &before.counter
            && matches!(before.status(), Status::Called)
        {
            self.live_counter(&s, row.service_day, c, None, "").await;
        }
        Ok(row)
    }
}
