//! `packages/core/talos/talos.toml`: what to build (spec §2.1).
//!
//! Only `[talos] version`, the extension lists, `[build] arches/kinds/disk_size` and the variants
//! must be written; every other key has the default documented on its field. Validation happens
//! once, in [`Config::parse`], so the rest of the code can trust names and lists.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::manifest::{Error, line_column, parse_toml};

/// The file name inside the package.
pub const FILE: &str = "talos.toml";

/// A target architecture.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Arch {
    /// x86-64.
    Amd64,
    /// AArch64.
    Arm64,
}

impl Arch {
    /// Every architecture the imager builds.
    pub const ALL: [Arch; 2] = [Arch::Amd64, Arch::Arm64];

    /// The name used in profiles, file names and paths.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Arch::Amd64 => "amd64",
            Arch::Arm64 => "arm64",
        }
    }

    /// Parses `amd64` or `arm64`.
    pub fn parse(text: &str) -> anyhow::Result<Arch> {
        Arch::ALL.into_iter().find(|arch| arch.as_str() == text).ok_or_else(|| {
            anyhow::anyhow!("unknown architecture `{text}`; expected amd64 or arm64")
        })
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the imager produces in one run (spec §3.2).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The initramfs with the extensions (PXE).
    Initramfs,
    /// The kernel (PXE); identical for every variant.
    Kernel,
    /// A bootable ISO.
    Iso,
    /// The installer image (a docker-archive).
    Installer,
    /// A raw metal disk image, xz-compressed.
    Metal,
    /// A raw nocloud disk image, xz-compressed.
    Nocloud,
    /// A raw openstack disk image, xz-compressed (optional kind).
    Openstack,
}

impl Kind {
    /// Every kind, in upstream's PROFILES order then the optional ones.
    pub const ALL: [Kind; 7] = [
        Kind::Initramfs,
        Kind::Kernel,
        Kind::Iso,
        Kind::Installer,
        Kind::Nocloud,
        Kind::Metal,
        Kind::Openstack,
    ];

    /// The name used on the command line, in profile file names and in reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Initramfs => "initramfs",
            Kind::Kernel => "kernel",
            Kind::Iso => "iso",
            Kind::Installer => "installer",
            Kind::Metal => "metal",
            Kind::Nocloud => "nocloud",
            Kind::Openstack => "openstack",
        }
    }

    /// Parses a kind name.
    pub fn parse(text: &str) -> anyhow::Result<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.as_str() == text).ok_or_else(|| {
            let names: Vec<_> = Kind::ALL.iter().map(|kind| kind.as_str()).collect();
            anyhow::anyhow!("unknown kind `{text}`; expected one of {}", names.join(", "))
        })
    }

    /// Disk-image kinds: they need loop devices, `imageOptions` and ~1.3 GB of scratch.
    #[must_use]
    pub fn is_disk_image(self) -> bool {
        matches!(self, Kind::Metal | Kind::Nocloud | Kind::Openstack)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The whole `talos.toml`.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "cozy Talos build configuration (packages/core/talos/talos.toml)")]
pub struct Config {
    /// Format version; must be 1.
    pub schema: u32,
    /// The Talos release and the images that carry it.
    pub talos: Talos,
    /// The shared extension lists, in profile order.
    pub extensions: Extensions,
    /// Per-architecture settings (`[arch.amd64]`, `[arch.arm64]`).
    #[serde(default)]
    #[schemars(schema_with = "per_arch_schema::<ArchConfig>")]
    pub arch: BTreeMap<Arch, ArchConfig>,
    /// The default matrix and how the imager runs.
    pub build: Build,
    /// The variants (node roles), in build and report order.
    #[serde(rename = "variant")]
    pub variants: Vec<Variant>,
    /// The matchbox PXE image.
    #[serde(default)]
    pub matchbox: Matchbox,
}

/// `[talos]`.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Talos {
    /// The Talos version, `vX.Y.Z`; the lock must match.
    pub version: String,
    /// The imager repository; the tag is the version. Default `ghcr.io/siderolabs/imager`.
    #[serde(default = "default_imager")]
    pub imager: String,
    /// The base installer repository (`input.baseInstaller`). Default `ghcr.io/siderolabs/installer`.
    #[serde(default = "default_installer")]
    pub installer: String,
    /// The image carrying `/image-digests`. Default `ghcr.io/siderolabs/extensions`.
    #[serde(default = "default_extensions_index")]
    pub extensions_index: String,
}

/// `[extensions]`: the order here is the order in the profile.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Extensions {
    /// Firmware extensions, first in the profile.
    pub firmware: Vec<String>,
    /// Base extensions, after the firmware.
    pub base: Vec<String>,
}

/// `[arch.<arch>]`.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArchConfig {
    /// Extensions left out on this architecture (x86-only firmware on arm64). Default `[]`.
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// Whether the imager container runs privileged with the host's `/dev`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Privileged {
    /// Upstream's flags for every kind (default).
    #[default]
    All,
    /// Only disk images (loop devices) get `-v /dev:/dev --privileged`.
    ImagesOnly,
}

/// What `SOURCE_DATE_EPOCH` the imager gets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SourceDateEpoch {
    /// Not set (default, as upstream).
    #[default]
    Off,
    /// The commit time of `HEAD`.
    GitCommit,
}

/// `[build]`.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Build {
    /// The default architectures, in build and report order.
    pub arches: Vec<Arch>,
    /// The default kinds, in build order.
    pub kinds: Vec<Kind>,
    /// `imageOptions.diskSize` of disk-image kinds, in bytes.
    pub disk_size: u64,
    /// Output directory relative to the repository root. Default `_out`.
    #[serde(default = "default_out_dir")]
    pub out_dir: String,
    /// Also write `<out_dir>/assets/<imager name>` for variant `default`. Default `true`.
    #[serde(default = "default_true")]
    pub compat_flat: bool,
    /// `all` (default) or `images-only`.
    #[serde(default)]
    pub privileged: Privileged,
    /// Host variables passed to the imager by name (`-e NAME`), never by value. Default `[]`.
    #[serde(default)]
    pub pass_env: Vec<String>,
    /// `off` (default) or `git-commit`.
    #[serde(default)]
    pub source_date_epoch: SourceDateEpoch,
    /// The comment lines at the top of every profile. Default: upstream's two lines.
    #[serde(default = "default_profile_header")]
    pub profile_header: Vec<String>,
}

/// `[[variant]]`: one node role.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// `^[a-z0-9][a-z0-9-]*$`, unique, not `all`.
    pub name: String,
    /// Extensions on top of firmware and base. Default `[]`.
    #[serde(default)]
    pub extra: Vec<String>,
    /// What nodes run it (copied into the report).
    pub role: Option<String>,
    /// Other names accepted on the command line.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Machine-config documents the nodes need (report notes).
    #[serde(default)]
    pub requires: Vec<String>,
    /// Kinds built for this variant instead of `[build] kinds`.
    pub kinds: Option<Vec<Kind>>,
    /// Architectures this variant is built for (default: all of the matrix).
    pub arches: Option<Vec<Arch>>,
}

/// `[matchbox]`.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Matchbox {
    /// Base image. Default: upstream's pinned `quay.io/poseidon/matchbox:v0.11.0@sha256:…`.
    #[serde(default = "default_matchbox_base")]
    pub base: String,
    /// Kernel console per architecture. Default amd64 `ttyS0`, arm64 `ttyAMA0`; an
    /// architecture left out keeps its default.
    #[serde(default = "default_console", deserialize_with = "console_over_defaults")]
    #[schemars(schema_with = "per_arch_schema::<String>")]
    pub console: BTreeMap<Arch, String>,
}

impl Default for Matchbox {
    fn default() -> Matchbox {
        Matchbox { base: default_matchbox_base(), console: default_console() }
    }
}

fn default_imager() -> String {
    "ghcr.io/siderolabs/imager".to_owned()
}
fn default_installer() -> String {
    "ghcr.io/siderolabs/installer".to_owned()
}
fn default_extensions_index() -> String {
    "ghcr.io/siderolabs/extensions".to_owned()
}
fn default_out_dir() -> String {
    "_out".to_owned()
}
fn default_true() -> bool {
    true
}
fn default_profile_header() -> Vec<String> {
    vec!["# this file generated by hack/gen-profiles.sh".to_owned(), "# do not edit it".to_owned()]
}
fn default_matchbox_base() -> String {
    "quay.io/poseidon/matchbox:v0.11.0@sha256:06bcdae85335fd00e8277b007b55cfb49d96a0114628c0f70db2b92b079d246a".to_owned()
}
fn default_console() -> BTreeMap<Arch, String> {
    BTreeMap::from([(Arch::Amd64, "ttyS0".to_owned()), (Arch::Arm64, "ttyAMA0".to_owned())])
}

/// `[matchbox.console]` entries replace the defaults one architecture at a time.
fn console_over_defaults<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<Arch, String>, D::Error> {
    let mut console = default_console();
    console.extend(BTreeMap::<Arch, String>::deserialize(deserializer)?);
    Ok(console)
}

/// The schema of a `BTreeMap<Arch, T>`: a table whose keys are architecture names.
fn per_arch_schema<T: JsonSchema>(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let value = serde_json::Value::from(generator.subschema_for::<T>());
    let properties: serde_json::Map<String, serde_json::Value> = Arch::ALL
        .iter()
        .map(|arch| {
            let mut schema = serde_json::json!({ "description": format!("For {arch}.") });
            if let (Some(schema), serde_json::Value::Object(value)) =
                (schema.as_object_mut(), value.clone())
            {
                schema.extend(value);
            }
            (arch.as_str().to_owned(), schema)
        })
        .collect();
    schemars::json_schema!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    })
}

/// The JSON Schema of `talos.toml`, pretty-printed with a trailing newline.
#[must_use]
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Config);
    let mut text = serde_json::to_string_pretty(&schema).expect("a JSON Schema always serializes");
    text.push('\n');
    text
}

/// One (arch, variant) pair: a self-contained output directory.
#[derive(Clone, Copy, Debug)]
pub struct Unit<'c> {
    /// The architecture.
    pub arch: Arch,
    /// The variant.
    pub variant: &'c Variant,
}

impl Config {
    /// Parses and validates `talos.toml` text; errors read `line:column: message` through
    /// [`Error::at`].
    pub fn parse(text: &str) -> Result<Config, Error> {
        let config: Config = parse_toml(text)?;
        config.validate().map_err(|(key, message)| Error {
            position: key.and_then(|key| find_line(text, &key)),
            message,
        })?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), (Option<String>, String)> {
        if self.schema != 1 {
            return Err((
                Some("schema".into()),
                format!("schema {} is not supported; expected 1", self.schema),
            ));
        }
        if self.variants.is_empty() {
            return Err((None, "at least one [[variant]] is required".into()));
        }
        let mut names = BTreeSet::new();
        for variant in &self.variants {
            if !valid_variant_name(&variant.name) || variant.name == "all" {
                return Err((
                    Some(format!("\"{}\"", variant.name)),
                    format!(
                        "variant name `{}` is invalid: use lowercase letters, digits and `-` (and not `all`)",
                        variant.name
                    ),
                ));
            }
            check_variant(variant)?;
            for name in std::iter::once(&variant.name).chain(&variant.aliases) {
                if !names.insert(name.as_str()) {
                    return Err((
                        Some(format!("\"{name}\"")),
                        format!("variant name or alias `{name}` is used twice"),
                    ));
                }
            }
        }
        for variant in &self.variants {
            for arch in self.arches_of(variant) {
                let list = self.raw_extensions(arch, variant);
                let mut seen = BTreeSet::new();
                for name in &list {
                    if !seen.insert(name) {
                        return Err((
                            Some(format!("\"{name}\"")),
                            format!(
                                "extension `{name}` is listed twice for ({arch}, {}); each extension may appear once",
                                variant.name
                            ),
                        ));
                    }
                }
            }
        }
        if self.build.arches.is_empty() || self.build.kinds.is_empty() {
            return Err((
                Some("[build]".into()),
                "[build] arches and kinds must not be empty".into(),
            ));
        }
        if let Some(dup) = first_duplicate(&self.build.arches)
            .map(ToString::to_string)
            .or_else(|| first_duplicate(&self.build.kinds).map(ToString::to_string))
        {
            return Err((Some("[build]".into()), format!("[build] lists `{dup}` twice")));
        }
        let known: BTreeSet<&String> = self
            .extensions
            .firmware
            .iter()
            .chain(&self.extensions.base)
            .chain(self.variants.iter().flat_map(|v| &v.extra))
            .collect();
        for (arch, settings) in &self.arch {
            if let Some(unknown) = settings.exclude.iter().find(|name| !known.contains(name)) {
                return Err((
                    Some(format!("\"{unknown}\"")),
                    format!("[arch.{arch}] exclude names `{unknown}`, which no extension list has"),
                ));
            }
        }
        for name in &self.build.pass_env {
            if name.is_empty() || name.contains('=') {
                return Err((
                    Some("pass_env".into()),
                    format!(
                        "pass_env entry `{name}` must be a variable name (passed by name, never by value)"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The architectures a variant is built for, in `[build] arches` order.
    #[must_use]
    pub fn arches_of(&self, variant: &Variant) -> Vec<Arch> {
        self.build
            .arches
            .iter()
            .copied()
            .filter(|arch| variant.arches.as_ref().is_none_or(|only| only.contains(arch)))
            .collect()
    }

    /// The kinds built for a variant.
    #[must_use]
    pub fn kinds_of<'a>(&'a self, variant: &'a Variant) -> &'a [Kind] {
        variant.kinds.as_deref().unwrap_or(&self.build.kinds)
    }

    fn raw_extensions<'a>(&'a self, arch: Arch, variant: &'a Variant) -> Vec<&'a String> {
        let exclude = self.arch.get(&arch).map(|a| a.exclude.as_slice()).unwrap_or_default();
        self.extensions
            .firmware
            .iter()
            .chain(&self.extensions.base)
            .chain(&variant.extra)
            .filter(|name| !exclude.contains(name))
            .collect()
    }

    /// The extension names of a unit, in profile order: firmware, base, the variant's extras,
    /// minus the architecture's exclusions.
    #[must_use]
    pub fn extensions_of(&self, arch: Arch, variant: &Variant) -> Vec<String> {
        self.raw_extensions(arch, variant).into_iter().cloned().collect()
    }

    /// Every extension name any unit of any architecture uses, sorted.
    #[must_use]
    pub fn all_extensions(&self) -> BTreeSet<String> {
        self.variants
            .iter()
            .flat_map(|variant| Arch::ALL.map(|arch| self.extensions_of(arch, variant)))
            .flatten()
            .collect()
    }

    /// Finds a variant by name or alias.
    pub fn variant(&self, name: &str) -> anyhow::Result<&Variant> {
        self.variants
            .iter()
            .find(|v| v.name == name || v.aliases.iter().any(|alias| alias == name))
            .ok_or_else(|| {
                let names: Vec<_> = self.variants.iter().map(|v| v.name.as_str()).collect();
                anyhow::anyhow!(
                    "talos.toml has no variant `{name}`; variants: {}",
                    names.join(", ")
                )
            })
    }

    /// The units selected by `--arch` and `--variant` (empty = defaults: `[build] arches` and
    /// variant `default` when it exists, else the first), in arch order then variant order.
    pub fn units(&self, arches: &[String], variants: &[String]) -> anyhow::Result<Vec<Unit<'_>>> {
        let arches: Vec<Arch> = if arches.is_empty() {
            self.build.arches.clone()
        } else {
            arches.iter().map(|a| Arch::parse(a)).collect::<anyhow::Result<_>>()?
        };
        let chosen: Vec<&Variant> = if variants.iter().any(|v| v == "all") {
            self.variants.iter().collect()
        } else if variants.is_empty() {
            vec![self.variant("default").unwrap_or(&self.variants[0])]
        } else {
            variants.iter().map(|v| self.variant(v)).collect::<anyhow::Result<_>>()?
        };
        // `[build] arches` order first, then any other requested arch in the order given.
        let mut order: Vec<Arch> =
            self.build.arches.iter().copied().filter(|a| arches.contains(a)).collect();
        for arch in arches {
            if !order.contains(&arch) {
                order.push(arch);
            }
        }
        let mut units = Vec::new();
        for arch in order {
            for variant in &self.variants {
                let wanted = chosen.iter().any(|c| c.name == variant.name);
                if wanted && variant.arches.as_ref().is_none_or(|only| only.contains(&arch)) {
                    units.push(Unit { arch, variant });
                }
            }
        }
        if units.is_empty() {
            anyhow::bail!(
                "no unit matches: the chosen variants are not built for the chosen architectures"
            );
        }
        Ok(units)
    }
}

/// Units grouped by variant, in first-seen order, each with its architectures in unit order:
/// one image (push, matchbox) per variant, one platform per architecture.
#[must_use]
pub fn by_variant<'c>(units: &[Unit<'c>]) -> Vec<(&'c Variant, Vec<Arch>)> {
    let mut groups: Vec<(&'c Variant, Vec<Arch>)> = Vec::new();
    for unit in units {
        match groups.iter_mut().find(|(variant, _)| variant.name == unit.variant.name) {
            Some((_, arches)) => arches.push(unit.arch),
            None => groups.push((unit.variant, vec![unit.arch])),
        }
    }
    groups
}

/// Checks of one variant beyond its name: aliases, one-line report texts, non-empty and
/// duplicate-free `kinds` and `arches`.
fn check_variant(variant: &Variant) -> Result<(), (Option<String>, String)> {
    let name = &variant.name;
    if let Some(alias) = variant.aliases.iter().find(|a| !valid_variant_name(a) || *a == "all") {
        return Err((
            Some(format!("\"{alias}\"")),
            format!(
                "alias `{alias}` of variant `{name}` is invalid: use lowercase letters, digits and `-` (and not `all`)"
            ),
        ));
    }
    let texts = variant.role.iter().map(|r| ("role", r));
    for (key, text) in texts.chain(variant.requires.iter().map(|r| ("requires", r))) {
        if text.trim().is_empty() || text.trim() != text || text.contains(['\n', '\r']) {
            return Err((
                Some(key.to_owned()),
                format!(
                    "variant `{name}`: `{key}` must be one non-empty line without leading or trailing spaces (it goes into the build report)"
                ),
            ));
        }
    }
    let empty = variant.kinds.as_ref().is_some_and(Vec::is_empty)
        || variant.arches.as_ref().is_some_and(Vec::is_empty);
    if empty {
        return Err((
            Some(format!("\"{name}\"")),
            format!("variant `{name}`: `kinds` and `arches` may be left out, but not empty"),
        ));
    }
    let dup = first_duplicate(variant.kinds.iter().flatten())
        .map(ToString::to_string)
        .or_else(|| first_duplicate(variant.arches.iter().flatten()).map(ToString::to_string));
    if let Some(dup) = dup {
        return Err((Some(format!("\"{name}\"")), format!("variant `{name}` lists `{dup}` twice")));
    }
    Ok(())
}

/// The first value that appears twice.
fn first_duplicate<'a, T: PartialEq + 'a>(items: impl IntoIterator<Item = &'a T>) -> Option<&'a T> {
    let mut seen: Vec<&T> = Vec::new();
    for item in items {
        if seen.contains(&item) {
            return Some(item);
        }
        seen.push(item);
    }
    None
}

fn valid_variant_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The line of the first occurrence of `needle`, for messages about a value rather than a
/// parse position.
fn find_line(text: &str, needle: &str) -> Option<(usize, usize)> {
    text.find(needle).map(|offset| line_column(text, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const MINIMAL: &str = r#"
schema = 1
[talos]
version = "v1.13.6"
[extensions]
firmware = ["amd-ucode", "bnx2-bnx2x"]
base = ["drbd", "zfs"]
[arch.arm64]
exclude = ["amd-ucode"]
[build]
arches = ["amd64", "arm64"]
kinds = ["kernel", "initramfs"]
disk_size = 1306525696
[[variant]]
name = "default"
[[variant]]
name = "tailscale-spin"
extra = ["spin", "tailscale"]
aliases = ["spin-tailscale"]
kinds = ["kernel"]
arches = ["arm64"]
"#;

    #[test]
    fn a_minimal_file_gets_the_documented_defaults() {
        let config = Config::parse(MINIMAL).unwrap();
        assert_eq!(config.talos.imager, "ghcr.io/siderolabs/imager");
        assert_eq!(config.build.out_dir, "_out");
        assert!(config.build.compat_flat);
        assert_eq!(config.build.privileged, Privileged::All);
        assert_eq!(config.build.profile_header.len(), 2);
        assert_eq!(config.matchbox.console[&Arch::Arm64], "ttyAMA0");
    }

    #[test]
    fn a_console_entry_replaces_only_its_own_arch() {
        let text = format!("{MINIMAL}[matchbox.console]\namd64 = \"tty0\"\n");
        let config = Config::parse(&text).unwrap();
        assert_eq!(config.matchbox.console[&Arch::Amd64], "tty0");
        assert_eq!(config.matchbox.console[&Arch::Arm64], "ttyAMA0");
    }

    #[test]
    fn extension_lists_follow_the_file_order_minus_exclusions() {
        let config = Config::parse(MINIMAL).unwrap();
        let spin = config.variant("spin-tailscale").unwrap();
        assert_eq!(spin.name, "tailscale-spin");
        assert_eq!(
            config.extensions_of(Arch::Arm64, spin),
            ["bnx2-bnx2x", "drbd", "zfs", "spin", "tailscale"]
        );
        let default = config.variant("default").unwrap();
        assert_eq!(
            config.extensions_of(Arch::Amd64, default),
            ["amd-ucode", "bnx2-bnx2x", "drbd", "zfs"]
        );
        assert_eq!(config.kinds_of(spin), [Kind::Kernel]);
    }

    #[test]
    fn units_respect_variant_arches_and_order() {
        let config = Config::parse(MINIMAL).unwrap();
        let units = config.units(&[], &["all".into()]).unwrap();
        let names: Vec<_> =
            units.iter().map(|u| format!("{}/{}", u.arch, u.variant.name)).collect();
        assert_eq!(names, ["amd64/default", "arm64/default", "arm64/tailscale-spin"]);
        assert!(config.units(&["amd64".into()], &["tailscale-spin".into()]).is_err());
        let err = config.units(&[], &["nope".into()]).unwrap_err().to_string();
        assert!(err.contains("no variant `nope`"), "{err}");
    }

    #[test]
    fn the_schema_documents_the_defaults_the_parser_applies() {
        let schema: serde_json::Value = serde_json::from_str(&json_schema()).unwrap();
        let config = Config::parse(MINIMAL).unwrap();
        let defs = &schema["$defs"];
        assert_eq!(defs["Talos"]["properties"]["imager"]["default"], config.talos.imager);
        assert_eq!(defs["Build"]["properties"]["out_dir"]["default"], config.build.out_dir);
        assert_eq!(defs["Build"]["properties"]["privileged"]["default"], "all");
        assert_eq!(
            defs["Build"]["properties"]["profile_header"]["default"],
            serde_json::json!(config.build.profile_header)
        );
        let console = &defs["Matchbox"]["properties"]["console"];
        for arch in Arch::ALL {
            assert_eq!(console["default"][arch.as_str()], config.matchbox.console[&arch]);
        }
        // Map keys are the architectures and nothing else, as the parser accepts.
        for table in [&schema["properties"]["arch"], console] {
            let keys: Vec<&String> = table["properties"].as_object().unwrap().keys().collect();
            assert_eq!(keys, ["amd64", "arm64"]);
            assert_eq!(table["additionalProperties"], false);
        }
        assert_eq!(
            schema["required"],
            serde_json::json!(["schema", "talos", "extensions", "build", "variant"])
        );
    }

    #[test]
    fn bad_files_name_the_line_and_the_problem() {
        let cases: &[(&str, &str, &str)] = &[
            ("schema = 1", "schema = 2", "2:1: schema 2 is not supported"),
            ("name = \"default\"", "name = \"Default\"", "variant name `Default` is invalid"),
            ("name = \"default\"", "name = \"all\"", "variant name `all` is invalid"),
            (
                "aliases = [\"spin-tailscale\"]",
                "aliases = [\"default\"]",
                "`default` is used twice",
            ),
            (
                "base = [\"drbd\", \"zfs\"]",
                "base = [\"drbd\", \"zfs\", \"drbd\"]",
                "`drbd` is listed twice",
            ),
            ("disk_size = 1306525696", "disk_size = 1306525696\nsize = 1", "unknown field `size`"),
            (
                "arches = [\"amd64\", \"arm64\"]",
                "arches = [\"amd64\", \"riscv\"]",
                "unknown variant `riscv`",
            ),
            (
                "arches = [\"amd64\", \"arm64\"]",
                "arches = [\"amd64\", \"amd64\"]",
                "lists `amd64` twice",
            ),
            ("kinds = [\"kernel\"]", "kinds = []", "may be left out, but not empty"),
            ("kinds = [\"kernel\"]", "kinds = [\"kernel\", \"kernel\"]", "lists `kernel` twice"),
            (
                "exclude = [\"amd-ucode\"]",
                "exclude = [\"amd_ucode\"]",
                "`amd_ucode`, which no extension list has",
            ),
            ("aliases = [\"spin-tailscale\"]", "aliases = [\"all\"]", "alias `all`"),
            ("aliases = [\"spin-tailscale\"]", "role = \"two\\nlines\"", "one non-empty line"),
        ];
        for (from, to, expected) in cases {
            let text = MINIMAL.replacen(from, to, 1);
            let err = Config::parse(&text).unwrap_err().at("talos.toml");
            assert!(err.contains(expected), "{to}: {err}");
            assert!(err.starts_with("talos.toml:"), "{err}");
        }
    }
}
