//! The visit service over real gRPC, against a fresh Postgres database and a private Redis
//! key prefix per test.
#![allow(unreachable_pub)] // helpers are shared by the test modules, not a public API

mod concurrency;
mod guest_book;
mod helpers;
mod lockers;
mod outages;
mod queue;
mod report;
