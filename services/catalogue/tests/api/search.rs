use pst_kit::auth::Role;
use pst_proto::catalogue as pb;

use crate::helpers::*;

/// "kependudukan" finds a new publication about "penduduk" (either engine).
async fn stemming_finds(app: &TestApp) -> pb::SearchResponse {
    app.create(pb::PublicationInput {
        r#abstract: "Data kependudukan hasil registrasi penduduk.".into(),
        ..publication("Proyeksi Penduduk Kota Lubuklinggau 2025")
    })
    .await
    .expect("create");

    let r = app.search("kependudukan").await;

    assert!(
        titles(&r)
            .iter()
            .any(|t| t.starts_with("Proyeksi Penduduk")),
        "{:?}",
        titles(&r)
    );
    r
}

/// A title with two slips finds that title first, and the words searched are said
/// ("Mungkin maksud Anda ...") (either engine).
async fn a_misspelt_title_comes_first(app: &TestApp) {
    let r = app.search("Kota Lubuklingau Dalm Angka 2024").await;

    assert_eq!(
        titles(&r).first().map(String::as_str),
        Some("Kota Lubuklinggau Dalam Angka 2024")
    );
    assert_eq!(r.corrected_query, "kota lubuklinggau dalam angka 2024");
}

#[tokio::test]
async fn indonesian_stemming_finds_related_words() {
    let r = stemming_finds(&spawn_app().await).await;
    assert!(r.hits[0].snippet.contains("<mark>"));
}

#[tokio::test]
async fn a_misspelt_title_still_finds_the_intended_publication_first() {
    let app = spawn_app().await;
    a_misspelt_title_comes_first(&app).await;
    // A query typed right says nothing.
    assert_eq!(
        app.search("Kota Lubuklinggau Dalam Angka 2024")
            .await
            .corrected_query,
        ""
    );
}

#[tokio::test]
async fn title_matches_rank_before_abstract_matches() {
    let app = spawn_app().await;
    app.create(pb::PublicationInput {
        r#abstract: "Memuat inflasi singkat.".into(),
        ..publication("Profil Kemiskinan Kota Lubuklinggau 2023")
    })
    .await
    .expect("create");

    let r = app.search("inflasi").await;

    assert!(titles(&r)[0].contains("Inflasi"), "{:?}", titles(&r));
}

#[tokio::test]
async fn filters_and_facets_narrow_the_results() {
    let app = spawn_app().await;

    let all = app.search("Lubuklinggau").await;
    let inflation = app
        .search_with(
            pb::SearchRequest {
                q: "Lubuklinggau".into(),
                subject: "inflasi".into(),
                year_from: 2023,
                year_to: 2023,
                ..Default::default()
            },
            None,
        )
        .await;

    let subjects: Vec<_> = all
        .facets
        .as_ref()
        .expect("facets")
        .subject
        .iter()
        .map(|f| f.value.clone())
        .collect();
    assert!(
        subjects.contains(&"inflasi".to_owned()) && subjects.contains(&"kependudukan".to_owned())
    );
    assert_eq!(
        titles(&inflation),
        ["Statistik Harga Konsumen dan Inflasi Kota Lubuklinggau 2024"]
    );
    let printed = app
        .search_with(
            pb::SearchRequest {
                has_printed: Some(true),
                limit: 100,
                ..Default::default()
            },
            None,
        )
        .await;
    assert_eq!(
        printed.hits.len(),
        24,
        "every demo publication has printed copies"
    );
}

#[tokio::test]
async fn pages_follow_each_other_without_gaps_or_repeats_even_as_new_publications_arrive() {
    let app = spawn_app().await;
    let req = |cursor: String| pb::SearchRequest {
        q: "Lubuklinggau".into(),
        limit: 5,
        cursor,
        ..Default::default()
    };
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = app.search_with(req(cursor.clone()), None).await;
        seen.extend(
            page.hits
                .iter()
                .map(|h| h.publication.as_ref().expect("p").id.clone()),
        );
        app.create(publication(&format!(
            "Lubuklinggau Publikasi Sisipan {}",
            seen.len()
        )))
        .await
        .expect("concurrent insert");
        if page.next_cursor.is_empty() {
            break;
        }
        cursor = page.next_cursor;
    }
    let unique: std::collections::HashSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no publication twice");
    assert!(
        seen.len() >= 24,
        "every demo publication reached: {}",
        seen.len()
    );
}

#[tokio::test]
async fn restricted_and_withdrawn_publications_are_hidden_from_those_who_may_not_see_them() {
    let app = spawn_app().await;
    let staff_only = app
        .create(pb::PublicationInput {
            access_level: "staff".into(),
            ..publication("Rancangan Internal Sensus Lubuklinggau")
        })
        .await
        .expect("create");
    let members = app
        .create(pb::PublicationInput {
            access_level: "registered".into(),
            ..publication("Tabel Rinci Sensus Lubuklinggau")
        })
        .await
        .expect("create");
    let gone = app
        .create(publication("Publikasi Sensus Lubuklinggau Keliru"))
        .await
        .expect("create");
    app.client
        .clone()
        .withdraw_publication(with_token(
            pb::WithdrawRequest {
                id: gone.id.clone(),
                reason: "Terbit ganda, diganti edisi revisi".into(),
            },
            &app.librarian(),
        ))
        .await
        .expect("withdraw");
    let visitor = app.token(Role::Visitor, None);

    let public = titles(&app.search("Sensus").await);
    let signed_in = titles(
        &app.search_with(
            pb::SearchRequest {
                q: "Sensus".into(),
                ..Default::default()
            },
            Some(&visitor),
        )
        .await,
    );
    let staff = titles(
        &app.search_with(
            pb::SearchRequest {
                q: "Sensus".into(),
                ..Default::default()
            },
            Some(&app.librarian()),
        )
        .await,
    );

    assert!(public.is_empty(), "{public:?}");
    assert_eq!(signed_in, ["Tabel Rinci Sensus Lubuklinggau"]);
    assert_eq!(staff.len(), 2, "{staff:?}");
    let hidden = app
        .client
        .clone()
        .get_publication(pb::GetPublicationRequest {
            id: staff_only.id.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(code_of(&hidden), "PUBLICATION_NOT_FOUND");
    app.client
        .clone()
        .get_publication(with_token(
            pb::GetPublicationRequest {
                id: members.id.clone(),
            },
            &visitor,
        ))
        .await
        .expect("members see it");
}

/// A page of text or only punctuation is still a search (answered normally, the long one
/// read up to its first 200 characters); a page size past the maximum and a cursor the
/// service did not hand out are refused, each naming its field.
#[tokio::test]
async fn odd_searches_answer_and_bad_paging_is_refused_clearly() {
    let app = spawn_app().await;
    let mut c = app.client.clone();

    let long = c
        .search(pb::SearchRequest {
            q: "x".repeat(10_000),
            ..Default::default()
        })
        .await
        .expect("a long query is searched")
        .into_inner();
    assert!(long.hits.is_empty());
    let punct = c
        .search(pb::SearchRequest {
            q: "!!! ???".into(),
            ..Default::default()
        })
        .await
        .expect("punctuation is searched")
        .into_inner();
    assert_eq!((punct.hits.len(), punct.total), (0, 0));
    let big = c
        .search(pb::SearchRequest {
            q: "data".into(),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap_err();
    let cursor = c
        .search(pb::SearchRequest {
            q: "data".into(),
            cursor: "bukan-kursor".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();

    assert_eq!(fields_of(&big), ["limit"]);
    assert_eq!(fields_of(&cursor), ["cursor"]);
}

/// With Postgres searching, a word in most of a large catalogue is read newest first in
/// batches (the counts say "about"), and paging goes on from batch to batch; with the
/// index the count is exact. Either way every match is reached once.
#[tokio::test]
async fn a_broad_query_pages_through_all_its_matches_batch_after_batch() {
    broad_query_pages_through_everything(Engine::Postgres).await;
}

#[tokio::test]
async fn a_broad_query_pages_through_all_its_matches_with_the_index() {
    broad_query_pages_through_everything(Engine::Index).await;
}

async fn broad_query_pages_through_everything(engine: Engine) {
    let app = spawn_app_with(&[("PST_CATALOGUE__SEARCH_ENGINE", engine.name())]).await;
    // 1,200 publications holding "neraca", over 30 years, then the statistics of a
    // table that size (ANALYZE), as the autovacuum daemon would take them.
    sqlx::query(
        "INSERT INTO publications (id, office_code, title, subject, subject_group, language, year_from, year_to, access_level) \
         SELECT gen_random_uuid(), '1674', 'Neraca Arus Barang ' || g, 'perdagangan', 'ekonomi', 'id', \
                1996 + g % 30, CASE WHEN g % 97 = 0 THEN NULL ELSE 1996 + g % 30 END, 'public' \
         FROM generate_series(1, 1200) g",
    )
    .execute(&app.pool)
    .await
    .expect("seed");
    sqlx::query("ANALYZE publications")
        .execute(&app.pool)
        .await
        .expect("analyze");

    let req = |cursor: String| pb::SearchRequest {
        q: "neraca".into(),
        limit: 100,
        cursor,
        ..Default::default()
    };
    // Written behind the service's back: the index sees it through the change log.
    let first = app
        .search_until(req(String::new()), |r| r.total >= 1000)
        .await;
    if engine == Engine::Index {
        assert!(!first.total_is_estimate, "the index counts exactly");
        assert_eq!(first.total, 1200);
    } else {
        assert!(
            first.total_is_estimate,
            "a broad query says its count is about"
        );
        assert!(
            first.total >= 1000,
            "about as many as hold the word: {}",
            first.total
        );
    }
    let mut seen = Vec::new();
    let mut cursor = String::new();
    let mut pages = 0;
    loop {
        let page = app.search_with(req(cursor.clone()), None).await;
        pages += 1;
        assert!(page.hits.len() <= 100);
        seen.extend(
            page.hits
                .iter()
                .map(|h| h.publication.as_ref().expect("p").id.clone()),
        );
        if page.next_cursor.is_empty() || pages > 100 {
            break;
        }
        cursor = page.next_cursor;
    }
    let unique: std::collections::HashSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no publication twice");
    assert_eq!(seen.len(), 1200, "every match reached, in {pages} pages");
}

/// Postgres answering (no index): stemming, a misspelt title, filters with facets and a
/// filter-only search give what the index gives (the SQL of `store::search`).
#[tokio::test]
async fn the_postgres_engine_answers_the_same_searches() {
    let app = spawn_app_with(&[("PST_CATALOGUE__SEARCH_ENGINE", Engine::Postgres.name())]).await;
    let stemmed = stemming_finds(&app).await;
    assert!(stemmed.hits.iter().any(|h| h.snippet.contains("<mark>")));
    a_misspelt_title_comes_first(&app).await;

    let inflation = app
        .search_with(
            pb::SearchRequest {
                q: "Lubuklinggau".into(),
                subject: "inflasi".into(),
                year_from: 2023,
                year_to: 2023,
                ..Default::default()
            },
            None,
        )
        .await;
    assert_eq!(
        titles(&inflation),
        ["Statistik Harga Konsumen dan Inflasi Kota Lubuklinggau 2024"]
    );

    // Filters only: the newest first, paged by cursor, facets counted.
    let first = app
        .search_with(
            pb::SearchRequest {
                has_printed: Some(true),
                limit: 10,
                ..Default::default()
            },
            None,
        )
        .await;
    assert_eq!(
        first.total, 24,
        "the 24 demo publications have printed copies"
    );
    assert_eq!(first.hits.len(), 10);
    assert!(!first.next_cursor.is_empty());
    let next = app
        .search_with(
            pb::SearchRequest {
                has_printed: Some(true),
                limit: 10,
                cursor: first.next_cursor.clone(),
                ..Default::default()
            },
            None,
        )
        .await;
    let years = |r: &pb::SearchResponse| -> Vec<u32> {
        r.hits
            .iter()
            .map(|h| {
                let p = h.publication.as_ref().expect("p");
                p.fields.as_ref().expect("fields").year_to
            })
            .collect()
    };
    let mut both = years(&first);
    both.extend(years(&next));
    assert!(
        both.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {both:?}"
    );
}
