//! The service standard's promise: a walk-in visitor is served within 5 minutes of filling
//! the guest book. Waiting visitors are flagged at risk (past 4 min) and breached (past 5).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    AtRisk,
    Breached,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AtRisk => "at_risk",
            Self::Breached => "breached",
        }
    }
}

/// The flag for a visitor who has waited `waited_secs` since the guest book.
pub fn flag(waited_secs: i64, at_risk_secs: u32, promise_secs: u32) -> Option<Level> {
    if waited_secs > i64::from(promise_secs) {
        Some(Level::Breached)
    } else if waited_secs > i64::from(at_risk_secs) {
        Some(Level::AtRisk)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_change_exactly_past_four_and_five_minutes() {
        assert_eq!(flag(240, 240, 300), None);
        assert_eq!(flag(241, 240, 300), Some(Level::AtRisk));
        assert_eq!(flag(300, 240, 300), Some(Level::AtRisk));
        assert_eq!(flag(301, 240, 300), Some(Level::Breached));
    }
}
