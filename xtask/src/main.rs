//! `cargo xtask`: the project's scripts, in Rust (matklad/cargo-xtask).
//!
//! - `cargo xtask ci`: install test tools, fmt check, clippy `-D warnings`, all tests, codegen check.
//! - `cargo xtask codegen [--check]`: write (or check) the generated files under `docs/`.
//! - `cargo xtask bench`: measure `cozy pkg list` on a generated 200-package tree.

mod bench;
mod ci;
mod codegen;
mod reference;
mod tidy;

use std::path::{Path, PathBuf};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sh = xshell::Shell::new()?;
    sh.change_dir(project_root());
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["ci"] => ci::run(&sh),
        ["codegen"] => codegen::run(codegen::Mode::Write),
        ["codegen", "--check"] => codegen::run(codegen::Mode::Check),
        ["bench", rest @ ..] => bench::run(&sh, rest),
        _ => {
            anyhow::bail!(
                "usage: cargo xtask ci | codegen [--check] | bench [list|generate|update|show] [--keep]"
            )
        }
    }
}

/// The workspace root.
fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace root")
        .to_owned()
}
