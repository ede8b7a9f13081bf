//! The satisfaction survey (SKM): the questionnaire, and responses to it.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::feedback as pb;

use crate::ctx::Ctx;
use crate::error::{ApiError, ApiJson, Problem};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(questionnaire))
        .routes(routes!(submit_response))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChoiceView {
    pub value: u32,
    pub label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ElementView {
    pub code: String,
    pub name: String,
    pub question: String,
    pub choices: Vec<ChoiceView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionnaireView {
    pub elements: Vec<ElementView>,
    pub sexes: Vec<String>,
    pub age_groups: Vec<String>,
    pub education: Vec<String>,
    pub occupations: Vec<String>,
    pub integrity_questions: Vec<String>,
}

impl QuestionnaireView {
    /// The integrity questions with the answer field each fills (`fee_asked`, ...): the
    /// service asks these four, in this order.
    pub fn integrity_fields(&self) -> Vec<(&'static str, &str)> {
        const FIELDS: [&str; 4] = [
            "fee_asked",
            "gratuity_offered",
            "favour_asked",
            "discrimination",
        ];
        FIELDS
            .iter()
            .zip(&self.integrity_questions)
            .map(|(f, q)| (*f, q.as_str()))
            .collect()
    }
}

/// The nine SKM elements with the regulation's wording and the 1-4 answer labels.
#[utoipa::path(get, path = "/api/v1/skm/questionnaire", tag = "skm", responses((status = 200, body = QuestionnaireView)))]
async fn questionnaire(
    State(s): State<AppState>,
    ctx: Ctx,
) -> Result<Json<QuestionnaireView>, ApiError> {
    Ok(Json(questions(&s, &ctx).await?))
}

/// Use case: the SKM questionnaire.
pub async fn questions(s: &AppState, ctx: &Ctx) -> Result<QuestionnaireView, ApiError> {
    let q = s
        .feedback
        .clone()
        .get_questionnaire(ctx.request(pb::GetQuestionnaireRequest {}))
        .await?
        .into_inner();
    Ok(QuestionnaireView {
        elements: q
            .elements
            .into_iter()
            .map(|e| ElementView {
                code: e.code,
                name: e.name,
                question: e.question,
                choices: e
                    .choices
                    .into_iter()
                    .map(|c| ChoiceView {
                        value: c.value,
                        label: c.label,
                    })
                    .collect(),
            })
            .collect(),
        sexes: q.sexes,
        age_groups: q.age_groups,
        education: q.education,
        occupations: q.occupations,
        integrity_questions: q.integrity_questions,
    })
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileBody {
    pub sex: String,
    pub age_group: String,
    pub education: String,
    pub occupation: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntegrityBody {
    #[serde(default)]
    pub fee_asked: bool,
    #[serde(default)]
    pub gratuity_offered: bool,
    #[serde(default)]
    pub favour_asked: bool,
    #[serde(default)]
    pub discrimination: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseBody {
    /// The finished visit rated (or `download_id` instead).
    #[serde(default)]
    pub visit_id: String,
    /// A download or reading session of the signed-in respondent (see `/api/v1/me/downloads`).
    #[serde(default)]
    pub download_id: String,
    /// Walk-in visitors without an account: the code printed at checkout.
    #[serde(default)]
    pub visit_code: String,
    /// Scores by element code, e.g. `{"U1": 4, ..., "U9": 3}`.
    pub scores: std::collections::BTreeMap<String, u32>,
    #[serde(default)]
    pub comment: String,
    pub profile: ProfileBody,
    #[serde(default)]
    pub integrity: IntegrityBody,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Submitted {
    pub id: String,
    pub message: String,
}

/// Rate a finished visit (its signed-in owner, or with the visit's checkout code).
#[utoipa::path(post, path = "/api/v1/skm/responses", tag = "skm", request_body = ResponseBody,
    responses((status = 201, body = Submitted), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn submit_response(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<ResponseBody>,
) -> Result<(StatusCode, Json<Submitted>), ApiError> {
    Ok((StatusCode::CREATED, Json(rate(&s, &ctx, b).await?)))
}

/// Use case: an SKM response for a finished visit or a download session.
pub async fn rate(s: &AppState, ctx: &Ctx, b: ResponseBody) -> Result<Submitted, ApiError> {
    let req = pb::SubmitResponseRequest {
        visit_id: b.visit_id,
        visit_code: b.visit_code,
        download_id: b.download_id,
        scores: b
            .scores
            .into_iter()
            .map(|(element, value)| pb::Score { element, value })
            .collect(),
        comment: b.comment,
        profile: Some(pb::Profile {
            sex: b.profile.sex,
            age_group: b.profile.age_group,
            education: b.profile.education,
            occupation: b.profile.occupation,
        }),
        integrity: Some(pb::Integrity {
            fee_asked: b.integrity.fee_asked,
            gratuity_offered: b.integrity.gratuity_offered,
            favour_asked: b.integrity.favour_asked,
            discrimination: b.integrity.discrimination,
        }),
    };
    let r = s
        .feedback
        .clone()
        .submit_response(ctx.request(req))
        .await?
        .into_inner();
    Ok(Submitted {
        id: r.id,
        message: r.message,
    })
}
