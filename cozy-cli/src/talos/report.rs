//! `validation/build-report.txt` (spec §4.8): `key: value` lines in a fixed order; everything but
//! the last line (`generated-at`) is a pure function of the inputs and the artifacts.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

use crate::talos::config::Kind;

/// One artifact line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Artifact {
    /// The kind that produced it.
    pub kind: Kind,
    /// The imager's file name.
    pub source: String,
    /// Bytes.
    pub size: u64,
    /// sha256, lowercase hex.
    pub sha256: String,
}

/// The report's content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// `talos-version`.
    pub talos_version: String,
    /// `arch`.
    pub arch: String,
    /// `variant`.
    pub variant: String,
    /// `role` (the line is left out when the variant has none).
    pub role: Option<String>,
    /// `kinds`, in build order.
    pub kinds: Vec<Kind>,
    /// `git-revision` (`unknown` outside a work tree).
    pub git_revision: String,
    /// `git-dirty`: `true`, `false` or `unknown`.
    pub git_dirty: String,
    /// `config-sha256`.
    pub config_sha256: String,
    /// `lock-sha256`.
    pub lock_sha256: String,
    /// `imager`: the reference every run used.
    pub imager: String,
    /// `base-installer`.
    pub base_installer: String,
    /// `extensions-index`.
    pub extensions_index: String,
    /// `tool.*` lines: cozy, docker-client, docker-server.
    pub tools: Vec<(String, String)>,
    /// `extension[i]`: (name, reference), profile order.
    pub extensions: Vec<(String, String)>,
    /// `profile[kind]`: sha256 hex, kinds order.
    pub profiles: Vec<(Kind, String)>,
    /// `artifact[path]`, sorted by path.
    pub artifacts: BTreeMap<String, Artifact>,
    /// `check[name]`: value, in the fixed check order.
    pub checks: Vec<(String, String)>,
    /// `note[name]`: value, sorted.
    pub notes: Vec<(String, String)>,
    /// `generated-at`, `YYYY-MM-DDTHH:MM:SSZ`.
    pub generated_at: String,
}

/// The fixed order of check lines.
pub const CHECK_ORDER: [&str; 6] =
    ["kernel-arch", "initramfs-extensions", "installer", "installer-extensions", "iso", "images"];

const HEADER: &str = "# cozy talos build report";

/// `SOURCE_DATE_EPOCH` (seconds, as text) when given, else now, as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn timestamp(source_date_epoch: Option<&str>) -> anyhow::Result<String> {
    /// 9999-12-31T23:59:59Z, the last second the format can write.
    const LAST: u64 = 253_402_300_799;
    let time = match source_date_epoch.map(str::trim) {
        Some(text) => {
            let seconds = text.parse::<u64>().ok().filter(|s| *s <= LAST).ok_or_else(|| {
                anyhow::anyhow!(
                    "SOURCE_DATE_EPOCH is `{text}`; expected seconds since 1970 (at most {LAST})"
                )
            })?;
            SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
        }
        None => SystemTime::now(),
    };
    Ok(humantime::format_rfc3339_seconds(time).to_string())
}

impl Report {
    /// The report text.
    #[must_use]
    pub fn render(&self) -> String {
        let mut out = format!("{HEADER}\nformat: 1\n");
        let mut line = |key: &str, value: &str| {
            let _ = writeln!(out, "{key}: {value}");
        };
        line("talos-version", &self.talos_version);
        line("arch", &self.arch);
        line("variant", &self.variant);
        if let Some(role) = &self.role {
            line("role", role);
        }
        let kinds: Vec<&str> = self.kinds.iter().map(|kind| kind.as_str()).collect();
        line("kinds", &kinds.join(" "));
        line("git-revision", &self.git_revision);
        line("git-dirty", &self.git_dirty);
        line("config-sha256", &self.config_sha256);
        line("lock-sha256", &self.lock_sha256);
        line("imager", &self.imager);
        line("base-installer", &self.base_installer);
        line("extensions-index", &self.extensions_index);
        for (tool, version) in &self.tools {
            line(&format!("tool.{tool}"), version);
        }
        for (index, (name, reference)) in self.extensions.iter().enumerate() {
            line(&format!("extension[{}]", index + 1), &format!("{name} {reference}"));
        }
        for (kind, hash) in &self.profiles {
            line(&format!("profile[{kind}]"), &format!("sha256:{hash} profiles/{kind}.yaml"));
        }
        for (path, artifact) in &self.artifacts {
            line(
                &format!("artifact[{path}]"),
                &format!(
                    "kind={} source={} size={} sha256={}",
                    artifact.kind, artifact.source, artifact.size, artifact.sha256
                ),
            );
        }
        for (name, value) in &self.checks {
            line(&format!("check[{name}]"), value);
        }
        let mut notes = self.notes.clone();
        notes.sort();
        for (name, value) in &notes {
            line(&format!("note[{name}]"), value);
        }
        line("generated-at", &self.generated_at);
        out
    }

    /// Parses a report strictly: unknown keys, out-of-order or malformed lines are errors
    /// naming the line.
    pub fn parse(text: &str) -> anyhow::Result<Report> {
        Parser { lines: text.split_terminator('\n').enumerate().peekable() }.report(text)
    }
}

struct Parser<'t> {
    lines: std::iter::Peekable<std::iter::Enumerate<std::str::SplitTerminator<'t, char>>>,
}

impl<'t> Parser<'t> {
    fn fail<T>(number: usize, line: &str, why: &str) -> anyhow::Result<T> {
        anyhow::bail!("build-report.txt line {}: `{line}`: {why}", number + 1)
    }

    /// The next line, which must have `key`.
    fn expect(&mut self, key: &str) -> anyhow::Result<&'t str> {
        let Some((number, line)) = self.lines.next() else {
            anyhow::bail!("build-report.txt ends before `{key}:`");
        };
        match line.split_once(": ") {
            Some((found, value)) if found == key && !value.is_empty() => Ok(value),
            _ => Self::fail(number, line, &format!("expected `{key}: …` here")),
        }
    }

    /// The next line if its key starts with `prefix`: (key, value, line number).
    fn optional(&mut self, prefix: &str) -> Option<(&'t str, &'t str, usize, &'t str)> {
        let &(number, line) = self.lines.peek()?;
        let (key, value) = line.split_once(": ")?;
        if !key.starts_with(prefix) {
            return None;
        }
        self.lines.next();
        Some((key, value, number, line))
    }

    fn bracket<'k>(key: &'k str, prefix: &str) -> Option<&'k str> {
        key.strip_prefix(prefix)?.strip_prefix('[')?.strip_suffix(']')
    }

    #[allow(
        clippy::too_many_lines,
        reason = "one straight pass over the keys in their fixed order"
    )]
    fn report(mut self, text: &str) -> anyhow::Result<Report> {
        if !text.ends_with('\n') || text.contains('\r') {
            anyhow::bail!("build-report.txt must end with a newline and use `\\n` line ends");
        }
        match self.lines.next() {
            Some((_, HEADER)) => {}
            Some((number, line)) => {
                return Self::fail(number, line, &format!("expected `{HEADER}`"));
            }
            None => anyhow::bail!("build-report.txt is empty"),
        }
        if self.expect("format")? != "1" {
            anyhow::bail!("build-report.txt: unsupported format (expected 1)");
        }
        let talos_version = self.expect("talos-version")?.to_owned();
        let arch = self.expect("arch")?.to_owned();
        let variant = self.expect("variant")?.to_owned();
        let role = self.optional("role").map(|(_, value, _, _)| value.to_owned());
        let kinds = self
            .expect("kinds")?
            .split(' ')
            .map(Kind::parse)
            .collect::<anyhow::Result<Vec<_>>>()?;
        let git_revision = self.expect("git-revision")?.to_owned();
        let git_dirty = self.expect("git-dirty")?.to_owned();
        let config_sha256 = self.expect("config-sha256")?.to_owned();
        let lock_sha256 = self.expect("lock-sha256")?.to_owned();
        let imager = self.expect("imager")?.to_owned();
        let base_installer = self.expect("base-installer")?.to_owned();
        let extensions_index = self.expect("extensions-index")?.to_owned();
        let mut tools = Vec::new();
        while let Some((key, value, _, _)) = self.optional("tool.") {
            tools.push((key["tool.".len()..].to_owned(), value.to_owned()));
        }
        let mut extensions = Vec::new();
        while let Some((key, value, number, line)) = self.optional("extension[") {
            let index = Self::bracket(key, "extension").and_then(|i| i.parse::<usize>().ok());
            let Some((name, reference)) = value.split_once(' ') else {
                return Self::fail(number, line, "expected `<name> <reference>`");
            };
            if index != Some(extensions.len() + 1) {
                return Self::fail(number, line, "extension lines must be numbered 1, 2, …");
            }
            extensions.push((name.to_owned(), reference.to_owned()));
        }
        let mut profiles = Vec::new();
        while let Some((key, value, number, line)) = self.optional("profile[") {
            let kind = Self::bracket(key, "profile").map(Kind::parse).transpose()?;
            let hash = value.strip_prefix("sha256:").and_then(|rest| rest.split_once(' '));
            match (kind, hash) {
                (Some(kind), Some((hash, path))) if path == format!("profiles/{kind}.yaml") => {
                    profiles.push((kind, hash.to_owned()));
                }
                _ => {
                    return Self::fail(
                        number,
                        line,
                        "expected `sha256:<hex> profiles/<kind>.yaml`",
                    );
                }
            }
        }
        let mut artifacts = BTreeMap::new();
        while let Some((key, value, number, line)) = self.optional("artifact[") {
            let Some(path) = Self::bracket(key, "artifact") else {
                return Self::fail(number, line, "expected `artifact[<path>]`");
            };
            let fields: BTreeMap<&str, &str> =
                value.split(' ').filter_map(|field| field.split_once('=')).collect();
            let artifact = (|| {
                Some(Artifact {
                    kind: Kind::parse(fields.get("kind")?).ok()?,
                    source: (*fields.get("source")?).to_owned(),
                    size: fields.get("size")?.parse().ok()?,
                    sha256: (*fields.get("sha256")?).to_owned(),
                })
            })();
            let Some(artifact) = artifact.filter(|_| fields.len() == 4) else {
                return Self::fail(number, line, "expected `kind=… source=… size=… sha256=…`");
            };
            if artifacts.keys().next_back().is_some_and(|last: &String| last.as_str() >= path) {
                return Self::fail(number, line, "artifact lines must be sorted by path");
            }
            artifacts.insert(path.to_owned(), artifact);
        }
        let mut checks: Vec<(String, String)> = Vec::new();
        while let Some((key, value, number, line)) = self.optional("check[") {
            let name = Self::bracket(key, "check").unwrap_or_default();
            let Some(position) = CHECK_ORDER.iter().position(|known| *known == name) else {
                return Self::fail(number, line, "unknown check");
            };
            let after_last = checks.last().is_none_or(|(last, _)| {
                CHECK_ORDER.iter().position(|known| known == last).unwrap_or(0) < position
            });
            if !after_last {
                return Self::fail(number, line, "check lines are out of order");
            }
            checks.push((name.to_owned(), value.to_owned()));
        }
        let mut notes = Vec::new();
        while let Some((key, value, number, line)) = self.optional("note[") {
            let Some(name) = Self::bracket(key, "note") else {
                return Self::fail(number, line, "expected `note[<name>]`");
            };
            notes.push((name.to_owned(), value.to_owned()));
        }
        let generated_at = self.expect("generated-at")?.to_owned();
        if let Some((number, line)) = self.lines.next() {
            return Self::fail(number, line, "unexpected line after `generated-at`");
        }
        Ok(Report {
            talos_version,
            arch,
            variant,
            role,
            kinds,
            git_revision,
            git_dirty,
            config_sha256,
            lock_sha256,
            imager,
            base_installer,
            extensions_index,
            tools,
            extensions,
            profiles,
            artifacts,
            checks,
            notes,
            generated_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Report {
        Report {
            talos_version: "v1.13.6".into(),
            arch: "arm64".into(),
            variant: "tailscale-spin".into(),
            role: Some("the single Tailscale subnet-router node".into()),
            kinds: vec![Kind::Initramfs, Kind::Kernel],
            git_revision: "unknown".into(),
            git_dirty: "unknown".into(),
            config_sha256: "1".repeat(64),
            lock_sha256: "2".repeat(64),
            imager: "ghcr.io/siderolabs/imager:v1.13.6@sha256:ff".into(),
            base_installer: "ghcr.io/siderolabs/installer:v1.13.6".into(),
            extensions_index: "ghcr.io/siderolabs/extensions:v1.13.6@sha256:ee".into(),
            tools: vec![("cozy".into(), "0.1.0".into())],
            extensions: vec![("spin".into(), "ghcr.io/siderolabs/spin:v0.25.1@sha256:aa".into())],
            profiles: vec![(Kind::Initramfs, "3".repeat(64)), (Kind::Kernel, "4".repeat(64))],
            artifacts: BTreeMap::from([(
                "boot/vmlinuz".to_owned(),
                Artifact {
                    kind: Kind::Kernel,
                    source: "kernel-arm64".into(),
                    size: 12,
                    sha256: "5".repeat(64),
                },
            )]),
            checks: vec![("kernel-arch".into(), "ok arm64 pe-machine=0xaa64".into())],
            notes: vec![("requires".into(), "ExtensionServiceConfig/tailscale".into())],
            generated_at: timestamp(Some("0")).unwrap(),
        }
    }

    #[test]
    fn render_is_line_exact_and_parses_back() {
        let report = sample();
        let text = report.render();
        let expected = format!(
            "# cozy talos build report\nformat: 1\ntalos-version: v1.13.6\narch: arm64\nvariant: tailscale-spin\nrole: the single Tailscale subnet-router node\nkinds: initramfs kernel\ngit-revision: unknown\ngit-dirty: unknown\nconfig-sha256: {c}\nlock-sha256: {l}\nimager: ghcr.io/siderolabs/imager:v1.13.6@sha256:ff\nbase-installer: ghcr.io/siderolabs/installer:v1.13.6\nextensions-index: ghcr.io/siderolabs/extensions:v1.13.6@sha256:ee\ntool.cozy: 0.1.0\nextension[1]: spin ghcr.io/siderolabs/spin:v0.25.1@sha256:aa\nprofile[initramfs]: sha256:{p1} profiles/initramfs.yaml\nprofile[kernel]: sha256:{p2} profiles/kernel.yaml\nartifact[boot/vmlinuz]: kind=kernel source=kernel-arm64 size=12 sha256={a}\ncheck[kernel-arch]: ok arm64 pe-machine=0xaa64\nnote[requires]: ExtensionServiceConfig/tailscale\ngenerated-at: 1970-01-01T00:00:00Z\n",
            c = "1".repeat(64),
            l = "2".repeat(64),
            p1 = "3".repeat(64),
            p2 = "4".repeat(64),
            a = "5".repeat(64)
        );
        assert_eq!(text, expected);
        assert_eq!(Report::parse(&text).unwrap(), report);
    }

    #[test]
    fn timestamps_are_utc_seconds_and_bad_epochs_are_errors() {
        assert_eq!(timestamp(Some("1763768400")).unwrap(), "2025-11-21T23:40:00Z");
        assert_eq!(timestamp(Some("253402300799")).unwrap(), "9999-12-31T23:59:59Z");
        for bad in ["253402300800", "99999999999999999999", "-1", "soon"] {
            let err = timestamp(Some(bad)).unwrap_err().to_string();
            assert!(err.contains("SOURCE_DATE_EPOCH"), "{err}");
        }
        assert!(timestamp(None).unwrap().ends_with('Z'));
    }

    #[test]
    fn strict_parse_names_the_bad_line() {
        let text = sample().render();
        let cases = [
            (text.replace("arch: arm64\n", ""), "line 4"),
            (text.replace("tool.cozy", "tools.cozy"), "line 15"),
            (text.replace("check[kernel-arch]", "check[rocket]"), "unknown check"),
            (text.replace("generated-at", "generated"), "expected `generated-at"),
            (format!("{text}extra: 1\n"), "after `generated-at`"),
            (text.replace("extension[1]", "extension[2]"), "numbered"),
        ];
        for (bad, expected) in cases {
            let err = Report::parse(&bad).unwrap_err().to_string();
            assert!(err.contains(expected), "{expected}: {err}");
        }
    }
}
