//! One pass over a query's matches: who may see each (access level, office, withdrawn),
//! the year and softcopy/printed filters, the exact count and facets of what passes, and
//! the page's best entries after the cursor (score high to low, then id).

use std::collections::BinaryHeap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::ColumnValues;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::document::{ACCESS, Packed};

/// Whose entries a caller sees, and which filters apply (besides office, subject and
/// language, which the query itself narrows).
#[derive(Debug, Clone, Default)]
pub struct Pass {
    /// Access levels open to the caller, as a bit per `ACCESS` index.
    pub levels: u8,
    /// Staff-only entries of this office are seen too (`Some(None)`: of every office).
    pub staff_of: Option<Option<u64>>,
    pub include_withdrawn: bool,
    pub year_from: Option<u64>,
    pub year_to: Option<u64>,
    pub digital: Option<bool>,
    pub printed: Option<bool>,
}

/// Where the page starts: after this (score, id as a number).
pub type After = (f64, u128);

#[derive(Debug)]
pub struct Gather {
    pub pass: Pass,
    pub after: Option<After>,
    /// Entries kept for the page.
    pub keep: usize,
    /// Rank by year (newest first), not by text score: a search with no words.
    pub by_year: bool,
}

/// What a pass yields: matches counted, facet counts by number, the page's best.
#[derive(Debug, Default)]
pub struct Gathered {
    pub total: u64,
    pub subject: Vec<u64>,
    pub office: Vec<u64>,
    pub year: Vec<u64>,
    pub language: Vec<u64>,
    /// (score, id), best first.
    pub top: Vec<After>,
}

/// Offices and years are 4-digit numbers: counted in arrays, not maps.
const CODES: usize = 10_000;

/// A small bonus per year, so equal matches list the newest first.
const YEAR_BONUS: f64 = 1e-3;

#[derive(PartialEq)]
struct Ranked(After);

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// "Greater" is worse: the heap's top is the entry to drop first.
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other
            .0
            .0
            .total_cmp(&self.0.0)
            .then(self.0.1.cmp(&other.0.1))
    }
}

type Col = Arc<dyn ColumnValues<u64>>;

pub struct Segment {
    gather: Arc<Gather>,
    cols: Cols,
    out: Gathered,
    heap: BinaryHeap<Ranked>,
}

struct Cols {
    id_hi: Col,
    id_lo: Col,
    packed: Col,
    year_from: Col,
    year_to: Col,
}

/// The collector: `Gather` shared by its segment collectors.
#[derive(Debug)]
pub struct Collect(Arc<Gather>);

impl From<Gather> for Collect {
    fn from(g: Gather) -> Self {
        Self(Arc::new(g))
    }
}

impl Collector for Collect {
    type Fruit = Gathered;
    type Child = Segment;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Segment> {
        let ff = reader.fast_fields();
        let col =
            |name: &str| -> tantivy::Result<Col> { Ok(ff.u64(name)?.first_or_default_col(0)) };
        Ok(Segment {
            gather: Arc::clone(&self.0),
            cols: Cols {
                id_hi: col("id_hi")?,
                id_lo: col("id_lo")?,
                packed: col("packed")?,
                year_from: col("year_from")?,
                year_to: col("year_to")?,
            },
            // Counts grow to the highest number seen (`bump`): a segment without
            // matches allocates nothing.
            out: Gathered::default(),
            heap: BinaryHeap::with_capacity(self.0.keep + 1),
        })
    }

    fn requires_scoring(&self) -> bool {
        !self.0.by_year
    }

    fn merge_fruits(&self, fruits: Vec<Gathered>) -> tantivy::Result<Gathered> {
        let mut all = Gathered::default();
        for f in fruits {
            all.total += f.total;
            for (into, from) in [
                (&mut all.subject, f.subject),
                (&mut all.office, f.office),
                (&mut all.year, f.year),
                (&mut all.language, f.language),
            ] {
                if into.len() < from.len() {
                    into.resize(from.len(), 0);
                }
                for (i, n) in from.into_iter().enumerate() {
                    into[i] += n;
                }
            }
            all.top.extend(f.top);
        }
        all.top
            .sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        all.top.truncate(self.0.keep);
        Ok(all)
    }
}

impl Segment {
    fn passes(&self, doc: DocId, m: &Packed) -> bool {
        let p = &self.gather.pass;
        let c = &self.cols;
        if m.withdrawn && !p.include_withdrawn {
            return false;
        }
        let open = p.levels & (1 << m.access) != 0;
        let staff = m.access == (ACCESS.len() - 1) as u64
            && match p.staff_of {
                Some(None) => true,
                Some(Some(office)) => m.office == office,
                None => false,
            };
        if !open && !staff {
            return false;
        }
        if let Some(d) = p.digital
            && m.digital != d
        {
            return false;
        }
        if let Some(pr) = p.printed
            && m.printed != pr
        {
            return false;
        }
        if let Some(y) = p.year_from
            && c.year_to.get_val(doc) < y
        {
            return false;
        }
        if let Some(y) = p.year_to
            && c.year_from.get_val(doc) > y
        {
            return false;
        }
        true
    }
}

fn bump(counts: &mut Vec<u64>, at: u64) {
    let at = usize::try_from(at).unwrap_or(usize::MAX).min(CODES - 1);
    if counts.len() <= at {
        counts.resize(at + 1, 0);
    }
    counts[at] += 1;
}

impl SegmentCollector for Segment {
    type Fruit = Gathered;

    fn collect(&mut self, doc: DocId, score: Score) {
        let m = Packed::unpack(self.cols.packed.get_val(doc));
        if !self.passes(doc, &m) {
            return;
        }
        let c = &self.cols;
        let year = m.year;
        self.out.total += 1;
        bump(&mut self.out.subject, m.subject);
        bump(&mut self.out.office, m.office);
        bump(&mut self.out.year, year);
        bump(&mut self.out.language, m.language);

        let g = &self.gather;
        let score = if g.by_year {
            year as f64
        } else {
            f64::from(score) + YEAR_BONUS * year.saturating_sub(1900).min(1000) as f64
        };
        // Not better than the worst kept: no need for the id.
        if self.heap.len() >= g.keep && self.heap.peek().is_some_and(|w| score < w.0.0) {
            return;
        }
        let id = (u128::from(c.id_hi.get_val(doc)) << 64) | u128::from(c.id_lo.get_val(doc));
        if let Some((s, after)) = g.after
            && !(score < s || (score == s && id > after))
        {
            return;
        }
        let entry = Ranked((score, id));
        if self.heap.len() < g.keep {
            self.heap.push(entry);
        } else if self.heap.peek().is_some_and(|w| entry < *w) {
            self.heap.pop();
            self.heap.push(entry);
        }
    }

    fn harvest(mut self) -> Gathered {
        let mut top: Vec<After> = self.heap.into_iter().map(|r| r.0).collect();
        top.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        self.out.top = top;
        self.out
    }
}
