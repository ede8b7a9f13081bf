use pst_kit::auth::Role;
use pst_proto::catalogue as pb;
use tonic::Code;

use crate::helpers::*;

const HEADER: &str =
    "office_code,title,subject,language,year_from,year_to,catalogue_number,keywords\n";

async fn count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM publications")
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

#[tokio::test]
async fn an_import_with_one_bad_row_imports_nothing_and_names_every_error() {
    let app = spawn_app().await;
    let before = count(&app).await;
    let csv = format!(
        "{HEADER}1674,Statistik Daerah Kecamatan Lubuklinggau Utara 2024,kependudukan,id,2023,2023,1102099.1674,kecamatan;daerah\n\
         1674,Statistik Tanaman Pangan Kota Lubuklinggau 2024,tanaman_pangan,id,2023,2023,,padi\n\
         1674,Publikasi Rusak,astrologi,jawa,2023,2022,,\n"
    );

    let r = app
        .client
        .clone()
        .import_publications(with_token(
            pb::ImportRequest {
                csv: csv.clone().into_bytes(),
                partial: false,
                dry_run: false,
            },
            &app.librarian(),
        ))
        .await
        .expect("answered")
        .into_inner();

    assert_eq!(r.imported, 0);
    let errs: Vec<(u32, String)> = r.errors.iter().map(|e| (e.row, e.field.clone())).collect();
    assert_eq!(
        errs,
        [
            (3, "year_to".to_owned()),
            (3, "subject".to_owned()),
            (3, "language".to_owned())
        ]
    );
    assert_eq!(count(&app).await, before, "nothing written");

    let partial = app
        .client
        .clone()
        .import_publications(with_token(
            pb::ImportRequest {
                csv: csv.into_bytes(),
                partial: true,
                dry_run: false,
            },
            &app.librarian(),
        ))
        .await
        .expect("partial")
        .into_inner();
    assert_eq!(partial.imported, 2);
    assert_eq!(count(&app).await, before + 2);
}

#[tokio::test]
async fn malformed_files_are_refused_whole() {
    let app = spawn_app().await;
    let mut c = app.client.clone();
    let import = |csv: Vec<u8>| {
        with_token(
            pb::ImportRequest {
                csv,
                partial: true,
                dry_run: false,
            },
            &app.librarian(),
        )
    };

    let columns = c
        .import_publications(import(b"judul,tahun\nA,2024\n".to_vec()))
        .await
        .unwrap_err();
    let encoding = c
        .import_publications(import([HEADER.as_bytes(), &[0xff, 0xfe, 0x00]].concat()))
        .await
        .unwrap_err();
    let mut huge = String::from(HEADER);
    for i in 0..10_001 {
        huge.push_str(&format!("1674,Judul Publikasi {i},kependudukan,id,,,,\n"));
    }
    let too_many = c
        .import_publications(import(huge.into_bytes()))
        .await
        .unwrap_err();

    for err in [&columns, &encoding, &too_many] {
        assert_eq!(err.code(), Code::InvalidArgument);
        assert_eq!(fields_of(err), ["csv"]);
    }
    use tonic_types::StatusExt as _;
    let details = too_many.get_error_details();
    let why = &details
        .bad_request()
        .expect("field errors")
        .field_violations[0]
        .description;
    assert!(why.contains("10000"), "{why}");
}

#[tokio::test]
async fn an_export_has_the_import_columns_and_reimports() {
    let app = spawn_app().await;
    let mut c = app.client.clone();

    let out = c
        .export_publications(with_token(
            pb::ExportRequest {
                office_code: "1674".into(),
            },
            &app.librarian(),
        ))
        .await
        .expect("export")
        .into_inner();
    let denied = c
        .export_publications(with_token(
            pb::ExportRequest {
                office_code: "1674".into(),
            },
            &app.token(Role::Visitor, None),
        ))
        .await
        .unwrap_err();

    assert_eq!(out.rows, 24);
    assert!(
        out.csv
            .trim_start_matches('\u{feff}')
            .starts_with("office_code,title,")
    );
    assert_eq!(denied.code(), Code::PermissionDenied);
    // Re-importing the same rows collides on catalogue numbers: reported, nothing imported.
    let again = c
        .import_publications(with_token(
            pb::ImportRequest {
                csv: out.csv.into_bytes(),
                partial: false,
                dry_run: false,
            },
            &app.librarian(),
        ))
        .await
        .expect("answered")
        .into_inner();
    assert_eq!(again.imported, 0);
    assert_eq!(again.errors[0].field, "catalogue_number");
}
