//! Where a search's time goes, query by query, on a catalogue database you name:
//! `cargo run --release -p pst-catalogue --example search_probe -- DATABASE_URL QUERIES_FILE`
//! (one query per line). Builds the index as a replica does (timed), then per query times
//! the parse in Postgres and the index search (and which match was needed), and prints
//! the slowest and the percentiles. Measures; asserts nothing.

use std::time::Instant;

use pst_catalogue::domain::tsquery::Expr;
use pst_catalogue::index::collect::{Gather, Pass};
use pst_catalogue::index::follow::LiveIndex;
use pst_catalogue::index::{Ask, Match};

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(url), Some(file)) = (args.get(1), args.get(2)) else {
        anyhow::bail!("usage: search_probe DATABASE_URL QUERIES_FILE");
    };
    let pool = sqlx::PgPool::connect(url).await?;
    if std::env::var("PROBE_PARSE_ONLY").is_ok() {
        let mut ms = Vec::new();
        for i in 0..300 {
            let t = Instant::now();
            let sql = std::env::var("PROBE_SQL")
                .unwrap_or_else(|_| "SELECT websearch_to_tsquery('indonesian', $1)::text".into());
            let _: String = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .bind(format!("kata {i}"))
                .fetch_one(&pool)
                .await?;
            let took = t.elapsed().as_secs_f64() * 1e3;
            if took > 10.0 {
                println!("query {i}: {took:.1} ms");
            }
            ms.push(took);
        }
        ms.sort_by(f64::total_cmp);
        println!(
            "parse only: p50 {:.2} p95 {:.2} max {:.2}",
            ms[150], ms[285], ms[299]
        );
        return Ok(());
    }
    let t = Instant::now();
    let live = LiveIndex::start(pool.clone()).await?;
    let index = live.index();
    println!(
        "built: {} publications in {:.1} s",
        index.len(),
        t.elapsed().as_secs_f64()
    );
    let vocabulary = pst_catalogue::domain::vocabulary::Vocabulary::new(
        pst_catalogue::store::vocabulary(&pool)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?,
    );
    let mut times: Vec<(f64, f64, String, &'static str, u64)> = Vec::new();
    let mut correct_ms: Vec<f64> = Vec::new();
    for typed in std::fs::read_to_string(file)?
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        // As the service does: typing slips corrected against the vocabulary first.
        let tc = Instant::now();
        let corrected = vocabulary.correct(typed);
        correct_ms.push(tc.elapsed().as_secs_f64() * 1e3);
        let q = if corrected.is_empty() {
            typed
        } else {
            corrected.as_str()
        };
        let t = Instant::now();
        let tree: String =
            sqlx::query_scalar("SELECT websearch_to_tsquery('indonesian', $1)::text")
                .bind(q)
                .fetch_one(&pool)
                .await?;
        let parse_ms = t.elapsed().as_secs_f64() * 1e3;
        let Some(expr) = Expr::parse(&tree) else {
            continue;
        };
        let t = Instant::now();
        let mut how = "query";
        let ask = |m| Ask {
            expr: Some(&expr),
            how: m,
            office: None,
            subject: None,
            language: None,
            gather: Gather {
                pass: Pass {
                    levels: 1,
                    ..Pass::default()
                },
                after: None,
                keep: 11,
                by_year: false,
            },
        };
        let mut found = index.search(ask(Match::Query))?;
        if found.total == 0 {
            how = "loose";
            found = index.search(ask(Match::Loose))?;
        }
        if found.total == 0 {
            how = "any";
            found = index.search(ask(Match::Any))?;
        }
        times.push((
            t.elapsed().as_secs_f64() * 1e3,
            parse_ms,
            q.to_owned(),
            how,
            found.total,
        ));
    }
    times.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (ms, parse, q, how, total) in times.iter().take(15) {
        println!("{ms:8.2} ms index  {parse:6.2} ms parse  {how:5} {total:7} matches  {q}");
    }
    let mut ms: Vec<f64> = times.iter().map(|t| t.0).collect();
    ms.sort_by(f64::total_cmp);
    let p = |x: f64| ms[((ms.len() as f64 - 1.0) * x) as usize];
    println!(
        "{} queries: index p50 {:.2} p95 {:.2} p99 {:.2} ms",
        ms.len(),
        p(0.5),
        p(0.95),
        p(0.99)
    );
    correct_ms.sort_by(f64::total_cmp);
    println!(
        "typo correction ({} words): p50 {:.2} p95 {:.2} max {:.2} ms",
        vocabulary.len(),
        correct_ms[correct_ms.len() / 2],
        correct_ms[correct_ms.len() * 95 / 100],
        correct_ms[correct_ms.len() - 1]
    );
    let mut parse: Vec<f64> = times.iter().map(|t| t.1).collect();
    parse.sort_by(f64::total_cmp);
    let q = |x: f64| parse[((parse.len() as f64 - 1.0) * x) as usize];
    println!(
        "parse in Postgres: p50 {:.2} p95 {:.2} p99 {:.2} max {:.2} ms",
        q(0.5),
        q(0.95),
        q(0.99),
        q(1.0)
    );
    Ok(())
}
