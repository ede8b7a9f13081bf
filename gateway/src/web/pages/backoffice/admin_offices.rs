//! Administration of offices: the list, and an office's setup (name, zone, hours, days,
//! holidays, lines and their prefixes, counters and the lines they serve, lockers).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::ADMIN;
use crate::ctx::Ctx;
use crate::routes::admin::offices::{CounterBody, LineBody};
use crate::routes::admin::{self as uc, SetupBody};
use crate::routes::visit::office_setup;
use crate::state::AppState;
use crate::web::forms::{FieldErrors, WebForm};
use crate::web::pages::{Posted, field, first_submission, html};
use crate::web::session::see_other;
use crate::web::{Page, PageError, Session};

const ZONES: [(&str, &str); 3] = [
    ("Asia/Jakarta", "WIB (Asia/Jakarta)"),
    ("Asia/Makassar", "WITA (Asia/Makassar)"),
    ("Asia/Jayapura", "WIT (Asia/Jayapura)"),
];

const DAYS: [(u32, &str); 7] = [
    (1, "Senin"),
    (2, "Selasa"),
    (3, "Rabu"),
    (4, "Kamis"),
    (5, "Jumat"),
    (6, "Sabtu"),
    (7, "Minggu"),
];

#[derive(Template)]
#[template(path = "staff/admin_offices.html")]
struct Offices {
    page: Page,
    offices: Vec<(String, String)>,
}

pub(super) async fn offices(
    State(s): State<AppState>,
    session: Session,
) -> Result<Response, PageError> {
    super::staff(&session, &ADMIN, "")?;
    s.web.offices.forget();
    let page = Page::new(&s, &session, "Administrasi satker").await;
    html(&Offices {
        offices: page.office_list(),
        page,
    })
}

struct Lookup<'a>(&'a [(String, String)]);

impl Lookup<'_> {
    fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
    fn is(&self, name: &str, value: &str) -> bool {
        self.get(name) == value
    }
}

/// The setup form's rows: the saved ones plus empty rows to add to.
#[derive(Debug, Clone, Default)]
pub(super) struct SetupForm {
    pub code: String,
    pub body: SetupBody,
    pub holidays_text: String,
    /// The number of lockers as typed (a blank or bad one is refused, never read as 0).
    pub lockers_text: String,
    pub is_new: bool,
}

const EXTRA_ROWS: usize = 2;

impl SetupForm {
    /// `lines-N-code`, `counters-N-serves` (repeated), ... as the form sends them.
    fn from_values(code: &str, pairs: &[(String, String)]) -> Self {
        // Not `Values`: a setup form has more fields than its cap, and repeated names.
        let v = Lookup(pairs);
        let mut lines = Vec::new();
        let mut counters = Vec::new();
        // As many rows as the visit service accepts (26 lines, 50 counters): a row the form
        // did not read would be deleted by the save.
        for i in 0..50 {
            let (c, p, n) = (
                field(v.get(&format!("lines-{i}-code")), 40),
                field(v.get(&format!("lines-{i}-prefix")), 4),
                field(v.get(&format!("lines-{i}-name")), 100),
            );
            if !(c.is_empty() && p.is_empty() && n.is_empty()) {
                lines.push(LineBody {
                    code: c,
                    prefix: p.to_uppercase(),
                    name: n,
                });
            }
            let (c, n) = (
                field(v.get(&format!("counters-{i}-code")), 20),
                field(v.get(&format!("counters-{i}-name")), 80),
            );
            let serves: Vec<String> = pairs
                .iter()
                .filter(|(k, _)| *k == format!("counters-{i}-serves"))
                .map(|(_, x)| field(x, 40))
                .collect();
            if !(c.is_empty() && n.is_empty()) {
                counters.push(CounterBody {
                    code: c,
                    name: n,
                    service_types: serves,
                });
            }
        }
        let holidays_text = field(v.get("holidays"), 4000);
        Self {
            code: code.to_owned(),
            body: SetupBody {
                name: field(v.get("name"), 120),
                time_zone: field(v.get("time_zone"), 40),
                opens_at: field(v.get("opens_at"), 5),
                closes_at: field(v.get("closes_at"), 5),
                open_days: pairs
                    .iter()
                    .filter(|(k, _)| k == "open_days")
                    .filter_map(|(_, d)| d.parse().ok())
                    .collect(),
                holidays: holidays_text
                    .split(['\n', ',', ' '])
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(str::to_owned)
                    .collect(),
                lockers: v.get("lockers").trim().parse().unwrap_or(u32::MAX),
                service_types: lines,
                counters,
            },
            holidays_text,
            lockers_text: field(v.get("lockers"), 8),
            is_new: v.is("baru", "1"),
        }
    }

    /// Lines with empty rows after them.
    pub(super) fn line_rows(&self) -> Vec<LineBody> {
        let mut v = self.body.service_types.clone();
        v.extend(std::iter::repeat_n(LineBody::default(), EXTRA_ROWS));
        v
    }

    pub(super) fn counter_rows(&self) -> Vec<CounterBody> {
        let mut v = self.body.counters.clone();
        v.extend(std::iter::repeat_n(CounterBody::default(), EXTRA_ROWS));
        v
    }
}

#[derive(Template)]
#[template(path = "staff/admin_setup.html")]
struct Setup {
    page: Page,
    form: SetupForm,
    errors: FieldErrors,
    notice: String,
}

impl Setup {
    fn zones(&self) -> &'static [(&'static str, &'static str)] {
        &ZONES
    }
    fn days(&self) -> &'static [(u32, &'static str)] {
        &DAYS
    }
    fn opens_on(&self, d: &u32) -> bool {
        self.form.body.open_days.contains(d)
    }
    fn serves(&self, c: &CounterBody, line: &str) -> bool {
        c.service_types.iter().any(|x| x == line)
    }
    /// The error of row `i`'s field, named as the form names it (`lines-0-code`).
    fn row_err(&self, table: &str, i: &usize, name: &str) -> Option<&str> {
        self.errors.get(&format!("{table}-{i}-{name}"))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct SetupQuery {
    disimpan: String,
}

pub(super) async fn setup_form(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<SetupQuery>,
) -> Result<Response, PageError> {
    super::staff(&session, &ADMIN, "")?;
    let code = field(&code, 8);
    let form = match office_setup(&s, &session.ctx(ctx), code.clone()).await {
        Ok(o) => SetupForm {
            code: code.clone(),
            holidays_text: o.holidays.join("\n"),
            lockers_text: o.lockers.to_string(),
            body: SetupBody {
                name: o.name,
                time_zone: o.time_zone,
                opens_at: o.opens_at,
                closes_at: o.closes_at,
                open_days: o.open_days,
                holidays: o.holidays,
                lockers: o.lockers,
                service_types: o
                    .service_types
                    .into_iter()
                    .map(|t| LineBody {
                        code: t.code,
                        prefix: t.prefix,
                        name: t.name,
                    })
                    .collect(),
                counters: o
                    .counters
                    .into_iter()
                    .map(|c| CounterBody {
                        code: c.code,
                        name: c.name,
                        service_types: c.service_types,
                    })
                    .collect(),
            },
            is_new: false,
        },
        // A new office: sensible defaults to change.
        Err(e) if e.0.as_u16() == 404 || e.0.as_u16() == 422 => SetupForm {
            code: code.clone(),
            holidays_text: String::new(),
            lockers_text: "20".into(),
            body: SetupBody {
                name: String::new(),
                time_zone: "Asia/Jakarta".into(),
                opens_at: "08:00".into(),
                closes_at: "15:30".into(),
                open_days: vec![1, 2, 3, 4, 5],
                holidays: Vec::new(),
                lockers: 20,
                service_types: vec![LineBody {
                    code: "perpustakaan".into(),
                    prefix: "P".into(),
                    name: "Perpustakaan".into(),
                }],
                counters: Vec::new(),
            },
            is_new: true,
        },
        Err(e) => return Err(e.into()),
    };
    let notice = if q.disimpan == "1" {
        "Pengaturan satker tersimpan."
    } else {
        ""
    };
    html(&Setup {
        page: Page::new(&s, &session, "Pengaturan satker").await,
        form,
        errors: FieldErrors::default(),
        notice: notice.into(),
    })
}

pub(super) async fn save_setup(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(code): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    super::staff(&session, &ADMIN, "")?;
    let once = pairs
        .iter()
        .find(|(k, _)| k == "sekali")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let pending = match first_submission(&s, &once) {
        Posted::Act(p) => p,
        Posted::Answered(r) => return Ok(r),
    };
    let code = field(&code, 8);
    let form = SetupForm::from_values(&code, &pairs);
    match uc::save_setup(&s, &session.ctx(ctx), code.clone(), form.body.clone()).await {
        Ok(_) => {
            let to = format!("/admin/satker/{code}?disimpan=1");
            pending.done(&to);
            Ok(see_other(&to, Vec::new()))
        }
        Err(e) if crate::web::forms::FieldErrors::is_form_error(&e) => {
            let mut errors = FieldErrors::from_api(&e);
            // The service names rows `service_types[0].code`; the form, `lines-0-code`.
            for f in &e.1.errors {
                let name = f
                    .field
                    .replace("service_types[", "lines-")
                    .replace("counters[", "counters-")
                    .replace("].", "-")
                    .replace("holidays[", "holidays-")
                    .replace(']', "");
                errors.add(&name, f.message.clone());
                if name.starts_with("holidays") {
                    errors.add("holidays", f.message.clone());
                }
            }
            html(&Setup {
                page: Page::new(&s, &session, "Pengaturan satker").await,
                form,
                errors,
                notice: String::new(),
            })
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setup_rows_are_read_from_numbered_fields() {
        let pairs: Vec<(String, String)> = [
            ("name", "BPS Kab Contoh"),
            ("open_days", "1"),
            ("open_days", "5"),
            ("holidays", "2027-01-01\n2027-03-10"),
            ("lockers", "12"),
            ("lines-0-code", "perpustakaan"),
            ("lines-0-prefix", "p"),
            ("lines-0-name", "Perpustakaan"),
            ("lines-1-code", ""),
            ("counters-0-code", "L1"),
            ("counters-0-name", "Loket 1"),
            ("counters-0-serves", "perpustakaan"),
            ("counters-1-code", "L2"),
            ("counters-1-name", "Loket 2"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let f = SetupForm::from_values("1675", &pairs);
        assert_eq!(f.body.open_days, vec![1, 5]);
        assert_eq!(f.body.holidays.len(), 2);
        assert_eq!(f.body.service_types.len(), 1);
        assert_eq!(f.body.service_types[0].prefix, "P");
        assert_eq!(f.body.counters.len(), 2);
        assert!(f.body.counters[1].service_types.is_empty());
        assert_eq!(f.line_rows().len(), 1 + EXTRA_ROWS);
    }
}
