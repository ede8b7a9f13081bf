//! The wire edge: `pst.visit.v1.VisitService` ⇄ the use cases in `service`.

use std::sync::Arc;

use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

use pst_kit::auth::Caller;
use pst_kit::redis::redis;
use pst_proto::visit as pb;
use pst_proto::visit::visit_service_server::VisitService;

use crate::grpc_convert::*;
use crate::service::Visits;

#[derive(Debug, Clone)]
pub struct VisitApi(pub Arc<Visits>);

type R<T> = Result<Response<T>, Status>;

fn client_ip<T>(req: &Request<T>) -> String {
    pst_kit::internal::client_ip(req)
}

fn bearer<T>(req: &Request<T>) -> Option<String> {
    req.metadata()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

impl VisitApi {
    fn caller<T>(&self, req: &Request<T>) -> Result<Caller, Status> {
        Ok(self.0.verifier().caller(req)?)
    }

    fn maybe_caller<T>(&self, req: &Request<T>) -> Result<Option<Caller>, Status> {
        Ok(self.0.verifier().optional_caller(req)?)
    }
}

#[tonic::async_trait]
impl VisitService for VisitApi {
    async fn take_ticket(&self, req: Request<pb::TakeTicketRequest>) -> R<pb::Ticket> {
        let caller = self.maybe_caller(&req)?;
        let ip = client_ip(&req);
        let r = req.into_inner();
        let (t, position) = self
            .0
            .take_ticket(
                caller.as_ref(),
                &r.office_code,
                &r.service_type,
                &r.device_id,
                &ip,
            )
            .await?;
        let s = self.0.setup(&t.office_code).await?;
        Ok(Response::new(ticket_pb(&t, position, &s.clock)))
    }

    async fn get_ticket(&self, req: Request<pb::GetTicketRequest>) -> R<pb::Ticket> {
        let caller = self.maybe_caller(&req)?;
        let (t, position, s) = self
            .0
            .ticket(caller.as_ref(), &req.into_inner().ticket_id)
            .await?;
        Ok(Response::new(ticket_pb(&t, position, &s.clock)))
    }

    async fn list_my_tickets(
        &self,
        req: Request<pb::ListMyTicketsRequest>,
    ) -> R<pb::ListMyTicketsResponse> {
        let caller = self.caller(&req)?;
        let r = req.into_inner();
        let (rows, next_cursor) = self.0.my_tickets(&caller, &r.cursor, r.limit).await?;
        Ok(Response::new(pb::ListMyTicketsResponse {
            tickets: rows
                .iter()
                .map(|(t, position, s)| ticket_pb(t, *position, &s.clock))
                .collect(),
            next_cursor,
        }))
    }

    async fn call_next(&self, req: Request<pb::CallNextRequest>) -> R<pb::CallNextResponse> {
        let caller = self.caller(&req)?;
        let r = req.into_inner();
        let t = self
            .0
            .call_next(&caller, &r.office_code, &r.counter)
            .await?;
        let ticket = match t {
            Some(t) => Some(ticket_pb(&t, 0, &self.0.setup(&t.office_code).await?.clock)),
            None => None,
        };
        Ok(Response::new(pb::CallNextResponse { ticket }))
    }

    async fn recall(&self, req: Request<pb::TicketActionRequest>) -> R<pb::Ticket> {
        let caller = self.caller(&req)?;
        let r = req.into_inner();
        let t = self.0.recall(&caller, &r.ticket_id, &r.counter).await?;
        Ok(Response::new(ticket_pb(
            &t,
            0,
            &self.0.setup(&t.office_code).await?.clock,
        )))
    }

    async fn skip(&self, req: Request<pb::TicketActionRequest>) -> R<pb::Ticket> {
        let caller = self.caller(&req)?;
        let t = self.0.skip(&caller, &req.into_inner().ticket_id).await?;
        Ok(Response::new(ticket_pb(
            &t,
            0,
            &self.0.setup(&t.office_code).await?.clock,
        )))
    }

    async fn transfer(&self, req: Request<pb::TransferRequest>) -> R<pb::Ticket> {
        let caller = self.caller(&req)?;
        let r = req.into_inner();
        let t = self
            .0
            .transfer(&caller, &r.ticket_id, &r.service_type)
            .await?;
        Ok(Response::new(ticket_pb(
            &t,
            0,
            &self.0.setup(&t.office_code).await?.clock,
        )))
    }

    async fn start_service(&self, req: Request<pb::TicketActionRequest>) -> R<pb::Ticket> {
        let caller = self.caller(&req)?;
        let t = self.0.start(&caller, &req.into_inner().ticket_id).await?;
        Ok(Response::new(ticket_pb(
            &t,
            0,
            &self.0.setup(&t.office_code).await?.clock,
        )))
    }

    async fn finish_service(&self, req: Request<pb::TicketActionRequest>) -> R<pb::Ticket> {
        let caller = self.caller(&req)?;
        let t = self.0.finish(&caller, &req.into_inner().ticket_id).await?;
        Ok(Response::new(ticket_pb(
            &t,
            0,
            &self.0.setup(&t.office_code).await?.clock,
        )))
    }

    async fn get_board(&self, req: Request<pb::GetBoardRequest>) -> R<pb::Board> {
        let caller = self.maybe_caller(&req)?;
        let b = self.0.board(&req.into_inner().office_code).await?;
        let staff_view = caller.is_some_and(|c| {
            c.role.is_staff() && c.require_role_in_office(&[c.role], &b.setup.code).is_ok()
        });
        Ok(Response::new(board_pb(&b, String::new(), staff_view)))
    }

    type StreamBoardStream = ReceiverStream<Result<pb::Board, Status>>;

    /// The board now, then again on every queue event of the office (and at least every
    /// `visit.board_refresh_secs`, so promise flags move on their own).
    async fn stream_board(&self, req: Request<pb::GetBoardRequest>) -> R<Self::StreamBoardStream> {
        let office = req.into_inner().office_code;
        let visits = Arc::clone(&self.0);
        let setup = visits.setup(&office).await?;
        // Follow the stream from its newest event *before* building the first board, so no
        // change in between is missed.
        let start_id = visits.live.last_event_id(&setup.code).await?;
        let first = visits.board(&office).await?;
        let permit = Arc::clone(&self.0).streams_permit().map_err(Status::from)?;
        let mut conn = pst_kit::redis::dedicated(&visits.redis).await?;
        let key = visits.live.events_key(&first.setup.code);
        let refresh_ms = visits.cfg.board_refresh_secs.max(1) * 1000;
        let (tx, rx) = tokio::sync::mpsc::channel(16);
        tokio::spawn(async move {
            let _permit = permit;
            if tx
                .send(Ok(board_pb(&first, String::new(), false)))
                .await
                .is_err()
            {
                return;
            }
            let mut last_id = start_id;
            loop {
                let read: redis::RedisResult<redis::streams::StreamReadReply> = redis::cmd("XREAD")
                    .arg("BLOCK")
                    .arg(refresh_ms)
                    .arg("STREAMS")
                    .arg(&key)
                    .arg(&last_id)
                    .query_async(&mut conn)
                    .await;
                let mut event = String::new();
                match read {
                    Ok(reply) => {
                        for id in reply.keys.into_iter().flat_map(|k| k.ids) {
                            if let Some(redis::Value::BulkString(b)) = id.map.get("event") {
                                event = String::from_utf8_lossy(b).into_owned();
                            }
                            last_id = id.id;
                        }
                    }
                    Err(e) => {
                        let _ = tx
                            .send(Err(Status::unavailable(format!(
                                "Aliran papan antrean terputus: {e}"
                            ))))
                            .await;
                        return;
                    }
                }
                let board = match visits.board(&office).await {
                    Ok(b) => board_pb(&b, event, false),
                    Err(e) => {
                        let _ = tx.send(Err(e.into())).await;
                        return;
                    }
                };
                if tx.send(Ok(board)).await.is_err() {
                    return; // the display board went away
                }
            }
        });
        Ok(Response::new(ReceiverStream::new(rx)))
    }

    async fn create_visit(&self, req: Request<pb::CreateVisitRequest>) -> R<pb::Visit> {
        let caller = self.maybe_caller(&req)?;
        let token = bearer(&req);
        let r = req.into_inner();
        let v = self
            .0
            .create_visit(
                caller.as_ref(),
                token.as_deref(),
                &r.ticket_id,
                guest_book(r.guest_book),
                &r.visit_card,
            )
            .await?;
        let s = self.0.setup(&v.office_code).await?;
        Ok(Response::new(visit_pb(v, None, &s.clock)))
    }

    async fn get_visit(&self, req: Request<pb::GetVisitRequest>) -> R<pb::Visit> {
        let caller = self.caller(&req)?;
        let (v, held) = self.0.visit(&caller, &req.into_inner().visit_id).await?;
        let s = self.0.setup(&v.office_code).await?;
        Ok(Response::new(visit_pb(v, held.as_ref(), &s.clock)))
    }

    async fn update_visit(&self, req: Request<pb::UpdateVisitRequest>) -> R<pb::Visit> {
        let caller = self.caller(&req)?;
        let r = req.into_inner();
        let v = self
            .0
            .update_visit(&caller, &r.visit_id, guest_book(r.guest_book), &r.fields)
            .await?;
        let s = self.0.setup(&v.office_code).await?;
        Ok(Response::new(visit_pb(v, None, &s.clock)))
    }

    async fn assign_locker(&self, req: Request<pb::AssignLockerRequest>) -> R<pb::Visit> {
        let caller = self.caller(&req)?;
        let r = req.into_inner();
        let (v, held) = self
            .0
            .assign_locker(&caller, &r.visit_id, r.locker, &r.id_type, &r.id_number)
            .await?;
        let s = self.0.setup(&v.office_code).await?;
        Ok(Response::new(visit_pb(v, held.as_ref(), &s.clock)))
    }

    async fn checkout(&self, req: Request<pb::CheckoutRequest>) -> R<pb::Visit> {
        let caller = self.caller(&req)?;
        let r = req.into_inner();
        let (v, code) = self
            .0
            .checkout(&caller, &r.visit_id, r.id_returned, &r.returned_to)
            .await?;
        let s = self.0.setup(&v.office_code).await?;
        let mut out = visit_pb(v, None, &s.clock);
        out.feedback_code = code;
        Ok(Response::new(out))
    }

    async fn list_lockers(&self, req: Request<pb::OfficeRequest>) -> R<pb::ListLockersResponse> {
        let caller = self.caller(&req)?;
        let lockers = self
            .0
            .lockers(&caller, &req.into_inner().office_code)
            .await?;
        Ok(Response::new(pb::ListLockersResponse {
            lockers: lockers
                .into_iter()
                .map(|(n, state, ticket)| pb::Locker {
                    number: u32::try_from(n).unwrap_or(0),
                    state,
                    ticket_number: ticket.unwrap_or_default(),
                })
                .collect(),
        }))
    }

    async fn list_custody(&self, req: Request<pb::OfficeRequest>) -> R<pb::ListCustodyResponse> {
        let caller = self.caller(&req)?;
        let (held, s) = self
            .0
            .custody(&caller, &req.into_inner().office_code)
            .await?;
        Ok(Response::new(pb::ListCustodyResponse {
            held: held.iter().map(|c| custody_pb(c, &s.clock)).collect(),
        }))
    }

    async fn get_service_time_report(
        &self,
        req: Request<pb::ServiceTimeReportRequest>,
    ) -> R<pb::ServiceTimeReport> {
        let caller = self.caller(&req)?;
        let r = req.into_inner();
        let rep = self
            .0
            .service_time_report(&caller, &r.office_code, &r.from, &r.to, r.summary_only)
            .await?;
        Ok(Response::new(report_pb(&rep)))
    }

    async fn get_floor(&self, req: Request<pb::OfficeRequest>) -> R<pb::Floor> {
        let caller = self.caller(&req)?;
        let f = self.0.floor(&caller, &req.into_inner().office_code).await?;
        Ok(Response::new(pb::Floor {
            office_code: f.office,
            waiting: count(f.counts.waiting),
            serving: count(f.counts.serving),
            at_risk: count(f.counts.at_risk),
            past_promise: count(f.counts.past_promise),
            cards_held: count(f.counts.cards_held),
            promise_secs: f.promise_secs,
            as_of: f.as_of,
            visits_today: count(f.counts.visits_today),
        }))
    }

    async fn save_office_setup(&self, req: Request<pb::OfficeSetup>) -> R<pb::OfficeSetup> {
        let caller = self.caller(&req)?;
        let r = req.into_inner();
        let raw = crate::domain::office::RawSetup {
            code: r.office_code,
            name: r.name,
            time_zone: r.time_zone,
            opens_at: r.opens_at,
            closes_at: r.closes_at,
            open_days: r.open_days,
            holidays: r.holidays,
            lockers: r.lockers,
            service_types: r
                .service_types
                .into_iter()
                .map(|t| (t.code, t.prefix, t.name))
                .collect(),
            counters: r
                .counters
                .into_iter()
                .map(|c| (c.code, c.name, c.service_types))
                .collect(),
        };
        let s = self.0.save_setup(&caller, raw).await?;
        Ok(Response::new(setup_pb(&s)))
    }

    async fn check_visit_for_feedback(
        &self,
        req: Request<pb::CheckVisitRequest>,
    ) -> R<pb::CheckVisitResponse> {
        let caller = self.maybe_caller(&req)?;
        let r = req.into_inner();
        let c = self
            .0
            .check_for_feedback(caller.as_ref(), &r.visit_id, &r.feedback_code)
            .await?;
        Ok(Response::new(pb::CheckVisitResponse {
            office_code: c.office,
            ended: c.ended_day.is_some(),
            user_id: c.user.map(|u| u.to_string()).unwrap_or_default(),
            ended_day: c.ended_day.map(|d| d.to_string()).unwrap_or_default(),
            visit_id: c.visit.to_string(),
        }))
    }

    async fn get_office_setup(&self, req: Request<pb::OfficeRequest>) -> R<pb::OfficeSetup> {
        let s = self.0.setup(&req.into_inner().office_code).await?;
        Ok(Response::new(setup_pb(&s)))
    }
}
