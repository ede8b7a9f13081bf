//! The feedback service over real gRPC against real Postgres, with the real visit service
//! (for the survey's visit checks) and Redis.
#![allow(unreachable_pub)] // helpers are shared by the test modules, not a public API

mod complaints;
mod helpers;
mod survey;
