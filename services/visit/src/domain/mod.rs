//! Visit rules with no network or SQL: office clocks and opening hours, ticket states and
//! numbers, guest-book entries, and the 5-minute promise.

pub mod clock;
pub mod guest_book;
pub mod office;
pub mod promise;
pub mod ticket;
