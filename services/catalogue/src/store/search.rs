//! SQL of a search answered by Postgres (`search_engine = "postgres"`, and the index's
//! absence): the filters as a WHERE clause, a filter-only page and its facet counts, a text
//! query's candidates (all of a rare query's matches, or one batch of a broad query's
//! newest), the fallbacks when its words match nothing together, and a page's rows with
//! their snippets. What to ask, and how to rank and page, is the service's
//! (`service::search`, `service::search_text`).

use sqlx::{PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

use super::{COLUMNS, PublicationRow};

/// The search filters, appended to a query only when set (so each can use its index).
pub(crate) struct Filters {
    pub(crate) levels: Vec<String>,
    /// Staff-only entries of this office are seen too (`Some("")`: of every office, admin).
    pub(crate) staff_of: Option<String>,
    /// Withdrawn entries are listed too (staff of the filtered office only).
    pub(crate) include_withdrawn: bool,
    pub(crate) office: String,
    pub(crate) subject: String,
    pub(crate) year_from: Option<i32>,
    pub(crate) year_to: Option<i32>,
    pub(crate) language: String,
    pub(crate) has_digital: Option<bool>,
    pub(crate) has_printed: Option<bool>,
}

impl Filters {
    fn push(&self, b: &mut QueryBuilder<Postgres>) {
        b.push(if self.include_withdrawn {
            "(p.access_level = ANY("
        } else {
            "p.withdrawn_at IS NULL AND (p.access_level = ANY("
        });
        b.push_bind(self.levels.clone());
        b.push(")");
        match self.staff_of.as_deref() {
            Some("") => b.push(" OR p.access_level = 'staff')"),
            Some(office) => {
                b.push(" OR (p.access_level = 'staff' AND p.office_code = ");
                b.push_bind(office.to_owned());
                b.push("::char(4)))")
            }
            None => b.push(")"),
        };
        if !self.office.is_empty() {
            // Cast: a text parameter against the char(4) column would bypass its index.
            b.push(" AND p.office_code = ");
            b.push_bind(self.office.clone());
            b.push("::char(4)");
        }
        if !self.subject.is_empty() {
            b.push(" AND p.subject = ");
            b.push_bind(self.subject.clone());
        }
        if let Some(y) = self.year_from {
            b.push(" AND (p.year_to IS NULL OR p.year_to >= ");
            b.push_bind(y);
            b.push(")");
        }
        if let Some(y) = self.year_to {
            b.push(" AND (p.year_from IS NULL OR p.year_from <= ");
            b.push_bind(y);
            b.push(")");
        }
        if !self.language.is_empty() {
            b.push(" AND p.language = ");
            b.push_bind(self.language.clone());
        }
        if let Some(d) = self.has_digital {
            b.push(if d {
                " AND p.document_id IS NOT NULL"
            } else {
                " AND p.document_id IS NULL"
            });
        }
        if let Some(p) = self.has_printed {
            b.push(" AND p.has_printed = ");
            b.push_bind(p);
        }
    }
}

/// A filter-only search's row: the publication, its score (its last year) and no snippet.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SearchRow {
    #[sqlx(flatten)]
    pub(crate) row: PublicationRow,
    pub(crate) score: f64,
    pub(crate) snippet: String,
}

/// A text query's candidate: what ranking, facets and paging need.
#[derive(sqlx::FromRow)]
pub(crate) struct Candidate {
    pub(crate) id: Uuid,
    pub(crate) title: String,
    pub(crate) subject: String,
    pub(crate) office: String,
    pub(crate) year: i32,
    /// The place in a broad query's walk (year_to, nulls last).
    pub(crate) year_to: Option<i32>,
    pub(crate) language: String,
    pub(crate) score: f64,
}

/// A page's publication with its highlighted snippet.
#[derive(sqlx::FromRow)]
pub(crate) struct PageRow {
    #[sqlx(flatten)]
    pub(crate) row: PublicationRow,
    pub(crate) snippet: String,
}

/// How a text query's matches are read.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Read {
    /// All of them, up to this many (a rare query, through the word index).
    All(i64),
    /// The newest this many, after this place in the walk (year_to descending with no
    /// year last, then id; `None`: from the top).
    Newest(Option<(Option<i32>, Uuid)>, i64),
}

/// Filters only: the newest first, after the cursor's (score, id), `limit` rows.
pub(crate) async fn filtered_page(
    pool: &PgPool,
    f: &Filters,
    after: Option<(f64, Uuid)>,
    limit: i64,
) -> Result<Vec<SearchRow>, sqlx::Error> {
    let mut b = QueryBuilder::<Postgres>::new(format!(
        "SELECT * FROM (SELECT {COLUMNS}, COALESCE(p.year_to, 0)::float8 AS score, '' AS snippet FROM publications p WHERE "
    ));
    f.push(&mut b);
    b.push(") m");
    if let Some((score, id)) = after {
        b.push(" WHERE (m.score < ");
        b.push_bind(score);
        b.push(" OR (m.score = ");
        b.push_bind(score);
        b.push(" AND m.id > ");
        b.push_bind(id);
        b.push("))");
    }
    b.push(" ORDER BY m.score DESC, m.id LIMIT ");
    b.push_bind(limit);
    b.build_query_as().fetch_all(pool).await
}

/// (kind, value, count) of subject, office, year and language over at most `cap` of the
/// filters' matches.
pub(crate) async fn filtered_facets(
    pool: &PgPool,
    f: &Filters,
    cap: i64,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    let mut b = QueryBuilder::<Postgres>::new(
        "WITH m AS (SELECT p.subject, p.office_code::text AS office, COALESCE(p.year_to, 0)::text AS year, p.language FROM publications p WHERE ",
    );
    f.push(&mut b);
    b.push(" LIMIT ");
    b.push_bind(cap);
    b.push(
        ") SELECT 'subject', subject, count(*) FROM m GROUP BY subject UNION ALL \
          SELECT 'office', office, count(*) FROM m GROUP BY office UNION ALL \
          SELECT 'year', year, count(*) FROM m GROUP BY year UNION ALL \
          SELECT 'language', language, count(*) FROM m GROUP BY language",
    );
    b.build_query_as().fetch_all(pool).await
}

/// The candidates' columns, scored by `ts_rank` against `rank`, within the filters; the
/// caller adds how they match.
fn pick(f: &Filters, rank: Rank<'_>) -> QueryBuilder<Postgres> {
    let mut b = QueryBuilder::<Postgres>::new(
        "SELECT p.id, p.title, p.subject, p.office_code::text AS office, COALESCE(p.year_to, 0) AS year, p.year_to, p.language, \
         ts_rank(p.search, ",
    );
    match rank {
        Rank::Text(text) => {
            b.push("websearch_to_tsquery('indonesian', ");
            b.push_bind(text.to_owned());
            b.push(")");
        }
        Rank::TsQuery(q) => {
            b.push_bind(q.to_owned());
            b.push("::tsquery");
        }
    }
    b.push(")::float8 AS score FROM publications p WHERE ");
    f.push(&mut b);
    b
}

#[derive(Clone, Copy)]
enum Rank<'a> {
    /// Words as typed (`websearch_to_tsquery`).
    Text(&'a str),
    /// A tsquery already built (`term_stats::any_of`).
    TsQuery(&'a str),
}

/// The publications matching all of `text`'s words, read as `read` says.
pub(crate) async fn matching(
    pool: &PgPool,
    f: &Filters,
    text: &str,
    read: Read,
) -> Result<Vec<Candidate>, sqlx::Error> {
    let mut b = pick(f, Rank::Text(text));
    b.push(" AND p.search @@ websearch_to_tsquery('indonesian', ");
    b.push_bind(text.to_owned());
    b.push(")");
    match read {
        Read::All(n) => {
            b.push(" LIMIT ");
            b.push_bind(n);
        }
        Read::Newest(after, n) => {
            match after {
                None => {}
                Some((Some(y), id)) => {
                    b.push(" AND (p.year_to < ");
                    b.push_bind(y);
                    b.push(" OR (p.year_to = ");
                    b.push_bind(y);
                    b.push(" AND p.id > ");
                    b.push_bind(id);
                    b.push(") OR p.year_to IS NULL)");
                }
                Some((None, id)) => {
                    b.push(" AND p.year_to IS NULL AND p.id > ");
                    b.push_bind(id);
                }
            }
            b.push(" ORDER BY p.year_to DESC NULLS LAST, p.id LIMIT ");
            b.push_bind(n);
        }
    }
    b.build_query_as().fetch_all(pool).await
}

/// The publications matching the tsquery `any` (any of a failed query's rare words), at
/// most `limit`.
pub(crate) async fn matching_any(
    pool: &PgPool,
    f: &Filters,
    any: &str,
    limit: i64,
) -> Result<Vec<Candidate>, sqlx::Error> {
    let mut b = pick(f, Rank::TsQuery(any));
    b.push(" AND p.search @@ ");
    b.push_bind(any.to_owned());
    b.push("::tsquery LIMIT ");
    b.push_bind(limit);
    b.build_query_as().fetch_all(pool).await
}

/// The `limit` titles nearest to `text` in trigrams (pg_trgm's `%` and `<->`).
pub(crate) async fn nearest_titles(
    pool: &PgPool,
    f: &Filters,
    text: &str,
    limit: i64,
) -> Result<Vec<Candidate>, sqlx::Error> {
    let mut b = pick(f, Rank::Text(text));
    b.push(" AND lower(p.title) % lower(");
    b.push_bind(text.to_owned());
    b.push(") ORDER BY lower(p.title) <-> lower(");
    b.push_bind(text.to_owned());
    b.push("), p.id LIMIT ");
    b.push_bind(limit);
    b.build_query_as().fetch_all(pool).await
}

/// The rows of a page, each with its snippet from the title and the abstract's start
/// (ts_headline parses all the text it is given, and 2,000 characters cost a fifth of a
/// search).
pub(crate) async fn page_rows(
    pool: &PgPool,
    text: &str,
    ids: Vec<Uuid>,
) -> Result<Vec<PageRow>, sqlx::Error> {
    let mut b = QueryBuilder::<Postgres>::new(format!(
        "SELECT {COLUMNS}, ts_headline('indonesian', p.title || '. ' || left(p.abstract, 600), websearch_to_tsquery('indonesian', "
    ));
    b.push_bind(text.to_owned());
    b.push("), 'StartSel=<mark>,StopSel=</mark>,MaxWords=30,MinWords=10') AS snippet FROM publications p WHERE p.id = ANY(");
    b.push_bind(ids);
    b.push(")");
    b.build_query_as().fetch_all(pool).await
}
