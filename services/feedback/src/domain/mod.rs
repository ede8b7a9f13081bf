//! Feedback rules with no network or SQL: the SKM questionnaire, the IKM formula and its
//! grades, complaint life cycle, and due dates in working days.

pub mod complaint;
pub mod ikm;
pub mod questionnaire;
pub mod workdays;
