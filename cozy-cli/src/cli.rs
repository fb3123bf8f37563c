//! The command line, as clap types only: doc comments are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::output::ColorChoice;

/// One CLI for a Cozystack-style Helm monorepo: discover packages, update upstream charts, build
/// images, render, diff and apply releases, generate values docs, build Talos images.
#[derive(Debug, Parser)]
#[command(name = "cozy", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Run as if cozy was started in DIR.
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub directory: Option<PathBuf>,
    /// Echo every external command before it runs (`-vv`: also debug lines).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Print only errors on stderr.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print the commands that would change a cluster, a registry or files instead of running them.
    #[arg(long, global = true)]
    pub dry_run: bool,
    /// When to use color.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Work with packages: list, update, image, show, diff, apply, …
    #[command(subcommand)]
    Pkg(PkgCommand),
    /// Print the JSON Schema of `cozy.toml`.
    Schema(SchemaArgs),
}

/// `cozy pkg …`.
#[derive(Debug, Subcommand)]
pub enum PkgCommand {
    /// List packages with their kind, release identity and chart version.
    List(ListArgs),
}

/// Package selection, shared by every `pkg` verb.
#[derive(Debug, Default, Args)]
pub struct SelectArgs {
    /// Packages by name (`cilium`) or path (`packages/system/cilium`, `system/cilium`, `.`).
    #[arg(value_name = "PKG")]
    pub packages: Vec<String>,
    /// Select every package.
    #[arg(long, conflicts_with_all = ["packages", "changed_since"])]
    pub all: bool,
    /// Only packages of this kind (the directory under `packages/`); repeatable.
    #[arg(long, value_name = "KIND")]
    pub kind: Vec<String>,
    /// Packages with files changed since the merge base with REF (plus uncommitted and untracked
    /// files), and every package that depends on them.
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,
    /// With `--changed-since`: only committed changes.
    #[arg(long, requires = "changed_since")]
    pub committed: bool,
}

/// `cozy pkg list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Which packages (all when none is given).
    #[command(flatten)]
    pub select: SelectArgs,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ListFormat::Table)]
    pub output: ListFormat,
}

/// `cozy pkg list --output`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// An aligned table for people.
    Table,
    /// A JSON array of objects for scripts.
    Json,
}

/// `cozy schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Print the schema of the root `cozy.toml` (the one with `[workspace]`) instead of a package's.
    #[arg(long)]
    pub workspace: bool,
}
