//! SQL of the visit database: the durable record behind the live queue.

pub mod custody;
pub mod setup;
pub mod tickets;
pub mod visits;
