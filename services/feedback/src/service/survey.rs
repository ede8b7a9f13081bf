//! The SKM survey: one response per finished visit, and the office's IKM over a period.

use std::collections::HashSet;

use chrono::{NaiveDate, Utc};
use uuid::Uuid;

use pst_kit::AppError;
use pst_kit::auth::{Caller, Role};
use pst_kit::validate::Violations;

use super::{Feedback, parse_id, parse_period};
use crate::domain::ikm::{self, ElementSum, Ikm};
use crate::domain::questionnaire::{AGE_GROUPS, EDUCATION, ELEMENTS, OCCUPATIONS, SEXES};

/// What a response rates.
enum Subject {
    Visit(Uuid),
    Download(Uuid),
}

/// Checked answers, ready to store.
struct Rated<'a> {
    scores: &'a [i16],
    comment: &'a str,
    sex: &'a str,
    age: &'a str,
    edu: &'a str,
    job: &'a str,
}

/// A respondent's answers (wire-independent).
#[derive(Debug, Default)]
pub struct Answers {
    pub visit_id: String,
    pub visit_code: String,
    /// A download or reading session instead of a visit.
    pub download_id: String,
    pub scores: Vec<(String, u32)>,
    pub comment: String,
    pub sex: String,
    pub age_group: String,
    pub education: String,
    pub occupation: String,
    pub fee_asked: bool,
    pub gratuity_offered: bool,
    pub favour_asked: bool,
    pub discrimination: bool,
}

#[derive(Debug)]
pub struct IkmReport {
    pub office: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub respondents: i64,
    pub sums: Vec<ElementSum>,
    pub ikm: Option<Ikm>,
    pub weakest: Vec<&'static str>,
    /// fee, gratuity, favour, discrimination
    pub integrity: [i64; 4],
}

fn one_of(v: &mut Violations, field: &str, value: &str, allowed: &[&str]) -> String {
    let value = value.trim();
    if !allowed.contains(&value) {
        v.add(field, format!("Pilihan: {}.", allowed.join(", ")));
    }
    value.to_owned()
}

/// Exactly one score of 1-4 for each of U1..U9, in that order.
fn scores(v: &mut Violations, given: &[(String, u32)]) -> Vec<i16> {
    let mut seen = HashSet::new();
    for (code, value) in given {
        if !ELEMENTS.iter().any(|e| e.code == code) {
            v.add("scores", format!("Unsur '{code}' tidak dikenal (U1-U9)."));
        } else if !seen.insert(code.as_str()) {
            v.add(
                &format!("scores.{code}"),
                "Unsur ini dinilai lebih dari sekali.",
            );
        } else if !(1..=4).contains(value) {
            v.add(&format!("scores.{code}"), "Nilai harus 1, 2, 3, atau 4.");
        }
    }
    ELEMENTS
        .iter()
        .map(|e| match given.iter().find(|(c, _)| c == e.code) {
            Some((_, value)) => i16::try_from(*value).unwrap_or(0),
            None => {
                v.add(
                    &format!("scores.{}", e.code),
                    format!("Unsur \"{}\" wajib dinilai.", e.name),
                );
                0
            }
        })
        .collect()
}

impl Feedback {
    /// Records a response for a finished visit, at most one per visit.
    #[tracing::instrument(skip_all, fields(visit = %a.visit_id))]
    pub async fn submit(
        &self,
        caller: Option<&Caller>,
        bearer: Option<&str>,
        a: &Answers,
    ) -> Result<Uuid, AppError> {
        let mut v = Violations::new();
        let by_download = !a.download_id.trim().is_empty();
        if by_download && !a.visit_id.trim().is_empty() {
            v.add(
                "download_id",
                "Nilai satu kunjungan atau satu unduhan, bukan keduanya.",
            );
        } else if a.visit_id.trim().is_empty() && a.visit_code.trim().is_empty() && !by_download {
            v.add("visit_id", "Pilih kunjungan (atau unduhan) yang dinilai.");
        }
        let scores = scores(&mut v, &a.scores);
        let sex = one_of(&mut v, "profile.sex", &a.sex, &SEXES);
        let age = one_of(&mut v, "profile.age_group", &a.age_group, &AGE_GROUPS);
        let edu = one_of(&mut v, "profile.education", &a.education, &EDUCATION);
        let job = one_of(&mut v, "profile.occupation", &a.occupation, &OCCUPATIONS);
        let comment = v
            .check(
                "comment",
                pst_kit::validate::optional_text(&a.comment, 2000),
            )
            .unwrap_or_default();
        v.into_result()?;
        let rated = Rated {
            scores: &scores,
            comment: &comment,
            sex: &sex,
            age: &age,
            edu: &edu,
            job: &job,
        };
        if by_download {
            return self.submit_for_download(caller, bearer, a, rated).await;
        }
        // The index measures the public's satisfaction: staff do not rate (not even with a
        // visitor's checkout code); the kiosk rates anonymously.
        if caller.is_some_and(|c| c.role.is_staff()) {
            return Err(AppError::forbidden(
                "Penilaian layanan diberikan oleh pengguna layanan, bukan petugas.",
            ));
        }
        // No visit named: a walk-in visitor's checkout code finds it.
        if !a.visit_id.trim().is_empty() {
            parse_id("visit_id", &a.visit_id)?;
        }

        // The visit service decides who may rate the visit (owner or checkout code).
        let req = pst_kit::grpc::forwarded(
            pst_proto::visit::CheckVisitRequest {
                visit_id: a.visit_id.trim().to_owned(),
                feedback_code: a.visit_code.clone(),
            },
            bearer,
            pst_kit::grpc::PEER_TIMEOUT,
        );
        let check = self
            .visit
            .clone()
            .check_visit_for_feedback(req)
            .await
            .map_err(passthrough)?
            .into_inner();
        if !check.ended {
            return Err(AppError::FailedPrecondition {
                code: "VISIT_NOT_FINISHED",
                detail: "Kunjungan ini belum selesai; penilaian dapat diberikan setelah kunjungan berakhir.".into(),
            });
        }
        let visit = parse_id("visit_id", &check.visit_id)?;
        let user = caller
            .filter(|c| c.role == Role::Visitor)
            .map(|c| c.user_id);
        self.insert_response(
            Subject::Visit(visit),
            &check.office_code,
            user,
            None,
            a,
            &rated,
        )
        .await
    }

    /// Records a response for a download or reading session of the signed-in respondent
    /// (the watermark service says whose it is), at most one per session.
    async fn submit_for_download(
        &self,
        caller: Option<&Caller>,
        bearer: Option<&str>,
        a: &Answers,
        r: Rated<'_>,
    ) -> Result<Uuid, AppError> {
        let Some(caller) = caller else {
            return Err(AppError::unauthenticated(
                "Masuk terlebih dahulu untuk menilai unduhan atau sesi baca.",
            ));
        };
        // The index measures the public's satisfaction: staff do not rate their own service.
        if caller.role != Role::Visitor {
            return Err(AppError::forbidden(
                "Penilaian layanan diberikan oleh pengguna layanan, bukan petugas.",
            ));
        }
        let session = parse_id("download_id", &a.download_id)?;
        let req = pst_kit::grpc::forwarded(
            pst_proto::watermark::GetSessionRequest {
                id: session.to_string(),
            },
            bearer,
            pst_kit::grpc::PEER_TIMEOUT,
        );
        let found = self
            .watermark
            .clone()
            .get_session(req)
            .await
            .map_err(|s| match s.code() {
                tonic::Code::NotFound | tonic::Code::PermissionDenied => AppError::NotFound {
                    code: "DOWNLOAD_NOT_FOUND",
                    detail: "Unduhan atau sesi baca ini tidak ditemukan pada akun Anda.".into(),
                },
                tonic::Code::Unauthenticated => AppError::unauthenticated(s.message().to_owned()),
                _ => AppError::Unavailable {
                    code: "WATERMARK_SERVICE_UNAVAILABLE",
                    detail: "Data unduhan tidak dapat diperiksa saat ini; coba lagi sebentar lagi."
                        .into(),
                },
            })?
            .into_inner();
        if found.user_id != caller.user_id.to_string() {
            return Err(AppError::NotFound {
                code: "DOWNLOAD_NOT_FOUND",
                detail: "Unduhan atau sesi baca ini tidak ditemukan pada akun Anda.".into(),
            });
        }
        let publication = Uuid::parse_str(&found.publication_id).ok();
        self.insert_response(
            Subject::Download(session),
            &found.office_code,
            Some(caller.user_id),
            publication,
            a,
            &r,
        )
        .await
    }

    /// Stores a checked response; a second one for the same visit or session is a 409.
    async fn insert_response(
        &self,
        subject: Subject,
        office: &str,
        user: Option<Uuid>,
        publication: Option<Uuid>,
        a: &Answers,
        r: &Rated<'_>,
    ) -> Result<Uuid, AppError> {
        let tz = self.zone(office).await;
        let id = Uuid::now_v7();
        let (visit, download) = match subject {
            Subject::Visit(v) => (Some(v), None),
            Subject::Download(d) => (None, Some(d)),
        };
        let res = sqlx::query(
            "INSERT INTO responses (id, office_code, response_day, visit_id, download_id, user_id, scores, comment, sex, age_group, education, occupation, \
             fee_asked, gratuity_offered, favour_asked, discrimination, publication_id) VALUES ($1,$2::char(4),$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)",
        )
        .bind(id)
        .bind(office)
        .bind(Utc::now().with_timezone(&tz).date_naive())
        .bind(visit)
        .bind(download)
        .bind(user)
        .bind(r.scores)
        .bind(r.comment)
        .bind(r.sex)
        .bind(r.age)
        .bind(r.edu)
        .bind(r.job)
        .bind(a.fee_asked)
        .bind(a.gratuity_offered)
        .bind(a.favour_asked)
        .bind(a.discrimination)
        .bind(publication)
        .execute(&self.pool)
        .await;
        match res {
            Ok(_) => Ok(id),
            Err(e) if pst_kit::db::is_unique_violation(&e, "responses_visit_key") => {
                Err(AppError::Conflict {
                    code: "ALREADY_RATED",
                    detail: "Kunjungan ini sudah dinilai. Terima kasih!".into(),
                    field: Some("visit_id"),
                })
            }
            Err(e) if pst_kit::db::is_unique_violation(&e, "responses_publication_month") => {
                Err(AppError::Conflict {
                    code: "ALREADY_RATED",
                    detail: "Anda sudah menilai publikasi ini bulan ini (satu penilaian per publikasi setiap bulan). Terima kasih!".into(),
                    field: Some("download_id"),
                })
            }
            Err(e) if pst_kit::db::is_unique_violation(&e, "responses_download_key") => {
                Err(AppError::Conflict {
                    code: "ALREADY_RATED",
                    detail: "Unduhan/sesi baca ini sudah dinilai. Terima kasih!".into(),
                    field: Some("download_id"),
                })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The IKM of an office over a period (supervisor, admin).
    pub async fn ikm_report(
        &self,
        caller: &Caller,
        office: &str,
        from: &str,
        to: &str,
    ) -> Result<IkmReport, AppError> {
        let office = pst_kit::validate::office_code(office)
            .map_err(|m| AppError::field("office_code", m))?;
        caller.require_role_in_office(&[Role::Supervisor, Role::Admin], &office)?;
        let (from, to) = parse_period(from, to)?;
        // One pass over the period: the nine sums and the integrity counts.
        let row: (i64, Vec<i64>, i64, i64, i64, i64) = sqlx::query_as(
            "SELECT count(*), ARRAY[COALESCE(sum(scores[1]), 0), COALESCE(sum(scores[2]), 0), COALESCE(sum(scores[3]), 0), COALESCE(sum(scores[4]), 0), COALESCE(sum(scores[5]), 0), \
                    COALESCE(sum(scores[6]), 0), COALESCE(sum(scores[7]), 0), COALESCE(sum(scores[8]), 0), COALESCE(sum(scores[9]), 0)]::bigint[], \
                    count(*) FILTER (WHERE fee_asked), count(*) FILTER (WHERE gratuity_offered), \
                    count(*) FILTER (WHERE favour_asked), count(*) FILTER (WHERE discrimination) \
             FROM responses WHERE office_code = $1::char(4) AND response_day BETWEEN $2 AND $3",
        )
        .bind(&office)
        .bind(from)
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        let (n, totals, fee, gratuity, favour, discrimination) = row;
        let answered = u64::try_from(n).unwrap_or(0);
        let sums: Vec<ElementSum> = totals
            .iter()
            .map(|t| ElementSum {
                total: u64::try_from(*t).unwrap_or(0),
                answered,
            })
            .collect();
        let result = ikm::compute(&sums);
        let weakest = result.as_ref().map(weakest).unwrap_or_default();
        Ok(IkmReport {
            office,
            from,
            to,
            respondents: n,
            sums,
            ikm: result,
            weakest,
            integrity: [fee, gratuity, favour, discrimination],
        })
    }
}

/// The (up to three) lowest-scoring elements, lowest first.
fn weakest(ikm: &Ikm) -> Vec<&'static str> {
    let mut scored: Vec<(usize, f64)> = ikm
        .nrr
        .iter()
        .enumerate()
        .filter_map(|(i, n)| n.map(|n| (i, n)))
        .collect();
    scored.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    scored
        .into_iter()
        .take(3)
        .map(|(i, _)| ELEMENTS[i].code)
        .collect()
}

/// A status from the visit service is the user's answer as it is (its detail, our code).
fn passthrough(s: tonic::Status) -> AppError {
    pst_kit::grpc::peer_error(&pst_kit::grpc::VISIT_PEER, s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_must_cover_every_element_once_within_one_to_four() {
        let mut v = Violations::new();
        let mut given: Vec<(String, u32)> = (1..=8).map(|i| (format!("U{i}"), 3)).collect();
        given.push(("U2".into(), 4));
        given[0].1 = 5;
        scores(&mut v, &given);
        let AppError::Validation(list) = v.into_result().unwrap_err() else {
            panic!("validation")
        };
        let fields: Vec<_> = list.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(fields, ["scores.U1", "scores.U2", "scores.U9"]);
    }
}
