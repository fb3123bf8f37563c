//! The repository-level `cozy.toml`: the file with a `[workspace]` table at the root.
//!
//! It holds what is global today in common-envs.mk, the root Makefile and build-matrix.sh
//! (lifecycle.md §10.1, §17). Pure: parsing takes text.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::manifest::{self, Error};

/// Platform sources directory when `[platform] sources` is absent.
pub const DEFAULT_PLATFORM_SOURCES: &str = "packages/core/platform/sources";

/// The root `cozy.toml`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "cozy workspace manifest (root cozy.toml)")]
pub struct WorkspaceManifest {
    /// Marks the repository root.
    pub workspace: WorkspaceTable,
    /// Image defaults (what `hack/common-envs.mk` sets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defaults: Option<Defaults>,
    /// Image build order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<BuildUnits>,
    /// Per-verb selection settings, e.g. `[select.image] full_rebuild`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub select: BTreeMap<String, SelectVerb>,
    /// Offline rendering settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub render: Option<RenderSettings>,
    /// Where the platform's PackageSource definitions live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// Extra files that may hold image references.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_refs: Option<ImageRefs>,
}

/// `[workspace]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceTable {
    /// A name for the platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Globs (relative to the root) whose change selects every package with `--changed-since`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub full_rebuild: Vec<String>,
    /// The kube context `cozy pkg apply` may act on without `--yes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kube_context: Option<String>,
}

/// `[defaults]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// Image repository prefix (`REGISTRY`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    /// Prefix of `:buildcache` refs (`CACHE_REGISTRY`); `registry` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_registry: Option<String>,
    /// Value of the `org.opencontainers.image.source` label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_source_label: Option<String>,
}

/// `[build]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BuildUnits {
    /// Package paths in build order (finalize units last).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<String>,
}

/// `[select.<verb>]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SelectVerb {
    /// Globs whose change selects every package for this verb.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub full_rebuild: Vec<String>,
}

/// `[render]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RenderSettings {
    /// `--kube-version` for offline renders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kube_version: Option<String>,
    /// `--api-versions` for offline renders.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub api_versions: Vec<String>,
    /// A values file standing in for the `cozystack-values` Secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_values: Option<String>,
}

/// `[platform]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Platform {
    /// Directory of PackageSource YAML files, relative to the root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sources: Option<String>,
}

/// `[image_refs]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImageRefs {
    /// Files outside values.yaml and `images/*.tag` that may be written by image builds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_files: Vec<String>,
}

impl WorkspaceManifest {
    /// Parses root `cozy.toml` text.
    pub fn parse(text: &str) -> Result<WorkspaceManifest, Error> {
        manifest::parse_toml(text)
    }

    /// The platform sources directory, relative to the root.
    #[must_use]
    pub fn platform_sources(&self) -> &str {
        self.platform
            .as_ref()
            .and_then(|p| p.sources.as_deref())
            .unwrap_or(DEFAULT_PLATFORM_SOURCES)
    }
}

/// Whether `cozy.toml` text has a `[workspace]` table (without validating the rest).
#[must_use]
pub fn declares_workspace(text: &str) -> bool {
    text.parse::<toml::Table>()
        .is_ok_and(|table| table.get("workspace").is_some_and(toml::Value::is_table))
}

/// The JSON Schema of the root `cozy.toml`, pretty-printed with a trailing newline.
#[must_use]
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(WorkspaceManifest);
    let mut text = serde_json::to_string_pretty(&schema).expect("a JSON Schema always serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_workspace_table() {
        assert!(declares_workspace("[workspace]\n"));
        assert!(declares_workspace("[workspace]\nname = \"x\"\n[defaults]\nregistry = \"r\"\n"));
        assert!(!declares_workspace("schema = 1\n[release]\nmode = \"app\"\n"));
        assert!(!declares_workspace("workspace = 1\n"));
        assert!(!declares_workspace("[workspace\n"));
    }

    #[test]
    fn unknown_key_is_reported() {
        let err =
            WorkspaceManifest::parse("[workspace]\n[defaults]\nregistri = \"x\"\n").unwrap_err();
        assert_eq!(err.position, Some((3, 1)));
        assert!(err.message.starts_with("unknown field `registri`"), "{err}");
    }
}
