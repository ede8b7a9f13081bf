use pst_kit::auth::Role;
use pst_proto::feedback as fb;
use tonic::Code;

use crate::helpers::*;

#[tokio::test]
async fn a_walk_in_rates_a_finished_visit_once_with_its_code() {
    let app = spawn_app().await;
    let (visit, code) = app.finished_visit(true).await;
    let mut c = app.feedback.clone();

    c.submit_response(response(&visit, &code, [4, 4, 3, 4, 3, 4, 4, 3, 3]))
        .await
        .expect("rated");
    let again = c
        .submit_response(response(&visit, &code, [1; 9]))
        .await
        .unwrap_err();

    assert_eq!(again.code(), Code::AlreadyExists);
    assert_eq!(code_of(&again), "ALREADY_RATED");
}

#[tokio::test]
async fn an_unfinished_or_someone_elses_visit_cannot_be_rated() {
    let app = spawn_app().await;
    let (visit, _code) = app.finished_visit(true).await;
    let (open_visit, _) = app.finished_visit(false).await;
    let mut c = app.feedback.clone();

    let unfinished = c
        .submit_response(with_token(
            response(&open_visit, "", [3; 9]),
            &app.token(Role::Visitor, None),
        ))
        .await
        .unwrap_err();
    let wrong_code = c
        .submit_response(response(&visit, "SALAH123", [3; 9]))
        .await
        .unwrap_err();
    let stranger = c
        .submit_response(with_token(
            response(&visit, "", [3; 9]),
            &app.token(Role::Visitor, None),
        ))
        .await
        .unwrap_err();
    let anonymous = c
        .submit_response(response(&visit, "", [3; 9]))
        .await
        .unwrap_err();

    assert_eq!(
        code_of(&unfinished),
        "NOT_YOUR_VISIT",
        "an open walk-in visit has no owner and no code yet"
    );
    assert_eq!(wrong_code.code(), Code::PermissionDenied);
    assert_eq!(stranger.code(), Code::PermissionDenied);
    assert_eq!(anonymous.code(), Code::Unauthenticated);
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM responses")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(n, 0);
}

#[tokio::test]
async fn the_visitors_own_visit_must_be_finished_before_rating() {
    let app = spawn_app().await;
    let owner = uuid::Uuid::new_v4();
    let token = app.token_for(owner, Role::Visitor);
    let mut v = app.visit.clone();
    let t = v
        .take_ticket(with_token(
            pst_proto::visit::TakeTicketRequest {
                office_code: "1674".into(),
                service_type: "perpustakaan".into(),
                device_id: String::new(),
            },
            &token,
        ))
        .await
        .expect("ticket")
        .into_inner();
    let gb = pst_proto::visit::GuestBook {
        name: "Sari".into(),
        sex: "P".into(),
        age_group: "20-29".into(),
        education: "SMA".into(),
        occupation: "Pelajar".into(),
        purpose: "Tugas sekolah".into(),
        ..Default::default()
    };
    let visit = v
        .create_visit(with_token(
            pst_proto::visit::CreateVisitRequest {
                visit_card: String::new(),
                ticket_id: t.id,
                guest_book: Some(gb),
            },
            &token,
        ))
        .await
        .expect("visit")
        .into_inner();

    let err = app
        .feedback
        .clone()
        .submit_response(with_token(response(&visit.id, "", [3; 9]), &token))
        .await
        .unwrap_err();

    assert_eq!(code_of(&err), "VISIT_NOT_FINISHED");
}

#[tokio::test]
async fn scores_outside_one_to_four_or_a_missing_element_are_refused() {
    let app = spawn_app().await;
    let (visit, code) = app.finished_visit(true).await;
    let mut c = app.feedback.clone();
    let mut missing = response(&visit, &code, [3; 9]);
    missing.scores.retain(|s| s.element != "U5");

    let range = c
        .submit_response(response(&visit, &code, [3, 3, 5, 3, 3, 0, 3, 3, 3]))
        .await
        .unwrap_err();
    let gone = c.submit_response(missing).await.unwrap_err();

    assert_eq!(fields_of(&range), ["scores.U3", "scores.U6"]);
    assert_eq!(fields_of(&gone), ["scores.U5"]);
    c.submit_response(response(&visit, &code, [3; 9]))
        .await
        .expect("a valid response is still accepted");
}

#[tokio::test]
async fn the_ikm_report_follows_the_regulation() {
    let app = spawn_app().await;
    let mut c = app.feedback.clone();
    for scores in [[4, 4, 3, 4, 3, 4, 4, 3, 3], [3, 3, 3, 4, 3, 3, 4, 2, 3]] {
        let (visit, code) = app.finished_visit(true).await;
        let mut r = response(&visit, &code, scores);
        r.integrity = Some(fb::Integrity {
            fee_asked: scores[7] == 2,
            ..Default::default()
        });
        c.submit_response(r).await.expect("rated");
    }
    let sup = app.token(Role::Supervisor, Some("1674"));

    let r = c
        .get_ikm_report(with_token(
            fb::PeriodRequest {
                office_code: "1674".into(),
                from: today(),
                to: today(),
            },
            &sup,
        ))
        .await
        .expect("report")
        .into_inner();

    assert_eq!(r.respondents, 2);
    assert_eq!(r.elements[0].nrr, 3.5);
    assert_eq!(r.elements[7].nrr, 2.5);
    // Σ NRR = 3.5+3.5+3+4+3+3.5+4+2.5+3 = 30 → IKM 30/9 = 3.3333 → ×25 = 83.33, B (baik).
    assert!((r.index - 30.0 / 9.0).abs() < 1e-12);
    assert_eq!(r.converted, 83.33);
    assert_eq!((r.grade.as_str(), r.label.as_str()), ("B", "baik"));
    assert_eq!(r.weakest[0], "U8");
    assert_eq!(
        r.fee_asked, 1,
        "integrity items are counted beside the index"
    );
    let fo = c
        .get_ikm_report(with_token(
            fb::PeriodRequest {
                office_code: "1674".into(),
                from: today(),
                to: today(),
            },
            &app.token(Role::FrontOffice, Some("1674")),
        ))
        .await
        .unwrap_err();
    assert_eq!(fo.code(), Code::PermissionDenied);
}

#[tokio::test]
async fn the_questionnaire_has_the_nine_elements_in_indonesian() {
    let app = spawn_app().await;

    let q = app
        .feedback
        .clone()
        .get_questionnaire(fb::GetQuestionnaireRequest {})
        .await
        .expect("q")
        .into_inner();

    assert_eq!(q.elements.len(), 9);
    assert_eq!(q.elements[3].name, "Biaya/tarif");
    assert_eq!(q.elements[3].choices[3].label, "Gratis");
    assert!(
        q.elements
            .iter()
            .all(|e| e.choices.len() == 4 && e.question.starts_with("Bagaimana"))
    );
}

#[tokio::test]
async fn an_ikm_report_for_a_period_without_responses_is_empty_not_an_error() {
    let app = spawn_app().await;
    let sup = app.token(Role::Supervisor, Some("1674"));

    let r = app
        .feedback
        .clone()
        .get_ikm_report(with_token(
            fb::PeriodRequest {
                office_code: "1674".into(),
                from: "2020-02-01".into(),
                to: "2020-02-29".into(),
            },
            &sup,
        ))
        .await
        .expect("an empty report")
        .into_inner();

    assert_eq!((r.respondents, r.grade.as_str(), r.converted), (0, "", 0.0));
}
