//! Identity over real gRPC on a real socket, against a fresh Postgres database per test.

mod admin;
mod helpers;
mod login;
mod platform;
mod registration;
mod sessions;
