//! The shared runtime kit of PST Pustaka: what every service and the gateway would
//! otherwise repeat — layered configuration, telemetry, the gRPC server bootstrap (health,
//! reflection, tracing, request ids, limits), graceful shutdown, the Postgres pool with
//! migrations, the Redis connection, access-token verification, the one error type mapped
//! to gRPC statuses, encryption of personal data, identity documents (validation, masking),
//! the audit trail, outgoing mail and document storage.
//!
//! It holds no rules of any one service.

pub mod audit;
pub mod auth;
pub mod config;
pub mod crypto;
pub mod csv;
pub mod db;
pub mod demo;
pub mod error;
pub mod grpc;
pub mod health;
pub mod id_document;
pub mod internal;
pub mod mail;
pub mod metrics;
pub mod net;
pub mod offices;
pub mod redis;
pub mod revocation;
pub mod secrets;
pub mod shutdown;
pub mod storage;
pub mod subjects;
pub mod telemetry;
pub mod validate;

pub use config::Settings;
pub use error::{AppError, FieldViolation};
