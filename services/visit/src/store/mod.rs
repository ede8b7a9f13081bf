//! SQL of the visit database: the durable record behind the live queue.

pub mod custody;
pub mod floor;
pub mod report;
pub mod setup;
pub mod tickets;
pub mod visits;
