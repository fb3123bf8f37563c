//! cozy: one CLI for a Cozystack-style Helm monorepo.
pub mod env;
pub mod error;
pub mod fsx;
pub mod manifest;
pub mod output;
pub mod tool;
pub fn run(_a: impl IntoIterator<Item = std::ffi::OsString>) -> std::process::ExitCode { std::process::ExitCode::SUCCESS }
