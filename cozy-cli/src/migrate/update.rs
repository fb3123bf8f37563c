//! The `update` target: helm repo/pull, sed edits, patches, ARG bumps, removals, scripts.

use std::collections::BTreeMap;

use super::makefile::{Line, Target};
use super::shell::{self, SedCommand};
use super::{Migrator, chart_awk, var_name};
use crate::manifest::{Step, Update, Verb, VersionSource};

#[derive(Default)]
struct State {
    aliases: BTreeMap<String, String>,
    pending_clean: Vec<String>,
    steps: Vec<Step>,
    then: Vec<Verb>,
    notes: Vec<Line>,
}

impl Migrator<'_> {
    pub(super) fn update(&mut self, target: &Target) {
        let mut state = State::default();
        let rule = Line {
            number: target.number,
            text: format!("update: {}", target.prerequisites.join(" ")),
        };
        let generic = target.prerequisites.iter().any(|p| p.ends_with("-update"));
        for prerequisite in &target.prerequisites {
            if let Some(local) = self.makefile.target(prerequisite) {
                self.update_lines(&local.recipe.clone(), &mut state);
            } else if prerequisite.ends_with("-update") {
                match self.generic_pull() {
                    Ok(step) => state.steps.push(step),
                    Err(reason) => self.leave("update", &rule, &reason),
                }
            } else if !(generic && prerequisite == "clean") {
                self.leave(
                    "update",
                    &rule,
                    &format!("prerequisite `{prerequisite}` is not migrated"),
                );
            }
        }
        self.update_lines(&target.recipe, &mut state);
        if !state.pending_clean.is_empty() {
            state.steps.insert(0, Step::Remove { paths: std::mem::take(&mut state.pending_clean) });
        }
        let mut note = None;
        if state.steps.is_empty() && !state.notes.is_empty() {
            let words: Vec<String> = state
                .notes
                .iter()
                .map(|line| {
                    shell::words(&line.text)
                        .and_then(|w| w.get(1..).map(|rest| rest.join(" ")))
                        .unwrap_or_default()
                })
                .collect();
            note = Some(words.join("\n"));
        } else {
            for line in std::mem::take(&mut state.notes) {
                self.leave("update", &line, "`echo` next to real steps has no manifest equivalent");
            }
        }
        if !state.steps.is_empty() || !state.then.is_empty() || note.is_some() {
            self.manifest.update = Some(Update { then: state.then, note, steps: state.steps });
        }
    }

    /// The `%-update` rule of hack/package.mk, from REPO_NAME/REPO_URL/CHART_NAME/CHART_VERSION.
    fn generic_pull(&self) -> Result<Step, String> {
        let get = |name: &str| {
            self.makefile
                .vars
                .get(name)
                .map(|value| self.makefile.expand(value).trim_matches('"').to_owned())
                .filter(|value| !value.contains('$'))
        };
        let (Some(url), Some(chart)) = (get("REPO_URL"), get("CHART_NAME")) else {
            return Err("generic `%-update` needs REPO_URL and CHART_NAME in this Makefile".into());
        };
        Ok(Step::HelmPull {
            repo: Some(url),
            oci: None,
            chart,
            version: get("CHART_VERSION").filter(|v| !v.is_empty()).map(VersionSource::Literal),
            digest: None,
            dest: None,
            expect_version: None,
            remove: Vec::new(),
            clean: vec!["charts".into()],
            as_var: None,
        })
    }

    fn update_lines(&mut self, lines: &[Line], state: &mut State) {
        for line in lines {
            let mut shell_vars = BTreeMap::new();
            let mut steps = Vec::new();
            let result = line.text.split(" && ").try_for_each(|segment| {
                self.update_segment(segment.trim(), state, &mut shell_vars, &mut steps, line)
            });
            match result {
                Ok(()) => {
                    for step in steps {
                        self.push_step(state, step);
                    }
                }
                Err(reason) => self.leave("update", line, &reason),
            }
        }
    }

    /// Adds a step, moving pending `rm -rf` paths into the first fetch's `clean`.
    #[allow(clippy::unused_self)]
    fn push_step(&self, state: &mut State, mut step: Step) {
        if let Step::HelmPull { clean, .. } = &mut step
            && !state.pending_clean.is_empty()
        {
            clean.append(&mut state.pending_clean);
        }
        state.steps.push(step);
    }

    fn update_segment(
        &mut self,
        segment: &str,
        state: &mut State,
        shell_vars: &mut BTreeMap<String, String>,
        steps: &mut Vec<Step>,
        line: &Line,
    ) -> Result<(), String> {
        if let Some((name, command)) = segment.split_once("=$$(")
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && let Some(source) = command.strip_suffix(')').and_then(chart_awk)
        {
            let placeholder = self.use_var(&var_name(&source), source);
            shell_vars.insert(name.to_owned(), placeholder);
            return Ok(());
        }
        let text = self.template(segment, shell_vars)?;
        let words = shell::words(&text).ok_or("unbalanced quotes")?;
        if words.iter().any(|w| w == "|" || w == ";" || w == "||") {
            return Err("a shell pipeline or command list has no update step".into());
        }
        let args: Vec<&str> = words.iter().map(String::as_str).collect();
        if let Some(skip) = shell::sed_inplace(&words) {
            return sed(&args[skip..]).map(|new| steps.extend(new));
        }
        match args.as_slice() {
            ["rm", flags, paths @ ..] if flags.starts_with('-') && !paths.is_empty() => {
                let paths: Vec<String> =
                    paths.iter().map(|p| p.trim_end_matches('/').to_owned()).collect();
                self.remove(state, steps, paths);
            }
            ["mkdir", "-p", ..] | ["helm", "repo", "update", ..] | [] => {}
            ["helm", "repo", "add", alias, url] => {
                state.aliases.insert((*alias).to_owned(), (*url).to_owned());
            }
            ["helm", "pull", rest @ ..] => steps.push(helm_pull(rest, &state.aliases)?),
            ["patch", rest @ ..] => steps.push(patch(rest)?),
            ["make" | "$(MAKE)", "generate"] => {
                if !state.then.contains(&Verb::Generate) {
                    state.then.push(Verb::Generate);
                }
            }
            ["echo", ..] => state.notes.push(line.clone()),
            [script, ..]
                if (script.starts_with("hack/") || script.starts_with("./"))
                    && !script.contains("..") =>
            {
                steps.push(Step::Run { argv: words.clone(), env: BTreeMap::new() });
            }
            [program, ..] => return Err(format!("`{program}` has no update step")),
        }
        Ok(())
    }

    /// `rm -rf`: before any fetch it becomes the fetch's `clean`; inside a pulled chart it becomes
    /// the pull's `remove`; elsewhere a `remove` step.
    #[allow(clippy::unused_self)]
    fn remove(&self, state: &mut State, steps: &mut Vec<Step>, paths: Vec<String>) {
        if state.steps.is_empty() && steps.is_empty() {
            state.pending_clean.extend(paths);
            return;
        }
        let fetched = state
            .steps
            .iter_mut()
            .chain(steps.iter_mut())
            .rev()
            .find(|s| matches!(s, Step::HelmPull { .. }));
        if let Some(Step::HelmPull { chart, dest, remove, .. }) = fetched {
            let dest = dest.clone().unwrap_or_else(|| format!("charts/{chart}"));
            let inside: Option<Vec<String>> = paths
                .iter()
                .map(|p| p.strip_prefix(&format!("{dest}/")).map(str::to_owned))
                .collect();
            if let Some(inside) = inside {
                remove.extend(inside);
                return;
            }
        }
        steps.push(Step::Remove { paths });
    }
}

/// `helm pull REF --untar --untardir DIR [--version V] [--repo URL]`.
fn helm_pull(args: &[&str], aliases: &BTreeMap<String, String>) -> Result<Step, String> {
    let (mut reference, mut untar, mut dir, mut version, mut repo) =
        (None, false, None, None, None);
    let mut iter = args.iter();
    while let Some(&arg) = iter.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value)),
            _ => (arg, None),
        };
        let mut value =
            || inline.or_else(|| iter.next().copied()).ok_or(format!("`{flag}` without a value"));
        match flag {
            "--untar" => untar = true,
            "--untardir" | "-d" => dir = Some(value()?.to_owned()),
            "--version" => version = Some(value()?.to_owned()),
            "--repo" => repo = Some(value()?.to_owned()),
            flag if flag.starts_with('-') => {
                return Err(format!("helm pull flag `{flag}` has no helm-pull field"));
            }
            _ if reference.is_none() => reference = Some(arg.to_owned()),
            _ => return Err("helm pull with more than one chart".into()),
        }
    }
    if !untar {
        return Err("helm pull without `--untar`".into());
    }
    let reference = reference.ok_or("helm pull without a chart")?;
    let (repo, oci, chart, digest) = if let Some(oci) = reference.strip_prefix("oci://") {
        let (path, digest) = match oci.split_once('@') {
            Some((path, digest)) => (path, Some(digest.to_owned())),
            None => (oci, None),
        };
        let chart = path.rsplit('/').next().unwrap_or(path).to_owned();
        (None, Some(format!("oci://{path}")), chart, digest)
    } else if let Some(repo) = repo {
        (Some(repo), None, reference, None)
    } else {
        let (alias, chart) =
            reference.split_once('/').ok_or(format!("`{reference}` is not ALIAS/CHART"))?;
        let url = aliases
            .get(alias)
            .ok_or(format!("helm repo alias `{alias}` is not added in this recipe"))?;
        (Some(url.clone()), None, chart.to_owned(), None)
    };
    let dir = dir.unwrap_or_else(|| ".".into());
    let dest = (dir.trim_end_matches('/') != "charts")
        .then(|| format!("{}/{chart}", dir.trim_end_matches('/')));
    Ok(Step::HelmPull {
        repo,
        oci,
        chart,
        version: version.map(VersionSource::Literal),
        digest,
        dest,
        expect_version: None,
        remove: Vec::new(),
        clean: Vec::new(),
        as_var: None,
    })
}

/// `patch [--forward] [--no-backup-if-mismatch] -pN [-d DIR] < FILE`.
fn patch(args: &[&str]) -> Result<Step, String> {
    let (mut strip, mut dir, mut file) = (None, None, None);
    let mut iter = args.iter();
    while let Some(&arg) = iter.next() {
        match arg {
            "--forward" | "-N" | "--no-backup-if-mismatch" | "--batch" | "-s" | "--silent" => {}
            "<" | "-i" => file = iter.next().map(|f| (*f).to_owned()),
            "-d" => dir = iter.next().map(|d| (*d).to_owned()),
            _ if arg.starts_with("-p") => {
                strip = Some(arg[2..].parse::<u32>().map_err(|_| format!("`{arg}` is not -pN"))?);
            }
            _ if arg.starts_with('<') => file = Some(arg[1..].to_owned()),
            _ => return Err(format!("patch argument `{arg}` has no patch field")),
        }
    }
    let file = file.ok_or("patch without `< FILE`")?;
    Ok(Step::Patch {
        file: Some(file),
        glob: None,
        strip,
        forward: None,
        dir,
        target: None,
        tool: None,
    })
}

/// `sed -i -e SCRIPT… FILE` (or `sed -i SCRIPT FILE`) into replace / dockerfile-arg steps.
fn sed(args: &[&str]) -> Result<Vec<Step>, String> {
    let mut scripts = Vec::new();
    let mut rest = Vec::new();
    let mut iter = args.iter();
    while let Some(&arg) = iter.next() {
        if arg == "-e" {
            scripts.push(*iter.next().ok_or("`-e` without a script")?);
        } else if arg.starts_with('-') {
            return Err(format!("sed flag `{arg}` is not supported"));
        } else {
            rest.push(arg);
        }
    }
    if scripts.is_empty() && !rest.is_empty() {
        scripts.push(rest.remove(0));
    }
    let [file] = rest.as_slice() else {
        return Err("sed must edit exactly one file".into());
    };
    let file = (*file).to_owned();
    let mut steps = Vec::new();
    let mut deletes = Vec::new();
    for script in scripts {
        match shell::sed_command(script)? {
            SedCommand::Delete(regex) => deletes.push(regex),
            SedCommand::Substitute { regex, with, global } => {
                if !deletes.is_empty() {
                    steps.push(delete_step(&file, std::mem::take(&mut deletes)));
                }
                steps.push(substitute(&file, &regex, with, global)?);
            }
        }
    }
    if !deletes.is_empty() {
        steps.push(delete_step(&file, deletes));
    }
    Ok(steps)
}

fn delete_step(file: &str, delete_lines: Vec<String>) -> Step {
    Step::Replace {
        file: Some(file.to_owned()),
        glob: None,
        literal: None,
        regex: None,
        with: None,
        delete_lines,
        expect: None,
    }
}

fn substitute(file: &str, regex: &str, with: String, global: bool) -> Result<Step, String> {
    if file.ends_with("Dockerfile")
        && let Some(arg) = regex.strip_prefix("ARG ").and_then(|r| r.strip_suffix("=.*"))
        && arg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && let Some(value) = with.strip_prefix(&format!("ARG {arg}="))
    {
        return Ok(Step::DockerfileArg {
            file: file.to_owned(),
            arg: arg.to_owned(),
            value: value.to_owned(),
        });
    }
    if !global && !regex.ends_with(".*") {
        return Err("sed `s` without `g` replaces only the first match on a line".into());
    }
    let (literal, regex) = if shell::is_literal(regex) {
        (Some(shell::unescape_literal(regex)), None)
    } else {
        (None, Some(regex.to_owned()))
    };
    Ok(Step::Replace {
        file: Some(file.to_owned()),
        glob: None,
        literal,
        regex,
        with: Some(with),
        delete_lines: Vec::new(),
        expect: None,
    })
}
