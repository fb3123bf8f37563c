//! cozy: one CLI for a Cozystack-style Helm monorepo.
//!
//! Reading order: the command line (`cli`), the context every command gets (`context`), the
//! workspace and its packages (`workspace`, `manifest`, `chart`, `platform`, `release`, `graph`,
//! `select`), the runner for external tools (`tool`), output and errors, then `commands`.

pub mod archive;
pub mod chart;
pub mod chart_repo;
pub mod cli;
pub mod commands;
pub mod context;
pub mod dashboards;
pub mod env;
pub mod error;
pub mod fsx;
pub mod generate;
pub mod graph;
pub mod image;
pub mod kube;
pub mod manifest;
pub mod migrate;
pub mod output;
pub mod platform;
pub mod release;
pub mod release_render;
pub mod render;
pub mod select;
pub mod talos;
pub mod tool;
pub mod update;
pub mod values;
pub mod version_constraint;
pub mod workspace;
pub mod workspace_manifest;
pub mod yaml_edit;
pub mod yaml_error;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser as _;

use crate::cli::Cli;
use crate::context::Ctx;
use crate::error::Outcome;
use crate::output::{ColorChoice, Printer, Verbosity};

/// Runs cozy with these arguments (the first is the program name) and returns the exit code:
/// 0 success, 1 findings ("no" answers, broken packages listed), 2 failure.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let args = cli::rewrite_generate_values_flag(args.into_iter().collect());
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
    };
    let ctx = match Ctx::new(&cli.global, commands::name(&cli.command)) {
        Ok(ctx) => ctx,
        Err(err) => {
            Printer::new(Verbosity::Default, ColorChoice::Auto).error(&err);
            return ExitCode::from(2);
        }
    };
    match commands::dispatch(&ctx, cli.command) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(err) if output::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            ctx.printer.error(&err);
            ExitCode::from(2)
        }
    }
}
