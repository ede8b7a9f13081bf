//! End-to-end: the real `pst` binary on free ports, against the real Postgres, driven over
//! HTTP and gRPC as a browser, a kiosk or Kubernetes would.
#![allow(unreachable_pub)] // helpers are shared by the test modules, not a public API

mod authz;
mod backoffice;
mod backoffice_api;
mod catalogue;
mod copy_prefixes;
mod deploy;
mod documents;
mod failures;
mod feedback;
mod hardening;
mod helpers;
mod metrics;
mod openapi_client;
mod operations;
mod platform;
mod redis_cluster;
mod tls_stores;
mod tracing;
mod visit;
mod walkthrough;
mod web;
