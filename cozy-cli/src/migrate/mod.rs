//! `cozy pkg migrate`: a package Makefile turned into the equivalent `cozy.toml` (pure, no IO).
//!
//! [`migrate`] reads the Makefile text, recognises the recipe shapes lifecycle.md §10 can
//! express (release identity, `helm repo`/`helm pull`, sed deletions and substitutions, patch
//! files, Dockerfile `ARG` bumps, the buildx image recipe with its write-backs, `cozyvalues-gen`,
//! `helm unittest`) and lists every recipe line it could not express as a [`Leftover`].

mod image;
pub mod makefile;
pub mod shell;
mod update;

use std::collections::BTreeMap;
use std::fmt;

use regex::Regex;

use crate::manifest::{
    ChartField, Generate, GenerateStep, PackageManifest, ReadmeSetting, Release, Test, VarSource,
};
use makefile::{Line, Makefile};

/// The first line of every migrated `cozy.toml`.
pub const HEADER: &str = "# Migrated from Makefile by cozy pkg migrate\n";

/// A recipe line migrate left out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leftover {
    /// The target it belongs to (empty for top-level lines).
    pub target: String,
    /// 1-based line number in the Makefile.
    pub line: usize,
    /// The line as written (continuations joined).
    pub text: String,
    /// Why it was not migrated.
    pub reason: String,
}

impl fmt::Display for Leftover {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.target.is_empty() {
            write!(f, "{}: `{}`: {}", self.line, self.text, self.reason)
        } else {
            write!(f, "{}: [{}] `{}`: {}", self.line, self.target, self.text, self.reason)
        }
    }
}

/// How much of a Makefile made it into the manifest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// Every recipe line is expressed.
    Full,
    /// Some lines are expressed, some are left over.
    Partial,
    /// Nothing could be expressed.
    None,
}

/// The result of migrating one Makefile.
#[derive(Clone, Debug, PartialEq)]
pub struct Migration {
    /// The manifest.
    pub manifest: PackageManifest,
    /// Lines not expressed, in Makefile order.
    pub leftovers: Vec<Leftover>,
}

impl Migration {
    /// The `cozy.toml` text: [`HEADER`] then the serialized manifest.
    pub fn text(&self) -> Result<String, toml::ser::Error> {
        Ok(format!("{HEADER}{}", toml::to_string(&self.manifest)?))
    }

    /// Full, partial or none.
    #[must_use]
    pub fn coverage(&self) -> Coverage {
        let empty = PackageManifest { schema: self.manifest.schema, ..PackageManifest::default() };
        if self.leftovers.is_empty() {
            Coverage::Full
        } else if self.manifest == empty {
            Coverage::None
        } else {
            Coverage::Partial
        }
    }
}

/// Migrates one package Makefile.
#[must_use]
pub fn migrate(text: &str) -> Migration {
    let makefile = Makefile::parse(text);
    let mut migrator = Migrator::new(&makefile);
    migrator.run();
    let mut leftovers = migrator.leftovers;
    leftovers.sort_by_key(|leftover| leftover.line);
    let mut manifest = migrator.manifest;
    manifest.schema = Some(crate::manifest::SCHEMA_VERSION);
    Migration { manifest, leftovers }
}

/// Includes that need no counterpart in the manifest.
const KNOWN_INCLUDES: [&str; 2] = ["hack/package.mk", "hack/common-envs.mk"];

/// Targets whose recipes migrate expresses.
const VERBS: [&str; 4] = ["update", "image", "generate", "test"];

struct Migrator<'m> {
    makefile: &'m Makefile,
    manifest: PackageManifest,
    leftovers: Vec<Leftover>,
    /// Makefile variables read from a Chart.yaml: name → (var name, source).
    chart_vars: BTreeMap<String, (String, VarSource)>,
}

impl<'m> Migrator<'m> {
    fn new(makefile: &'m Makefile) -> Migrator<'m> {
        let mut chart_vars = BTreeMap::new();
        for (name, value) in &makefile.vars {
            if let Some(source) = chart_awk(
                value
                    .trim()
                    .strip_prefix("$(shell ")
                    .and_then(|v| v.strip_suffix(')'))
                    .unwrap_or(""),
            ) {
                chart_vars.insert(name.clone(), (var_name(&source), source));
            }
        }
        Migrator {
            makefile,
            manifest: PackageManifest::default(),
            leftovers: Vec::new(),
            chart_vars,
        }
    }

    fn run(&mut self) {
        self.release();
        for include in &self.makefile.includes {
            if !KNOWN_INCLUDES.iter().any(|known| include.text.ends_with(known)) {
                self.leave("", include, "included file is not migrated");
            }
        }
        for line in &self.makefile.unknown {
            self.leave("", line, "not a variable, include or rule");
        }
        for target in &self.makefile.targets {
            match target.name.as_str() {
                "update" => self.update(target),
                "image" => self.image(target),
                "generate" => self.generate(target),
                "test" => self.test(target),
                other => {
                    let used = self.makefile.targets.iter().any(|t| {
                        VERBS.contains(&t.name.as_str())
                            && t.prerequisites.iter().any(|p| p == other)
                    });
                    if !used {
                        let reason = format!("target `{other}` has no manifest equivalent");
                        for line in &target.recipe {
                            self.leave(other, line, &reason);
                        }
                    }
                }
            }
        }
    }

    fn leave(&mut self, target: &str, line: &Line, reason: &str) {
        self.leftovers.push(Leftover {
            target: target.to_owned(),
            line: line.number,
            text: line.text.clone(),
            reason: reason.to_owned(),
        });
    }

    /// `[release] name/namespace` from NAME and NAMESPACE, when they are plain text.
    fn release(&mut self) {
        let get = |var: &str| {
            self.makefile
                .vars
                .get(var)
                .map(|value| self.makefile.expand(value))
                .filter(|value| !value.is_empty() && !value.contains('$'))
        };
        let (name, namespace) = (get("NAME"), get("NAMESPACE"));
        if name.is_some() || namespace.is_some() {
            self.manifest.release = Some(Release { name, namespace, ..Release::default() });
        }
    }

    /// Registers the `[vars]` entry behind a Chart.yaml variable and returns its placeholder.
    fn use_var(&mut self, name: &str, source: VarSource) -> String {
        self.manifest.vars.insert(name.to_owned(), source);
        format!("{{var:{name}}}")
    }

    /// A recipe text with Makefile variables turned into manifest templates; `Err` names what
    /// has no template. `shell` maps shell variables (`$${x}`) to templates.
    fn template(&mut self, text: &str, shell: &BTreeMap<String, String>) -> Result<String, String> {
        let mut text = text.to_owned();
        let chart_vars: Vec<_> =
            self.chart_vars.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        for (make_name, (var, source)) in chart_vars {
            for spelled in [format!("$({make_name})"), format!("${{{make_name}}}")] {
                if text.contains(&spelled) {
                    let placeholder = self.use_var(&var, source.clone());
                    text = text.replace(&spelled, &placeholder);
                }
            }
        }
        let mut text = self.makefile.expand(&text);
        for (name, value) in shell {
            text =
                text.replace(&format!("$${{{name}}}"), value).replace(&format!("$${name}"), value);
        }
        for (make, template) in [
            ("$(SED_INPLACE)", "sed -i"),
            ("$(COZYSTACK_VERSION)", "{cozystack_version}"),
            ("$(CACHE_REGISTRY)", "{cache_registry}"),
            ("$(REGISTRY)", "{registry}"),
            ("$(IMAGE_TAG)", "{image_tag}"),
        ] {
            text = text.replace(make, template);
        }
        match text.find('$') {
            Some(at) => Err(format!(
                "`{}` has no manifest template",
                text[at..].split_whitespace().next().unwrap_or("$")
            )),
            None => Ok(text),
        }
    }

    fn generate(&mut self, target: &makefile::Target) {
        let mut generate = Generate::default();
        let mut any = false;
        for line in &target.recipe {
            let text = self.makefile.expand(&line.text);
            match generate_line(&text, &mut generate) {
                Ok(()) => any = true,
                Err(reason) => self.leave("generate", line, &reason),
            }
        }
        if any {
            self.manifest.generate = Some(generate);
        }
    }

    fn test(&mut self, target: &makefile::Target) {
        let mut test = Test::default();
        let mut any = false;
        for line in &target.recipe {
            let expanded = self.makefile.expand(&line.text);
            let Some(words) = shell::words(&expanded) else {
                self.leave("test", line, "unbalanced quotes");
                continue;
            };
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            match words.as_slice() {
                ["helm", "unittest", "."] => test.unittest = true,
                ["make" | "$(MAKE)", "-C", dir, "test"] if !dir.contains('$') => {
                    test.delegate = Some((*dir).to_owned());
                }
                ["bash" | "sh", script, ..] | [script, ..]
                    if script.starts_with("tests/") || script.starts_with("./tests/") =>
                {
                    test.run.push(words.iter().map(|w| (*w).to_owned()).collect());
                }
                _ => {
                    self.leave(
                        "test",
                        line,
                        "not `helm unittest .`, `make -C DIR test` or a tests/ script",
                    );
                    continue;
                }
            }
            any = true;
        }
        if any {
            self.manifest.test = Some(test);
        }
    }
}

/// One `generate` recipe line into `[generate]`.
fn generate_line(text: &str, generate: &mut Generate) -> Result<(), String> {
    let words = shell::words(text).ok_or("unbalanced quotes")?;
    match words.first().map(String::as_str) {
        Some("cozyvalues-gen") => {
            generate.readme = Some(ReadmeSetting::Enabled(false));
            let mut args = words[1..].iter();
            while let Some(flag) = args.next() {
                let value = args.next().ok_or_else(|| format!("`{flag}` without a value"))?.clone();
                match flag.as_str() {
                    "-m" => generate.module = Some(value),
                    "-v" => generate.values = (value != "values.yaml").then_some(value),
                    "-s" => generate.schema = (value != "values.schema.json").then_some(value),
                    "-r" if value == "README.md" => {
                        generate.readme = Some(ReadmeSetting::Enabled(true));
                    }
                    "-r" => generate.readme = Some(ReadmeSetting::Path(value)),
                    "-g" => generate.go_types = Some(value),
                    other => {
                        return Err(format!("cozyvalues-gen flag `{other}` is not in [generate]"));
                    }
                }
            }
            Ok(())
        }
        Some(script) if script.ends_with("hack/update-crd.sh") && words.len() == 1 => {
            generate.rd = true;
            Ok(())
        }
        Some("yq") => match words.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            ["yq", "-o", "json", "-i", expr, file] => {
                let (path, value) = expr.split_once(" = ").ok_or("not `.path = value`")?;
                let value: serde_json::Value = serde_json::from_str(value.trim())
                    .map_err(|_| format!("`{value}` is not a JSON value"))?;
                generate.steps.push(GenerateStep::JsonSet {
                    file: (*file).to_owned(),
                    path: path.trim().trim_start_matches('.').to_owned(),
                    value,
                });
                Ok(())
            }
            _ => Err("yq call is not `yq -o json -i '.path = value' FILE`".into()),
        },
        _ => Err("not cozyvalues-gen, hack/update-crd.sh or a JSON set".into()),
    }
}

/// `awk '$$1 == "version:" {print $$2}' DIR/Chart.yaml` → a Chart.yaml variable.
fn chart_awk(command: &str) -> Option<VarSource> {
    static RE: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
        Regex::new(r#"^awk\s+'\$\$1\s*==\s*"(version|appVersion):"\s*\{\s*print \$\$2\s*\}'\s+(\S+)/Chart\.yaml$"#)
            .expect("valid regex")
    });
    let captures = RE.captures(command.trim())?;
    let field =
        if &captures[1] == "version" { ChartField::Version } else { ChartField::AppVersion };
    Some(VarSource::Chart { chart: captures[2].to_owned(), field })
}

/// `cilium_version` for `charts/cilium` version, `chart_app_version` for `.` appVersion.
fn var_name(source: &VarSource) -> String {
    let VarSource::Chart { chart, field } = source else { return "value".into() };
    let base = match chart.rsplit('/').next() {
        Some("." | "") | None => "chart",
        Some(base) => base,
    };
    let base: String = base
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
        .collect();
    match field {
        ChartField::Version => format!("{base}_version"),
        ChartField::AppVersion => format!("{base}_app_version"),
    }
}

#[cfg(test)]
mod tests;
