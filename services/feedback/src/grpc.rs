//! The wire edge: `pst.feedback.v1.FeedbackService` ⇄ the use cases in `service`.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use pst_kit::auth::Caller;
use pst_proto::feedback as pb;
use pst_proto::feedback::feedback_service_server::FeedbackService;

use crate::domain::questionnaire::{
    AGE_GROUPS, EDUCATION, ELEMENTS, INTEGRITY_QUESTIONS, OCCUPATIONS, SEXES,
};
use crate::service::{ComplaintView, Feedback};
use crate::service_inputs::{answers, new_complaint};

#[derive(Debug, Clone)]
pub struct FeedbackApi(pub Arc<Feedback>);

type R<T> = Result<Response<T>, Status>;

fn bearer<T>(req: &Request<T>) -> Option<String> {
    req.metadata()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

impl FeedbackApi {
    fn caller<T>(&self, req: &Request<T>) -> Result<Caller, Status> {
        Ok(self.0.verifier().caller(req)?)
    }
    fn maybe_caller<T>(&self, req: &Request<T>) -> Result<Option<Caller>, Status> {
        Ok(self.0.verifier().optional_caller(req)?)
    }
}

fn complaint_pb(v: ComplaintView) -> pb::Complaint {
    let local = |t: chrono::DateTime<chrono::Utc>| {
        t.with_timezone(&v.tz)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
    };
    let r = v.row;
    pb::Complaint {
        id: r.id.to_string(),
        office_code: r.office_code,
        channel: r.channel,
        category: r.category,
        text: r.text,
        status: r.status,
        reference_kind: r.reference_kind,
        reference_id: r.reference_id,
        contact_name: r.contact_name,
        contact_email: r.contact_email,
        assigned_to: r.assigned_to.map(|a| a.to_string()).unwrap_or_default(),
        received_at: local(r.received_at),
        verify_due: r.verify_due.to_string(),
        follow_up_due: r.follow_up_due.to_string(),
        answered_at: r.answered_at.map(local).unwrap_or_default(),
        closed_at: r.closed_at.map(local).unwrap_or_default(),
        overdue: v.overdue,
        messages: v
            .messages
            .into_iter()
            .map(|m| pb::ComplaintMessage {
                id: m.id.to_string(),
                at: local(m.at),
                author_role: m.author_role,
                author_id: m.author_id.map(|a| a.to_string()).unwrap_or_default(),
                text: m.text,
            })
            .collect(),
        tracking_code: v.tracking_code,
        user_id: r.user_id.map(|u| u.to_string()).unwrap_or_default(),
    }
}

#[tonic::async_trait]
impl FeedbackService for FeedbackApi {
    async fn get_questionnaire(
        &self,
        _req: Request<pb::GetQuestionnaireRequest>,
    ) -> R<pb::Questionnaire> {
        let strs = |xs: &[&str]| xs.iter().map(|s| (*s).to_owned()).collect();
        Ok(Response::new(pb::Questionnaire {
            elements: ELEMENTS
                .iter()
                .map(|e| pb::Element {
                    code: e.code.to_owned(),
                    name: e.name.to_owned(),
                    question: e.question.to_owned(),
                    choices: e
                        .choices
                        .iter()
                        .zip(1..)
                        .map(|(l, v)| pb::Choice {
                            value: v,
                            label: (*l).to_owned(),
                        })
                        .collect(),
                })
                .collect(),
            sexes: strs(&SEXES),
            age_groups: strs(&AGE_GROUPS),
            education: strs(&EDUCATION),
            occupations: strs(&OCCUPATIONS),
            integrity_questions: strs(&INTEGRITY_QUESTIONS),
        }))
    }

    async fn submit_response(
        &self,
        req: Request<pb::SubmitResponseRequest>,
    ) -> R<pb::SubmitResponseResponse> {
        let caller = self.maybe_caller(&req)?;
        let token = bearer(&req);
        let id = self
            .0
            .submit(
                caller.as_ref(),
                token.as_deref(),
                &answers(req.into_inner()),
            )
            .await?;
        Ok(Response::new(pb::SubmitResponseResponse {
            id: id.to_string(),
            message: "Terima kasih atas penilaian Anda.".to_owned(),
        }))
    }

    async fn get_ikm_report(&self, req: Request<pb::PeriodRequest>) -> R<pb::IkmReport> {
        let caller = self.caller(&req)?;
        let r = req.into_inner();
        let rep = self
            .0
            .ikm_report(&caller, &r.office_code, &r.from, &r.to)
            .await?;
        let ikm = rep.ikm.as_ref();
        Ok(Response::new(pb::IkmReport {
            office_code: rep.office.clone(),
            from: rep.from.to_string(),
            to: rep.to.to_string(),
            respondents: u32::try_from(rep.respondents).unwrap_or(u32::MAX),
            elements: ELEMENTS
                .iter()
                .zip(&rep.sums)
                .enumerate()
                .map(|(i, (e, s))| {
                    let nrr = ikm.and_then(|k| k.nrr[i]).unwrap_or(0.0);
                    pb::ElementResult {
                        code: e.code.to_owned(),
                        name: e.name.to_owned(),
                        answered: u32::try_from(s.answered).unwrap_or(u32::MAX),
                        nrr,
                        weighted: nrr / 9.0,
                    }
                })
                .collect(),
            index: ikm.map_or(0.0, |k| k.index),
            converted: ikm.map_or(0.0, |k| k.converted),
            grade: ikm.map(|k| k.grade.letter().to_owned()).unwrap_or_default(),
            label: ikm.map(|k| k.grade.label().to_owned()).unwrap_or_default(),
            weakest: rep.weakest.iter().map(|s| (*s).to_owned()).collect(),
            fee_asked: u32::try_from(rep.integrity[0]).unwrap_or(0),
            gratuity_offered: u32::try_from(rep.integrity[1]).unwrap_or(0),
            favour_asked: u32::try_from(rep.integrity[2]).unwrap_or(0),
            discrimination: u32::try_from(rep.integrity[3]).unwrap_or(0),
        }))
    }

    async fn create_complaint(&self, req: Request<pb::CreateComplaintRequest>) -> R<pb::Complaint> {
        let caller = self.maybe_caller(&req)?;
        let token = bearer(&req);
        let v = self
            .0
            .create_complaint(
                caller.as_ref(),
                token.as_deref(),
                new_complaint(req.into_inner()),
            )
            .await?;
        Ok(Response::new(complaint_pb(v)))
    }

    async fn list_complaints(
        &self,
        req: Request<pb::ListComplaintsRequest>,
    ) -> R<pb::ListComplaintsResponse> {
        let caller = self.caller(&req)?;
        let r = req.into_inner();
        let (list, next) = self
            .0
            .list(
                &caller,
                &r.office_code,
                &r.status,
                &r.due_by,
                &r.cursor,
                r.limit,
            )
            .await?;
        Ok(Response::new(pb::ListComplaintsResponse {
            complaints: list.into_iter().map(complaint_pb).collect(),
            next_cursor: next,
        }))
    }

    async fn get_complaint(&self, req: Request<pb::GetComplaintRequest>) -> R<pb::Complaint> {
        let caller = self.maybe_caller(&req)?;
        let r = req.into_inner();
        Ok(Response::new(complaint_pb(
            self.0
                .complaint(caller.as_ref(), &r.complaint_id, &r.tracking_code)
                .await?,
        )))
    }

    async fn add_complaint_response(
        &self,
        req: Request<pb::AddComplaintResponseRequest>,
    ) -> R<pb::Complaint> {
        let caller = self.maybe_caller(&req)?;
        let r = req.into_inner();
        Ok(Response::new(complaint_pb(
            self.0
                .respond(
                    caller.as_ref(),
                    &r.complaint_id,
                    &r.tracking_code,
                    &r.text,
                    r.expected_messages,
                )
                .await?,
        )))
    }

    async fn change_complaint_status(
        &self,
        req: Request<pb::ChangeComplaintStatusRequest>,
    ) -> R<pb::Complaint> {
        let caller = self.maybe_caller(&req)?;
        let r = req.into_inner();
        Ok(Response::new(complaint_pb(
            self.0
                .change_status(
                    caller.as_ref(),
                    &r.complaint_id,
                    &r.tracking_code,
                    &r.status,
                    &r.assigned_to,
                )
                .await?,
        )))
    }

    async fn get_complaint_report(
        &self,
        req: Request<pb::PeriodRequest>,
    ) -> R<pb::ComplaintReport> {
        let caller = self.caller(&req)?;
        let r = req.into_inner();
        let rep = self
            .0
            .report(&caller, &r.office_code, &r.from, &r.to)
            .await?;
        let counts = |v: Vec<(String, i64)>| {
            v.into_iter()
                .map(|(key, n)| pb::Count {
                    key,
                    count: u32::try_from(n).unwrap_or(0),
                })
                .collect()
        };
        Ok(Response::new(pb::ComplaintReport {
            office_code: rep.office,
            from: rep.from.to_string(),
            to: rep.to.to_string(),
            total: u32::try_from(rep.total).unwrap_or(0),
            by_channel: counts(rep.by_channel),
            by_category: counts(rep.by_category),
            by_status: counts(rep.by_status),
            median_hours_to_answer: rep.median_hours.unwrap_or(0.0),
            overdue: u32::try_from(rep.overdue).unwrap_or(0),
        }))
    }

    async fn confirm_complaint_contact(
        &self,
        req: Request<pb::ConfirmContactRequest>,
    ) -> R<pb::ConfirmContactResponse> {
        let id = self.0.confirm_contact(&req.into_inner().token).await?;
        Ok(Response::new(pb::ConfirmContactResponse {
            complaint_id: id.to_string(),
        }))
    }
}
