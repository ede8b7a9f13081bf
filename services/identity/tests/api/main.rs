//! Identity over real gRPC on a real socket, against a fresh Postgres database per test.
#![allow(unreachable_pub)] // helpers are shared by the test modules, not a public API

mod admin;
mod helpers;
mod login;
mod platform;
mod registration;
mod sessions;
