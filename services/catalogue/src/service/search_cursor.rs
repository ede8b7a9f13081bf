//! Page cursors of a search: after which hit (score, id) the next page starts and, for a
//! broad query, in which batch of its newest matches (see `WalkFrom`). Opaque to clients
//! (base64url); anything that is not one of ours is a 422 on `cursor`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use uuid::Uuid;

use pst_kit::AppError;

/// Where a batch of a broad query's newest matches starts: at the top, or after one
/// publication's place in the walk (year_to descending with no year last, then id).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum WalkFrom {
    Top,
    After(Option<i32>, Uuid),
}

impl WalkFrom {
    /// The place after which the batch starts (`None`: the top).
    pub(super) fn place(self) -> Option<(Option<i32>, Uuid)> {
        match self {
            WalkFrom::Top => None,
            WalkFrom::After(year, id) => Some((year, id)),
        }
    }

    fn encode(self) -> String {
        match self {
            WalkFrom::Top => "top".to_owned(),
            WalkFrom::After(Some(y), id) => format!("{y}:{id}"),
            WalkFrom::After(None, id) => format!("-:{id}"),
        }
    }

    fn parse(s: &str) -> Option<Self> {
        if s == "top" {
            return Some(WalkFrom::Top);
        }
        let (y, id) = s.split_once(':')?;
        let id = Uuid::parse_str(id).ok()?;
        Some(WalkFrom::After(
            if y == "-" {
                None
            } else {
                Some(y.parse().ok()?)
            },
            id,
        ))
    }
}

/// A decoded cursor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Cursor {
    /// The last hit shown (score, id); `None`: the batch starts afresh.
    pub after: Option<(f64, Uuid)>,
    /// The batch of a broad query the next page is in.
    pub walk: Option<WalkFrom>,
}

impl Cursor {
    /// Page after `(score, id)`, in `walk`'s batch when the query walks.
    pub(super) fn after(score: f64, id: Uuid, walk: Option<WalkFrom>) -> String {
        match walk {
            None => B64URL.encode(format!("{score}|{id}")),
            Some(w) => B64URL.encode(format!("{score}|{id}|{}", w.encode())),
        }
    }

    /// The first page of the batch after `end`.
    pub(super) fn next_batch(end: WalkFrom) -> String {
        B64URL.encode(format!("-|-|{}", end.encode()))
    }

    pub(super) fn parse(cursor: &str) -> Result<Option<Self>, AppError> {
        if cursor.is_empty() {
            return Ok(None);
        }
        let bad = || AppError::field("cursor", "Kursor halaman tidak valid.");
        let raw =
            String::from_utf8(B64URL.decode(cursor).map_err(|_| bad())?).map_err(|_| bad())?;
        let parts: Vec<&str> = raw.split('|').collect();
        let (after, walk) = match parts.as_slice() {
            ["-", "-", w] => (None, Some(WalkFrom::parse(w).ok_or_else(bad)?)),
            [s, id] | [s, id, _] => {
                let score = s
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(bad)?;
                let id = Uuid::parse_str(id).map_err(|_| bad())?;
                let walk = match parts.get(2) {
                    Some(w) => Some(WalkFrom::parse(w).ok_or_else(bad)?),
                    None => None,
                };
                (Some((score, id)), walk)
            }
            _ => return Err(bad()),
        };
        Ok(Some(Self { after, walk }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_forgeries_are_refused() {
        let id = Uuid::from_u128(7);
        let walk = WalkFrom::After(Some(2024), Uuid::from_u128(9));
        for (c, want) in [
            (
                Cursor::after(1.5, id, None),
                Cursor {
                    after: Some((1.5, id)),
                    walk: None,
                },
            ),
            (
                Cursor::after(0.25, id, Some(WalkFrom::Top)),
                Cursor {
                    after: Some((0.25, id)),
                    walk: Some(WalkFrom::Top),
                },
            ),
            (
                Cursor::next_batch(walk),
                Cursor {
                    after: None,
                    walk: Some(walk),
                },
            ),
            (
                Cursor::next_batch(WalkFrom::After(None, id)),
                Cursor {
                    after: None,
                    walk: Some(WalkFrom::After(None, id)),
                },
            ),
        ] {
            assert_eq!(Cursor::parse(&c).expect("ours"), Some(want));
        }
        assert_eq!(Cursor::parse("").expect("none"), None);
        for forged in [
            "bm90LWEtY3Vyc29y",
            "!!",
            &B64URL.encode("inf|x"),
            &B64URL.encode("1|2|3|4"),
        ] {
            assert!(Cursor::parse(forged).is_err(), "{forged}");
        }
    }
}
