//! Catalogue rules with no network or SQL: identifiers BPS publications carry (ISBN, ISSN,
//! catalogue number), the subject groups, publication input checks, typo correction
//! against the vocabulary, and the search plan from the words' statistics.

pub mod identifiers;
pub mod publication;
pub mod snippet;
pub mod subjects;
pub mod term_stats;
pub mod tsquery;
pub mod vocabulary;
