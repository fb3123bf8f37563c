//! Every environment variable cozy reads, documented in one place.
//!
//! Code elsewhere calls [`var`] or [`var_os`] with one of these constants; `clippy.toml` bans
//! `std::env::var` outside this file so that the list below stays complete.

use std::ffi::OsString;

/// Disables color when set to a non-empty value (<https://no-color.org>).
pub const NO_COLOR: &str = "NO_COLOR";
/// Forces color when set to a non-empty value other than `0`.
pub const CLICOLOR_FORCE: &str = "CLICOLOR_FORCE";
/// Forces color when set to a non-empty value other than `0`.
pub const FORCE_COLOR: &str = "FORCE_COLOR";
/// Where external tools are looked up.
pub const PATH: &str = "PATH";
/// Overrides for external tools: `COZY_HELM`, `COZY_KUBECTL`, `COZY_DOCKER`, `COZY_GIT`, … — one per
/// [`crate::tool::Tool`], named by [`crate::tool::Tool::env_var`]. A value with a `/` is a path to the
/// program; a bare name is looked up on `PATH`.
pub const TOOL_OVERRIDE_PREFIX: &str = "COZY_";

/// User name for chart repositories and downloads (sent only to the URL's own host).
pub const REPO_USERNAME: &str = "COZY_REPO_USERNAME";
/// Password for chart repositories and downloads (never printed).
pub const REPO_PASSWORD: &str = "COZY_REPO_PASSWORD";
/// Base URL for GitHub archives; `https://github.com` when unset.
pub const GITHUB_URL: &str = "COZY_GITHUB_URL";
/// Base URL of the GitHub API; `https://api.github.com` when unset.
pub const GITHUB_API_URL: &str = "COZY_GITHUB_API_URL";
/// First delay between HTTP retries in milliseconds (doubles each time); 500 when unset.
pub const HTTP_RETRY_DELAY_MS: &str = "COZY_HTTP_RETRY_DELAY_MS";

/// Seconds since the epoch for reproducible timestamps (`cozy talos build` reports).
pub const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";
/// Token for ghcr.io registry reads (`cozy talos update`, `inspect docker://`).
pub const GITHUB_TOKEN: &str = "GITHUB_TOKEN";

/// Every documented variable with its meaning, for `cargo xtask codegen` (docs/env.md).
pub const DOCUMENTED: &[(&str, &str)] = &[
    (NO_COLOR, "disables color when set to a non-empty value"),
    (CLICOLOR_FORCE, "forces color when set to a non-empty value other than `0`"),
    (FORCE_COLOR, "forces color when set to a non-empty value other than `0`"),
    (PATH, "where external tools (helm, kubectl, docker, git, …) are looked up"),
    (
        "COZY_<TOOL>",
        "path or name of an external tool to use instead of the one on PATH, e.g. `COZY_HELM=/opt/helm3/helm`",
    ),
    (SOURCE_DATE_EPOCH, "seconds since the epoch used as `generated-at` in Talos build reports"),
    (GITHUB_TOKEN, "credentials for ghcr.io when `cozy talos` reads the registry"),
];

/// The variable's value when it is set and valid Unicode.
#[must_use]
pub fn var(name: &str) -> Option<String> {
    #[expect(
        clippy::disallowed_methods,
        reason = "this is the one place that reads the environment"
    )]
    std::env::var(name).ok()
}

/// The variable's raw value when it is set.
#[must_use]
pub fn var_os(name: &str) -> Option<OsString> {
    #[expect(
        clippy::disallowed_methods,
        reason = "this is the one place that reads the environment"
    )]
    std::env::var_os(name)
}

/// Whether the variable is set to a non-empty value.
#[must_use]
pub fn is_set_non_empty(name: &str) -> bool {
    var_os(name).is_some_and(|value| !value.is_empty())
}
