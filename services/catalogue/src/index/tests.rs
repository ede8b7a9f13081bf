//! The index on its own, without a database: what matches, who sees what, counts and
//! facets, paging, the loose match for misspelt words, and changes applied.

use uuid::Uuid;

use super::collect::{Gather, Pass};
use super::document::IndexRow;
use super::{Ask, Found, Match, SearchIndex};
use crate::domain::tsquery::Expr;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

/// A public publication of 1674 whose title lexemes are `title` and abstract `body`.
fn row(n: u128, title: &str, body: &str, year: i32) -> IndexRow {
    let tsv = |words: &str, weight: &str| {
        words
            .split_whitespace()
            .enumerate()
            .map(|(i, w)| format!("'{w}':{}{weight}", i + 1))
            .collect::<Vec<_>>()
            .join(" ")
    };
    IndexRow {
        id: id(n),
        search: format!("{} {}", tsv(title, "A"), tsv(body, "C")),
        office: "1674".into(),
        subject: "kependudukan".into(),
        language: "id".into(),
        year_from: Some(year),
        year_to: Some(year),
        access_level: "public".into(),
        has_printed: false,
        digital: false,
        withdrawn: false,
    }
}

fn index(rows: &[IndexRow]) -> SearchIndex {
    let ix = SearchIndex::new().expect("index");
    ix.add(rows).expect("add");
    ix.publish().expect("publish");
    ix
}

fn public() -> Pass {
    Pass {
        levels: 1,
        ..Pass::default()
    }
}

fn ask<'a>(expr: Option<&'a Expr>, how: Match, pass: Pass, after: Option<(f64, u128)>) -> Ask<'a> {
    Ask {
        expr,
        how,
        office: None,
        subject: None,
        language: None,
        gather: Gather {
            pass,
            after,
            keep: 10,
            by_year: expr.is_none(),
        },
    }
}

fn find(ix: &SearchIndex, tsquery: &str) -> Found {
    let e = Expr::parse(tsquery).expect("tsquery");
    ix.search(ask(Some(&e), Match::Query, public(), None))
        .expect("search")
}

fn ids(f: &Found) -> Vec<Uuid> {
    f.top.iter().map(|(_, id)| *id).collect()
}

#[test]
fn words_match_as_the_query_says_and_titles_rank_first() {
    let ix = index(&[
        row(1, "inflasi kota lubuklinggau", "harga konsumen", 2023),
        row(2, "statistik harga", "inflasi bulanan kota", 2023),
        row(3, "kemiskinan musi rawas", "garis kemiskinan", 2022),
    ]);
    let f = find(&ix, "'inflasi' & 'kota'");
    assert_eq!(ids(&f), [id(1), id(2)], "the title match first");
    assert_eq!(f.total, 2);
    assert_eq!(ids(&find(&ix, "'inflasi' & !'lubuklinggau'")), [id(2)]);
    let mut either = ids(&find(&ix, "'miskin' | 'harga'"));
    either.sort();
    assert_eq!(
        either,
        [id(1), id(2)],
        "'miskin' is no lexeme here, 'harga' is"
    );
    assert_eq!(find(&ix, "'kemiskinan' | 'konsumen'").total, 2);
    assert_eq!(find(&ix, "'tidakada'").total, 0);
}

#[test]
fn restricted_and_withdrawn_entries_reach_only_their_audience() {
    let mut staff = row(2, "neraca daerah", "", 2020);
    staff.access_level = "staff".into();
    let mut gone = row(3, "neraca lama", "", 2019);
    gone.withdrawn = true;
    let mut registered = row(4, "neraca registrasi", "", 2021);
    registered.access_level = "registered".into();
    let ix = index(&[row(1, "neraca umum", "", 2018), staff, gone, registered]);
    let e = Expr::parse("'neraca'").expect("tsquery");
    let total = |pass: Pass| {
        ix.search(ask(Some(&e), Match::Query, pass, None))
            .expect("search")
            .total
    };
    assert_eq!(total(public()), 1, "anonymous: public only");
    assert_eq!(
        total(Pass {
            levels: 0b11,
            ..Pass::default()
        }),
        2,
        "signed in: registered too"
    );
    let of = |office| Pass {
        levels: 0b11,
        staff_of: Some(office),
        ..Pass::default()
    };
    assert_eq!(
        total(of(Some(1674))),
        3,
        "staff of the office: its staff-only entries"
    );
    assert_eq!(total(of(Some(1671))), 2, "staff of another office: not");
    assert_eq!(total(of(None)), 3, "admin: every office's");
    assert_eq!(
        total(Pass {
            include_withdrawn: true,
            ..of(Some(1674))
        }),
        4,
        "withdrawn ones only when asked"
    );
}

#[test]
fn counts_and_facets_are_exact_and_pages_reach_every_match_once() {
    let rows: Vec<IndexRow> = (1..=45)
        .map(|n| {
            let mut r = row(n, "produksi padi", "luas panen", 2000 + (n % 5) as i32);
            if n % 3 == 0 {
                r.office = "1671".into();
            }
            r
        })
        .collect();
    let ix = index(&rows);
    let e = Expr::parse("'padi'").expect("tsquery");
    let first = ix
        .search(ask(Some(&e), Match::Query, public(), None))
        .expect("search");
    assert_eq!(first.total, 45);
    assert_eq!(first.office, [("1671".into(), 15), ("1674".into(), 30)]);
    assert_eq!(first.year.iter().map(|(_, n)| n).sum::<i64>(), 45);
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = ix
            .search(ask(Some(&e), Match::Query, public(), after))
            .expect("page");
        // Pages of 10 ask for 10 (the collector keeps `keep`; the caller shows keep - 1).
        let shown: Vec<(f64, Uuid)> = page.top.iter().copied().take(9).collect();
        seen.extend(shown.iter().map(|(_, id)| *id));
        if page.top.len() < 10 {
            break;
        }
        let (s, last) = *shown.last().expect("a page");
        after = Some((s, last.as_u128()));
    }
    let unique: std::collections::HashSet<_> = seen.iter().collect();
    assert_eq!(seen.len(), 45, "every match");
    assert_eq!(unique.len(), 45, "once");
    // Newest first among equals.
    assert!(first.top[0].0 > first.top[9].0);

    // Filters only: newest first, year range as asked.
    let only = ix
        .search(Ask {
            gather: Gather {
                pass: Pass {
                    year_from: Some(2003),
                    ..public()
                },
                after: None,
                keep: 100,
                by_year: true,
            },
            ..ask(None, Match::Query, public(), None)
        })
        .expect("filters");
    assert_eq!(only.total, 18, "years 2003 and 2004");
    assert_eq!(only.top[0].0, 2004.0);
}

#[test]
fn a_misspelt_word_is_read_as_the_title_words_near_it() {
    let ix = index(&[
        row(1, "statistik konstruksi kota solok", "", 2012),
        row(2, "statistik pertanian kota solok", "", 2012),
        row(3, "statistik konstruksi kota padang", "", 2012),
    ]);
    // "konsrtuksi" (two letters swapped) and "soook" (one changed) are in no publication.
    let e = Expr::parse("'statistik' & 'konsrtuksi' & 'kota' & 'soook'").expect("tsquery");
    let strict = ix
        .search(ask(Some(&e), Match::Query, public(), None))
        .expect("search");
    assert_eq!(strict.total, 0);
    let loose = ix
        .search(ask(Some(&e), Match::Loose, public(), None))
        .expect("search");
    assert_eq!(ids(&loose)[0], id(1), "both misspelt words near its title");
}

#[test]
fn changes_replace_and_remove_entries() {
    let ix = index(&[
        row(1, "upah buruh", "", 2020),
        row(2, "upah minimum", "", 2021),
    ]);
    let mut changed = row(1, "upah petani", "", 2020);
    changed.withdrawn = true;
    ix.apply(&[id(1), id(2)], &[changed]).expect("apply");
    assert_eq!(find(&ix, "'upah'").total, 0, "one withdrawn, one gone");
    ix.apply(&[id(3)], &[row(3, "upah nominal", "", 2022)])
        .expect("apply");
    assert_eq!(ids(&find(&ix, "'upah'")), [id(3)]);
    assert_eq!(ix.len(), 2);
}

#[test]
fn a_broad_query_reads_a_sample_and_says_its_counts_are_estimates() {
    let rows: Vec<IndexRow> = (1..=2_000u128)
        .map(|n| {
            // Ids spread over the buckets as random ids are.
            let mut r = row(
                0,
                "laporan tahunan",
                "data statistik",
                2000 + (n % 20) as i32,
            );
            r.id = Uuid::from_u128(n.wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835));
            if n % 100 == 0 {
                r.search = "'data':1A 'utama':2A".into();
            }
            r
        })
        .collect();
    let ix = index(&rows).with_broad(200);
    let f = find(&ix, "'data'");
    assert!(f.estimate, "more than 200 match: a sample");
    assert!(
        (1_200..=2_800).contains(&f.total),
        "about 2,000 by the sample: {}",
        f.total
    );
    assert!(f.top[0].0 > f.top[9].0 || f.top.len() < 10);
    // Exact below the limit.
    let few = find(&ix, "'utama'");
    assert!(!few.estimate);
    assert_eq!(few.total, 20);
}
