//! The catalogue over real gRPC against a fresh Postgres database per test.
#![allow(unreachable_pub)] // helpers are shared by the test modules, not a public API

mod helpers;
mod import;
mod replicas;
mod search;
mod writes;
