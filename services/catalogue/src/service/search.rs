//! Search: filters, full-text candidates ranked, typo correction, facets and paging.

use super::*;

pub const MAX_LIMIT: u32 = 100;
const MAX_QUERY: usize = 200;
/// Matches counted for facets of a filter-only search; beyond this counts say "at least".
const FACET_CAP: i64 = 10_000;
/// Newest text matches a broad search ranks (and counts for its facets).
const CANDIDATES: i64 = term_stats::WALK as i64;
/// Titles nearest in trigrams, when no word matched even after correction.
const TYPO_CANDIDATES: i64 = 50;
/// Matches of a rare query read and ranked in full (more: the counts are estimates).
const RARE_CAP: i64 = 5_000;
/// Publications holding any of a failed query's rare words, ranked by their titles.
const ALTERNATIVES_CAP: i64 = 1_500;
/// How long the words' statistics are kept before they are read again.
const TERM_STATS_TTL: Duration = Duration::from_secs(60);

/// The search filters, appended to a query only when set (so each can use its index).
struct Filters {
    levels: Vec<String>,
    /// Staff-only entries of this office are seen too (`Some("")`: of every office, admin).
    staff_of: Option<String>,
    /// Withdrawn entries are listed too (staff of the filtered office only).
    include_withdrawn: bool,
    office: String,
    subject: String,
    year_from: Option<i32>,
    year_to: Option<i32>,
    language: String,
    has_digital: Option<bool>,
    has_printed: Option<bool>,
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

/// How long another instance's new words may go unseen by typo correction.
const VOCABULARY_TTL: Duration = Duration::from_secs(10);

/// A text query's candidate: what ranking, facets and paging need.
#[derive(sqlx::FromRow)]
struct Candidate {
    id: Uuid,
    title: String,
    subject: String,
    office: String,
    year: i32,
    /// The place in a broad query's walk (year_to, nulls last).
    year_to: Option<i32>,
    language: String,
    score: f64,
}

#[derive(sqlx::FromRow)]
struct PageRow {
    #[sqlx(flatten)]
    row: PublicationRow,
    snippet: String,
}

/// Facet counts as they are gathered.
#[derive(Default)]
struct FacetCounts(std::collections::HashMap<(String, String), i64>);

impl FacetCounts {
    fn add(&mut self, kind: &str, value: String, n: i64) {
        *self.0.entry((kind.to_owned(), value)).or_default() += n;
    }

    /// The facets, each most frequent first (at most 50 values), and the number of
    /// matches (the subject counts' sum: every publication has one subject).
    fn finish(self) -> (Facets, i64) {
        let mut facets = Facets::default();
        let mut total = 0;
        for ((kind, value), n) in self.0 {
            let list = match kind.as_str() {
                "subject" => {
                    total += n;
                    &mut facets.subject
                }
                "office" => &mut facets.office,
                "year" => &mut facets.year,
                _ => &mut facets.language,
            };
            list.push((value, n));
        }
        for list in [
            &mut facets.subject,
            &mut facets.office,
            &mut facets.year,
            &mut facets.language,
        ] {
            list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(50);
        }
        (facets, total)
    }
}

/// Keyset condition after the cursor's (score, id), on the subquery `m`.
fn push_after(b: &mut QueryBuilder<Postgres>, after: Option<(f64, Uuid)>) {
    if let Some((score, id)) = after {
        b.push(" WHERE (m.score < ");
        b.push_bind(score);
        b.push(" OR (m.score = ");
        b.push_bind(score);
        b.push(" AND m.id > ");
        b.push_bind(id);
        b.push("))");
    }
}

fn cursor_after(last: Option<&Hit>) -> String {
    last.map(|h| Cursor::after(h.score, h.row.id, None))
        .unwrap_or_default()
}

/// What a search asks (wire-independent).
#[derive(Debug, Default)]
pub struct Query {
    pub q: String,
    pub office: String,
    pub subject: String,
    pub year_from: u32,
    pub year_to: u32,
    pub language: String,
    pub has_digital: Option<bool>,
    pub has_printed: Option<bool>,
    pub cursor: String,
    pub limit: u32,
    pub include_withdrawn: bool,
}

#[derive(Debug)]
pub struct Hit {
    pub row: PublicationRow,
    pub snippet: String,
    pub score: f64,
}

#[derive(Debug, Default)]
pub struct Facets {
    pub subject: Vec<(String, i64)>,
    pub office: Vec<(String, i64)>,
    pub year: Vec<(String, i64)>,
    pub language: Vec<(String, i64)>,
}

#[derive(Debug)]
pub struct Results {
    pub hits: Vec<Hit>,
    pub facets: Facets,
    pub next_cursor: String,
    pub total: i64,
    /// `total` and the facets are counted over part of the matches only.
    pub total_is_estimate: bool,
}

impl Catalogue {
    /// Matching: Indonesian stems (penduduk ~ kependudukan) or, when few match that way, the
    /// titles nearest in trigrams (typos). Broad queries are ranked among their newest
    /// `CANDIDATES` matches, so a word found in most of the catalogue costs no more than a
    /// rare one; score = text rank + title similarity, so title matches come first.
    pub async fn search(&self, caller: Option<&Caller>, q: &Query) -> Result<Results, AppError> {
        let started = std::time::Instant::now();
        let found = self.search_timed(caller, q).await;
        pst_kit::metrics::get().searched(started.elapsed());
        found
    }

    async fn search_timed(&self, caller: Option<&Caller>, q: &Query) -> Result<Results, AppError> {
        // Past MAX_QUERY characters the rest of a query is not read (a pasted page of text
        // is still a search, answered at the cost of its start); text with no letter or
        // digit (only punctuation) matches nothing, and says so with an empty page.
        let text = match q.q.trim().char_indices().nth(MAX_QUERY) {
            Some((end, _)) => q.q.trim()[..end].trim_end(),
            None => q.q.trim(),
        };
        let no_words = !text.is_empty() && !text.chars().any(char::is_alphanumeric);
        let limit = match q.limit {
            0 => 20,
            n if n > MAX_LIMIT => {
                return Err(AppError::field(
                    "limit",
                    format!("Ukuran halaman maksimal {MAX_LIMIT}."),
                ));
            }
            n => i64::from(n),
        };
        if !q.office.is_empty() {
            pst_kit::validate::office_code(&q.office).map_err(|m| AppError::field("office", m))?;
        }
        if !q.subject.is_empty() {
            crate::domain::subjects::subject(&q.subject)
                .map_err(|m| AppError::field("subject", m))?;
        }
        if !q.language.is_empty() && !publication::LANGUAGES.contains(&q.language.as_str()) {
            return Err(AppError::field("language", "Bahasa: id, en, id-en."));
        }
        let cursor = Cursor::parse(&q.cursor)?;
        let after = cursor.and_then(|c| c.after);
        let walk = cursor.and_then(|c| c.walk);
        let f = Filters {
            levels: levels(caller).into_iter().map(str::to_owned).collect(),
            include_withdrawn: q.include_withdrawn
                && !q.office.is_empty()
                && staff_of(caller).is_some_and(|o| o.is_empty() || o == q.office),
            staff_of: staff_of(caller),
            office: q.office.clone(),
            subject: q.subject.clone(),
            year_from: (q.year_from > 0).then(|| i32::try_from(q.year_from).unwrap_or(i32::MAX)),
            year_to: (q.year_to > 0).then(|| i32::try_from(q.year_to).unwrap_or(i32::MAX)),
            language: q.language.clone(),
            has_digital: q.has_digital,
            has_printed: q.has_printed,
        };

        if no_words {
            return Ok(Results {
                hits: Vec::new(),
                facets: Facets::default(),
                next_cursor: String::new(),
                total: 0,
                total_is_estimate: false,
            });
        }

        // 0. Typos: words not in the catalogue's vocabulary become their nearest word.
        let corrected = if text.is_empty() {
            String::new()
        } else {
            self.correct(text).await?
        };
        let text = if corrected.is_empty() {
            text
        } else {
            corrected.as_str()
        };

        if !text.is_empty() {
            return self.search_text(&f, text, after, walk, limit).await;
        }

        // Filters only: the newest first, facets over (at most FACET_CAP of) the matches.
        let mut b = QueryBuilder::<Postgres>::new(format!(
            "SELECT * FROM (SELECT {COLUMNS}, COALESCE(p.year_to, 0)::float8 AS score, '' AS snippet FROM publications p WHERE "
        ));
        f.push(&mut b);
        b.push(") m");
        push_after(&mut b, after);
        b.push(" ORDER BY m.score DESC, m.id LIMIT ");
        b.push_bind(limit + 1);
        let rows: Vec<SearchRow> = b.build_query_as().fetch_all(&self.pool).await?;
        let more = rows.len() as i64 > limit;
        let hits: Vec<Hit> = rows
            .into_iter()
            .take(usize::try_from(limit).unwrap_or(0))
            .map(|r| Hit {
                score: r.score,
                snippet: r.snippet,
                row: r.row,
            })
            .collect();

        let mut b = QueryBuilder::<Postgres>::new(
            "WITH m AS (SELECT p.subject, p.office_code::text AS office, COALESCE(p.year_to, 0)::text AS year, p.language FROM publications p WHERE ",
        );
        f.push(&mut b);
        b.push(" LIMIT ");
        b.push_bind(FACET_CAP);
        b.push(
            ") SELECT 'subject', subject, count(*) FROM m GROUP BY subject UNION ALL \
              SELECT 'office', office, count(*) FROM m GROUP BY office UNION ALL \
              SELECT 'year', year, count(*) FROM m GROUP BY year UNION ALL \
              SELECT 'language', language, count(*) FROM m GROUP BY language",
        );
        let counts: Vec<(String, String, i64)> = b.build_query_as().fetch_all(&self.pool).await?;
        let mut facets = FacetCounts::default();
        for (kind, value, n) in counts {
            facets.add(&kind, value, n);
        }
        let (facets, total) = facets.finish();
        Ok(Results {
            next_cursor: if more {
                cursor_after(hits.last())
            } else {
                String::new()
            },
            hits,
            facets,
            total_is_estimate: total >= FACET_CAP,
            total,
        })
    }

    /// A text query in two statements: the candidates (stems, or nearest titles when no
    /// word matched) with their score and facet fields, ranked, counted and paged here;
    /// then the page's rows with their highlighted snippets.
    async fn search_text(
        &self,
        f: &Filters,
        text: &str,
        after: Option<(f64, Uuid)>,
        walk: Option<WalkFrom>,
        limit: i64,
    ) -> Result<Results, AppError> {
        // Title similarity (pg_trgm's) is computed here, not by Postgres: it was a sixth of
        // the database's work per query. Both candidate queries pick the same columns and
        // filters, then differ in how they match.
        let pick = || {
            let mut b = QueryBuilder::<Postgres>::new(
                "SELECT p.id, p.title, p.subject, p.office_code::text AS office, COALESCE(p.year_to, 0) AS year, p.year_to, p.language, \
                 ts_rank(p.search, websearch_to_tsquery('indonesian', ",
            );
            b.push_bind(text);
            b.push("))::float8 AS score FROM publications p WHERE ");
            f.push(&mut b);
            b
        };
        // What the words cost decides how they are read (see domain::term_stats): a query
        // with a rare word reads all its matches through the word index (no ordering the
        // planner could serve from the year index instead); one of common words only
        // walks the newest publications and stops at the first CANDIDATES matches.
        let stats = self.term_stats().await?;
        let terms = QueryTerms::parse(&store::query_tree(&self.pool, text).await?);
        if terms.wanted.is_empty() {
            // Only stop words or refusals: nothing to look for.
            return Ok(Results {
                hits: Vec::new(),
                facets: Facets::default(),
                next_cursor: String::new(),
                total: 0,
                total_is_estimate: false,
            });
        }
        let plan = stats.as_ref().map(|s| s.plan(&terms));
        let mut b = pick();
        b.push(" AND p.search @@ websearch_to_tsquery('indonesian', ");
        b.push_bind(text);
        match plan {
            Some(Plan::Rare) => {
                b.push(") LIMIT ");
                b.push_bind(RARE_CAP + 1);
            }
            _ => {
                // A broad query pages through batches of its newest matches, each ranked
                // in itself; the cursor says which batch.
                b.push(")");
                walk.unwrap_or(WalkFrom::Top).push(&mut b);
                b.push(" ORDER BY p.year_to DESC NULLS LAST, p.id LIMIT ");
                b.push_bind(CANDIDATES);
            }
        }
        let mut candidates: Vec<Candidate> = b.build_query_as().fetch_all(&self.pool).await?;
        // Where this batch ends, and so the next one starts (walked, and full).
        let walking = plan != Some(Plan::Rare);
        let batch_end = match candidates.last() {
            Some(c) if walking && candidates.len() as i64 >= CANDIDATES => {
                Some(WalkFrom::After(c.year_to, c.id))
            }
            _ => None,
        };
        let batch = walking.then(|| walk.unwrap_or(WalkFrom::Top));
        let mut estimate = match plan {
            Some(Plan::Rare) => (candidates.len() as i64 > RARE_CAP).then_some(0.0),
            _ => (candidates.len() as i64 >= CANDIDATES)
                .then(|| stats.as_ref().map_or(0.0, |s| s.matches(&terms))),
        };
        // The words found nothing together (a typo left uncorrected, words of two
        // titles): the publications holding any of the rare ones, ranked by how much of
        // the query their title is.
        // (Not for a later batch of a broad query: its words did match, earlier.)
        let first_batch = batch.is_none_or(|b| b == WalkFrom::Top);
        if candidates.is_empty()
            && first_batch
            && let Some(stats) = &stats
        {
            let any = term_stats::any_of(&stats.rare_alternatives(&terms));
            let mut b = QueryBuilder::<Postgres>::new(
                "SELECT p.id, p.title, p.subject, p.office_code::text AS office, COALESCE(p.year_to, 0) AS year, p.year_to, p.language, \
                 ts_rank(p.search, ",
            );
            b.push_bind(any.clone());
            b.push("::tsquery)::float8 AS score FROM publications p WHERE ");
            f.push(&mut b);
            b.push(" AND p.search @@ ");
            b.push_bind(any);
            b.push("::tsquery LIMIT ");
            b.push_bind(ALTERNATIVES_CAP + 1);
            candidates = b.build_query_as().fetch_all(&self.pool).await?;
            if candidates.len() as i64 > ALTERNATIVES_CAP {
                estimate = Some(0.0);
            }
        }
        // The nearest-title scan is the costly path: only when no word is known at all.
        if candidates.is_empty() && first_batch {
            let mut b = pick();
            b.push(" AND lower(p.title) % lower(");
            b.push_bind(text);
            b.push(") ORDER BY lower(p.title) <-> lower(");
            b.push_bind(text);
            b.push("), p.id LIMIT ");
            b.push_bind(TYPO_CANDIDATES);
            candidates = b.build_query_as().fetch_all(&self.pool).await?;
        }
        // score = text rank + 2 × title similarity: title matches first.
        let query = text_trigrams(text);
        for c in &mut candidates {
            c.score += 2.0 * f64::from(similarity(&text_trigrams(&c.title), &query));
        }
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));

        let mut facets = FacetCounts::default();
        for c in &candidates {
            facets.add("subject", c.subject.clone(), 1);
            facets.add("office", c.office.clone(), 1);
            facets.add("year", c.year.to_string(), 1);
            facets.add("language", c.language.clone(), 1);
        }
        let (facets, total) = facets.finish();
        let total_is_estimate = estimate.is_some();
        let total = total.max(estimate.unwrap_or(0.0).round() as i64);

        let mut page: Vec<&Candidate> = candidates
            .iter()
            .filter(|c| match after {
                None => true,
                Some((score, id)) => c.score < score || (c.score == score && c.id > id),
            })
            .take(usize::try_from(limit + 1).unwrap_or(usize::MAX))
            .collect();
        let more = page.len() as i64 > limit;
        page.truncate(usize::try_from(limit).unwrap_or(0));
        // From the page's last candidate: still right if its row vanished meanwhile. A
        // walked batch used up goes on with the next one.
        let next_cursor = match (page.last(), batch_end) {
            (Some(c), _) if more => Cursor::after(c.score, c.id, batch),
            (_, Some(end)) => Cursor::next_batch(end),
            _ => String::new(),
        };

        let ids: Vec<Uuid> = page.iter().map(|c| c.id).collect();
        // The snippet from the title and the abstract's start: ts_headline parses all the
        // text it is given, and 2,000 characters cost a fifth of a search.
        let mut b = QueryBuilder::<Postgres>::new(format!(
            "SELECT {COLUMNS}, ts_headline('indonesian', p.title || '. ' || left(p.abstract, 600), websearch_to_tsquery('indonesian', "
        ));
        b.push_bind(text);
        b.push("), 'StartSel=<mark>,StopSel=</mark>,MaxWords=30,MinWords=10') AS snippet FROM publications p WHERE p.id = ANY(");
        b.push_bind(ids);
        b.push(")");
        let rows: Vec<PageRow> = b.build_query_as().fetch_all(&self.pool).await?;
        let mut rows: std::collections::HashMap<Uuid, PageRow> =
            rows.into_iter().map(|r| (r.row.id, r)).collect();
        let hits: Vec<Hit> = page
            .iter()
            .filter_map(|c| {
                rows.remove(&c.id).map(|r| Hit {
                    row: r.row,
                    snippet: r.snippet,
                    score: c.score,
                })
            })
            .collect();
        Ok(Results {
            next_cursor,
            hits,
            facets,
            total,
            total_is_estimate,
        })
    }

    /// How common each search word is, from Postgres' statistics (re-read at most every
    /// `TERM_STATS_TTL`; `None` before the table's first ANALYZE, when the planner
    /// chooses alone).
    async fn term_stats(&self) -> Result<Option<Arc<TermStats>>, AppError> {
        if let Some((at, stats)) = self.term_stats.read().expect("BUG: stats lock").as_ref()
            && at.elapsed() < TERM_STATS_TTL
        {
            return Ok(stats.clone());
        }
        let stats = store::term_stats(&self.pool).await?.map(Arc::new);
        *self.term_stats.write().expect("BUG: stats lock") = Some((Instant::now(), stats.clone()));
        Ok(stats)
    }

    /// `text` with each word unknown to the vocabulary replaced by its nearest known word
    /// (trigram similarity ≥ 0.3, as pg_trgm), or empty when nothing changed. The vocabulary
    /// is held in memory, reloaded after this instance's own writes and at most
    /// `VOCABULARY_TTL` after another instance's.
    async fn correct(&self, text: &str) -> Result<String, AppError> {
        Ok(self.vocabulary().await?.correct(text))
    }

    async fn vocabulary(&self) -> Result<Arc<Vocabulary>, AppError> {
        if let Some((at, v)) = self
            .vocabulary
            .read()
            .expect("BUG: vocabulary lock")
            .as_ref()
            && at.elapsed() < VOCABULARY_TTL
        {
            return Ok(Arc::clone(v));
        }
        let generation = self.vocabulary_generation.load(Ordering::Acquire);
        let words = store::vocabulary(&self.pool).await?;
        let v = Arc::new(Vocabulary::new(words));
        let mut slot = self.vocabulary.write().expect("BUG: vocabulary lock");
        // A write committed while this list was read: keep it for this search only, so
        // the next one reads the new words.
        if self.vocabulary_generation.load(Ordering::Acquire) == generation {
            *slot = Some((Instant::now(), Arc::clone(&v)));
        }
        Ok(v)
    }

    /// After a write that may add words: the next search reloads the vocabulary.
    pub(super) fn vocabulary_changed(&self) {
        self.vocabulary_generation.fetch_add(1, Ordering::AcqRel);
        *self.vocabulary.write().expect("BUG: vocabulary lock") = None;
    }
}

#[derive(Debug, sqlx::FromRow)]
struct SearchRow {
    #[sqlx(flatten)]
    row: PublicationRow,
    score: f64,
    snippet: String,
}
