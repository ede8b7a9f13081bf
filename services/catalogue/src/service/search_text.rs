//! A text search: its plan from the words' statistics (rare words read in full through
//! the word index, broad ones walked newest first in batches), the fallbacks for words that
//! match nothing together, ranking by text rank and title similarity, facets, paging and
//! snippets.

use super::search::{
    ALTERNATIVES_CAP, CANDIDATES, Candidate, FacetCounts, Filters, Hit, PageRow, RARE_CAP, Results,
    TERM_STATS_TTL, TYPO_CANDIDATES,
};
use super::*;
use crate::store::search::Read;

impl Catalogue {
    /// A text query in two statements: the candidates (stems, or nearest titles when no
    /// word matched) with their score and facet fields, ranked, counted and paged here;
    /// then the page's rows with their highlighted snippets.
    pub(super) async fn search_text(
        &self,
        f: &Filters,
        text: &str,
        after: Option<(f64, Uuid)>,
        walk: Option<WalkFrom>,
        limit: i64,
    ) -> Result<Results, AppError> {
        // What the words cost decides how they are read (see domain::term_stats): a query
        // with a rare word reads all its matches through the word index (no ordering the
        // planner could serve from the year index instead); one of common words only
        // walks the newest publications and stops at the first CANDIDATES matches.
        let stats = self.term_stats().await?;
        let terms = QueryTerms::parse(&store::query_tree(&self.pool, text).await?);
        if terms.wanted.is_empty() {
            // Only stop words or refusals: nothing to look for.
            return Ok(Results::none());
        }
        let plan = stats.as_ref().map(|s| s.plan(&terms));
        // Read in full means up to twice what the plan expects (statistics are a sample).
        let rare_cap = stats.as_ref().map_or(RARE_CAP, |s| {
            RARE_CAP.max(2 * term_stats::rare_rows(s.rows()) as i64)
        });
        let read = match plan {
            Some(Plan::Rare) => Read::All(rare_cap + 1),
            // A broad query pages through batches of its newest matches, each ranked in
            // itself; the cursor says which batch.
            _ => Read::Newest(walk.and_then(WalkFrom::place), CANDIDATES),
        };
        let mut candidates = store::search::matching(&self.pool, f, text, read).await?;
        // Where this batch ends, and so the next one starts (walked, and full).
        let walking = plan != Some(Plan::Rare);
        let batch_end = match candidates.last() {
            Some(c) if walking && candidates.len() as i64 >= CANDIDATES => {
                Some(WalkFrom::After(c.year_to, c.id))
            }
            _ => None,
        };
        let batch = walking.then(|| walk.unwrap_or(WalkFrom::Top));
        // A walk's count is an estimate when its batch is full or it is not the first.
        let walked_on = batch.is_some_and(|b| b != WalkFrom::Top);
        let mut estimate = match plan {
            Some(Plan::Rare) => (candidates.len() as i64 > rare_cap).then_some(0.0),
            _ => (candidates.len() as i64 >= CANDIDATES || walked_on)
                .then(|| stats.as_ref().map_or(0.0, |s| s.matches(&terms))),
        };
        candidates.truncate(usize::try_from(rare_cap).unwrap_or(usize::MAX));
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
            candidates =
                store::search::matching_any(&self.pool, f, &any, ALTERNATIVES_CAP + 1).await?;
            if candidates.len() as i64 > ALTERNATIVES_CAP {
                estimate = Some(0.0);
                candidates.truncate(usize::try_from(ALTERNATIVES_CAP).unwrap_or(usize::MAX));
            }
        }
        // The nearest-title scan is the costly path: only when no word is known at all.
        if candidates.is_empty() && first_batch {
            candidates =
                store::search::nearest_titles(&self.pool, f, text, TYPO_CANDIDATES).await?;
        }
        // score = text rank + 2 × title similarity: title matches first. The similarity
        // (pg_trgm's) is computed here, not by Postgres: it was a sixth of the database's
        // work per query.
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
        let rows = store::search::page_rows(&self.pool, text, ids).await?;
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
            corrected: String::new(),
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
}
