//! The parts of the supervisor's report, each a table (also its CSV) and the SVG chart
//! of the same numbers.

use super::charts::{self, Bar};
use super::report::Data;
use crate::routes::visit::TallyView;
use crate::web::pages::humanize;

/// One part of the report: what its table (and CSV) shows.
pub(super) struct Table {
    pub id: &'static str,
    pub title: String,
    pub head: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    /// The chart of the same numbers.
    pub svg: String,
}

/// A number the Indonesian way: decimal comma (`84,40`).
pub(super) fn decimal(x: f64, places: usize) -> String {
    format!("{x:.places$}").replace('.', ",")
}

pub(super) fn pct(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

fn answer(key: &str) -> String {
    if key.is_empty() {
        "(tidak diisi)".into()
    } else {
        humanize(key)
    }
}

fn tally_table(id: &'static str, title: &str, list: &[TallyView]) -> Table {
    let bars: Vec<Bar> = list
        .iter()
        .map(|t| Bar {
            label: answer(&t.key),
            value: f64::from(t.count),
            text: t.count.to_string(),
            mark: false,
        })
        .collect();
    Table {
        id,
        title: title.to_owned(),
        head: vec!["Jawaban", "Pengunjung"],
        rows: list
            .iter()
            .map(|t| vec![answer(&t.key), t.count.to_string()])
            .collect(),
        svg: charts::rows(id, title, &bars),
    }
}

/// Every part in report order.
pub(super) fn tables(d: &Data) -> Vec<Table> {
    let t = &d.times;
    let promise_min = t.promise_secs / 60;
    let mut out = Vec::new();
    let day_bars: Vec<Bar> = t
        .days
        .iter()
        .map(|x| {
            let share = if x.served > 0 {
                f64::from(x.within_promise) / f64::from(x.served)
            } else {
                0.0
            };
            Bar {
                label: x.day.get(8..).unwrap_or(&x.day).to_owned(),
                value: share,
                text: pct(share),
                mark: share < 0.9,
            }
        })
        .collect();
    let title = format!("Dilayani dalam {promise_min} menit per hari");
    out.push(Table {
        id: "harian",
        svg: charts::columns("harian", &title, &day_bars, 1.0, Some((0.9, "90 %"))),
        title,
        head: vec![
            "Tanggal",
            "Kunjungan",
            "Dilayani",
            "Dalam janji",
            "Persentase",
        ],
        rows: t
            .days
            .iter()
            .map(|x| {
                let share = if x.served > 0 {
                    f64::from(x.within_promise) / f64::from(x.served)
                } else {
                    0.0
                };
                vec![
                    x.day.clone(),
                    x.visits.to_string(),
                    x.served.to_string(),
                    x.within_promise.to_string(),
                    pct(share),
                ]
            })
            .collect(),
    });
    let wait_bars: Vec<Bar> = t
        .wait_minutes
        .iter()
        .enumerate()
        .map(|(i, w)| Bar {
            label: format!("{} mnt", w.key),
            value: f64::from(w.count),
            text: w.count.to_string(),
            mark: i >= 5,
        })
        .collect();
    let max = wait_bars.iter().map(|b| b.value).fold(1.0, f64::max);
    out.push(Table {
        id: "tunggu",
        title: "Sebaran waktu tunggu (buku tamu sampai dilayani)".into(),
        svg: charts::columns("tunggu", "Sebaran waktu tunggu", &wait_bars, max, None),
        head: vec!["Menit", "Pengunjung"],
        rows: t
            .wait_minutes
            .iter()
            .map(|w| vec![w.key.clone(), w.count.to_string()])
            .collect(),
    });
    out.push(tally_table(
        "keperluan",
        "Pengunjung menurut keperluan",
        &t.by_purpose,
    ));
    out.push(tally_table(
        "pekerjaan",
        "Pengunjung menurut pekerjaan",
        &t.by_occupation,
    ));
    out.push(tally_table(
        "pendidikan",
        "Pengunjung menurut pendidikan",
        &t.by_education,
    ));
    out.push(tally_table(
        "jenis-kelamin",
        "Pengunjung menurut jenis kelamin",
        &t.by_sex,
    ));
    out.push(tally_table(
        "umur",
        "Pengunjung menurut kelompok umur",
        &t.by_age_group,
    ));
    let ikm_bars: Vec<Bar> = d
        .ikm
        .elements
        .iter()
        .map(|e| Bar {
            label: e.code.clone(),
            value: e.nrr,
            text: decimal(e.nrr, 2),
            mark: d.ikm.weakest.contains(&e.code),
        })
        .collect();
    out.push(Table {
        id: "ikm",
        title: "Nilai rata-rata per unsur SKM (skala 1-4)".into(),
        svg: charts::columns("ikm", "Nilai rata-rata per unsur SKM", &ikm_bars, 4.0, None),
        head: vec!["Unsur", "Nama", "Responden", "NRR", "NRR tertimbang"],
        rows: d
            .ikm
            .elements
            .iter()
            .map(|e| {
                vec![
                    e.code.clone(),
                    e.name.clone(),
                    e.answered.to_string(),
                    decimal(e.nrr, 3),
                    decimal(e.weighted, 3),
                ]
            })
            .collect(),
    });
    let i = &d.ikm.integrity;
    let integrity = [
        ("Diminta biaya", i.fee_asked),
        ("Ditawari/ memberi imbalan", i.gratuity_offered),
        ("Diminta balas jasa", i.favour_asked),
        ("Mengalami diskriminasi", i.discrimination),
    ];
    out.push(Table {
        id: "integritas",
        title: "Jawaban pertanyaan integritas (jumlah yang menjawab \"ya\")".into(),
        svg: charts::rows(
            "integritas",
            "Jawaban pertanyaan integritas",
            &integrity
                .iter()
                .map(|(l, n)| Bar {
                    label: (*l).into(),
                    value: f64::from(*n),
                    text: n.to_string(),
                    mark: *n > 0,
                })
                .collect::<Vec<_>>(),
        ),
        head: vec!["Pertanyaan", "Menjawab ya"],
        rows: integrity
            .iter()
            .map(|(l, n)| vec![(*l).to_owned(), n.to_string()])
            .collect(),
    });
    let c = &d.complaints;
    let status = |k: &str| crate::web::pages::complaints::status_label(k).to_owned();
    let channel = |k: &str| super::inbox::channel_label(k).to_owned();
    let count_bars = |v: &[crate::routes::feedback::CountView], name: &dyn Fn(&str) -> String| {
        v.iter()
            .map(|x| Bar {
                label: name(&x.key),
                value: f64::from(x.count),
                text: x.count.to_string(),
                mark: false,
            })
            .collect::<Vec<_>>()
    };
    out.push(Table {
        id: "pengaduan-status",
        title: "Pengaduan menurut status".into(),
        svg: charts::rows(
            "pengaduan-status",
            "Pengaduan menurut status",
            &count_bars(&c.by_status, &status),
        ),
        head: vec!["Status", "Pengaduan"],
        rows: c
            .by_status
            .iter()
            .map(|x| vec![status(&x.key), x.count.to_string()])
            .collect(),
    });
    out.push(Table {
        id: "pengaduan-kanal",
        title: "Pengaduan menurut kanal".into(),
        svg: charts::rows(
            "pengaduan-kanal",
            "Pengaduan menurut kanal",
            &count_bars(&c.by_channel, &channel),
        ),
        head: vec!["Kanal", "Pengaduan"],
        rows: c
            .by_channel
            .iter()
            .map(|x| vec![channel(&x.key), x.count.to_string()])
            .collect(),
    });
    out.push(Table {
        id: "unduhan",
        title: "Unduhan per publikasi (20 teratas)".into(),
        svg: charts::rows(
            "unduhan",
            "Unduhan per publikasi",
            &d.downloads
                .publications
                .iter()
                .map(|p| Bar {
                    label: p.title.chars().take(40).collect(),
                    value: f64::from(p.downloads),
                    text: p.downloads.to_string(),
                    mark: false,
                })
                .collect::<Vec<_>>(),
        ),
        head: vec!["Publikasi", "Unduhan", "Pengguna"],
        rows: d
            .downloads
            .publications
            .iter()
            .map(|p| {
                vec![
                    p.title.clone(),
                    p.downloads.to_string(),
                    p.users.to_string(),
                ]
            })
            .collect(),
    });
    out.push(Table {
        id: "ruang-baca",
        title: "Penggunaan ruang baca per publikasi (20 teratas)".into(),
        svg: charts::rows(
            "ruang-baca",
            "Penggunaan ruang baca per publikasi",
            &d.reading
                .publications
                .iter()
                .take(20)
                .map(|p| Bar {
                    label: p.title.chars().take(40).collect(),
                    value: f64::from(p.uses),
                    text: p.uses.to_string(),
                    mark: false,
                })
                .collect::<Vec<_>>(),
        ),
        head: vec!["Publikasi", "Penggunaan"],
        rows: d
            .reading
            .publications
            .iter()
            .take(20)
            .map(|p| vec![p.title.clone(), p.uses.to_string()])
            .collect(),
    });
    out
}
