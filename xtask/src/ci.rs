//! `cargo xtask ci`: everything CI checks, in the order that fails fastest.

use std::time::Instant;

use xshell::{Shell, cmd};

use crate::codegen;

pub(crate) fn run(sh: &Shell) -> anyhow::Result<()> {
    section("install test tools", || {
        cmd!(sh, "bash scripts/install-test-tools.sh").run().map_err(Into::into)
    })?;
    section("fmt", || cmd!(sh, "cargo fmt --all -- --check").run().map_err(Into::into))?;
    section("clippy", || {
        let features = "cozy-cli/test-real-tools";
        cmd!(
            sh,
            "cargo clippy --workspace --all-targets --locked --features {features} -- -D warnings"
        )
        .run()
        .map_err(Into::into)
    })?;
    // The real-tools tier (Debian's docker-registry, skopeo, umoci; installed above) is on in CI.
    section("test", || {
        cmd!(sh, "cargo test --workspace --locked --features cozy-cli/test-real-tools")
            .run()
            .map_err(Into::into)
    })?;
    section("codegen", || codegen::run(codegen::Mode::Check))?;
    Ok(())
}

#[expect(clippy::print_stderr, reason = "xtask is a script that reports progress")]
fn section(name: &str, body: impl FnOnce() -> anyhow::Result<()>) -> anyhow::Result<()> {
    eprintln!("::group::{name}");
    let start = Instant::now();
    let result = body();
    eprintln!("::endgroup:: {name} took {:.1}s", start.elapsed().as_secs_f64());
    result
}
