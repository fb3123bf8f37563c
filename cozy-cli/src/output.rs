//! The one place that prints: results on stdout, everything else (echoed commands, warnings,
//! errors) on stderr.
//!
//! Color is decided once, in [`ColorChoice::resolve`], and handed to `console` so that every
//! `console::style` call agrees with it.

#![expect(clippy::print_stderr, reason = "this module is where cozy prints")]

use std::io::{self, Write as _};

use console::style;

use crate::env;
use crate::error::Failure;

/// How much cozy says on stderr.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// `-q`: errors only.
    Quiet,
    /// Warnings and errors.
    Default,
    /// `-v`: also every external command before it runs.
    Verbose,
    /// `-vv`: also debug lines.
    Debug,
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Color when writing to a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always color.
    Always,
    /// Never color.
    Never,
}

impl ColorChoice {
    /// Decides color for stdout and stderr: `--color`, then a non-empty `NO_COLOR`, then
    /// `CLICOLOR_FORCE`/`FORCE_COLOR`, then whether each stream is a terminal.
    #[must_use]
    pub fn resolve(self) -> (bool, bool) {
        let forced = |name: &str| env::var(name).is_some_and(|v| !v.is_empty() && v != "0");
        match self {
            ColorChoice::Always => (true, true),
            ColorChoice::Never => (false, false),
            ColorChoice::Auto if env::is_set_non_empty(env::NO_COLOR) => (false, false),
            ColorChoice::Auto if forced(env::CLICOLOR_FORCE) || forced(env::FORCE_COLOR) => {
                (true, true)
            }
            ColorChoice::Auto => {
                (console::Term::stdout().is_term(), console::Term::stderr().is_term())
            }
        }
    }
}

/// Prints results and messages with one verbosity and color decision.
#[derive(Clone, Debug)]
pub struct Printer {
    verbosity: Verbosity,
}

impl Printer {
    /// A printer at `verbosity`; sets `console`'s color switches from `color`.
    #[must_use]
    pub fn new(verbosity: Verbosity, color: ColorChoice) -> Printer {
        let (stdout_color, stderr_color) = color.resolve();
        console::set_colors_enabled(stdout_color);
        console::set_colors_enabled_stderr(stderr_color);
        Printer { verbosity }
    }

    /// A progress bar on stderr for `total` steps: drawn only on a terminal, in default
    /// verbosity, for more than one step; hidden otherwise (CI logs, `-v`, `-q`).
    #[must_use]
    pub fn progress(&self, total: usize) -> indicatif::ProgressBar {
        let visible =
            total > 1 && self.verbosity == Verbosity::Default && console::Term::stderr().is_term();
        if !visible {
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::new(u64::try_from(total).unwrap_or(u64::MAX));
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} packages {elapsed}")
        {
            bar.set_style(style);
        }
        bar
    }

    /// Whether external commands are echoed before they run (`-v`).
    #[must_use]
    pub fn echoes_commands(&self) -> bool {
        self.verbosity >= Verbosity::Verbose
    }

    /// Writes the command's result to stdout. A closed pipe comes back as an error that
    /// [`is_broken_pipe`] recognises.
    pub fn stdout(&self, text: &str) -> io::Result<()> {
        let mut out = io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()
    }

    /// A unified diff of `old` → `new` for `path` (`--- a/PATH`, `+++ b/PATH`), colored when
    /// stdout is; empty when they are equal.
    #[must_use]
    pub fn diff(&self, path: &str, old: &str, new: &str) -> String {
        let diff = similar::TextDiff::from_lines(old, new);
        let text = diff
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{path}"), &format!("b/{path}"))
            .to_string();
        Printer::color_diff_lines(&text)
    }

    /// Colors unified-diff lines: `-` red, `+` green, `@@` cyan (headers stay plain). Plain
    /// text when color is off.
    #[must_use]
    pub fn color_diff_lines(text: &str) -> String {
        let mut colored = String::with_capacity(text.len());
        for line in text.split_inclusive('\n') {
            let (body, newline) = line.strip_suffix('\n').map_or((line, ""), |body| (body, "\n"));
            let painted = match body.as_bytes().first() {
                Some(b'-') if !body.starts_with("---") => style(body).red().to_string(),
                Some(b'+') if !body.starts_with("+++") => style(body).green().to_string(),
                Some(b'@') => style(body).cyan().to_string(),
                _ => body.to_owned(),
            };
            colored.push_str(&painted);
            colored.push_str(newline);
        }
        colored
    }

    /// Echoes an external command line (`$ helm template …`) on stderr.
    pub fn command(&self, line: &str) {
        eprintln!("{}", style(format!("$ {line}")).dim());
    }

    /// A warning on stderr, unless `-q`.
    pub fn warning(&self, message: &str) {
        if self.verbosity > Verbosity::Quiet {
            eprintln!("{} {message}", style("warning:").yellow().bold());
        }
    }

    /// A progress or status line on stderr, unless `-q`.
    pub fn status(&self, message: &str) {
        if self.verbosity > Verbosity::Quiet {
            eprintln!("{message}");
        }
    }

    /// A debug line on stderr, with `-vv` only.
    pub fn debug(&self, message: &str) {
        if self.verbosity >= Verbosity::Debug {
            eprintln!("{} {message}", style("debug:").dim());
        }
    }

    /// Renders an error: `error: …`, one `  caused by: …` line per cause, then `hint: …` lines.
    pub fn error(&self, err: &anyhow::Error) {
        eprintln!("{} {err}", style("error:").red().bold());
        for cause in err.chain().skip(1) {
            eprintln!("  caused by: {cause}");
        }
        for failure in err.chain().filter_map(|cause| cause.downcast_ref::<Failure>()) {
            for hint in failure.hints() {
                eprintln!("{} {hint}", style("hint:").cyan().bold());
            }
        }
    }
}

/// Whether the error comes from writing to a closed pipe (`cozy pkg list | head`), which is not
/// a failure.
#[must_use]
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|io_err| io_err.kind() == io::ErrorKind::BrokenPipe)
    })
}
