//! Support shared by the end-to-end tests (`tests/tests/e2e_*.rs`): a service double that
//! speaks real HTTP/1.1 and verifies every request the way the service would, and readers
//! for the documented samples and error rows in `spec/*.yaml`.
//!
//! Each e2e test file uses a different subset of these helpers.
#![allow(dead_code)]

pub mod double;
pub mod spec;

pub use acsgen_tests::workspace_root;
