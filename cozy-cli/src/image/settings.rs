//! The build environment of `hack/common-envs.mk`, resolved once: flags, then the environment
//! variables of the same names, then the workspace `[defaults]`, then the Makefile defaults
//! (lifecycle.md §1). Unlike make, `PUSH` and `LOAD` are honoured from the environment (§17.10).

use crate::env;

/// Everything that shapes a `docker buildx build` besides the image itself.
#[derive(Clone, Debug, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "each bool is one of common-envs.mk's 0/1 switches"
)]
pub struct Settings {
    /// Image repository prefix (`REGISTRY`).
    pub registry: String,
    /// Prefix of cache refs (`CACHE_REGISTRY`).
    pub cache_registry: String,
    /// The build-unique tag (`IMAGE_TAG`).
    pub image_tag: String,
    /// Also push the versioned tag (`PUBLISH_VERSIONED=1`).
    pub publish_versioned: bool,
    /// Also push `:latest` (`PUBLISH_FLOATING=1`).
    pub publish_floating: bool,
    /// Write the registry cache (`WRITE_CACHE=1`).
    pub write_cache: bool,
    /// `--push`.
    pub push: bool,
    /// `--load`.
    pub load: bool,
    /// Export OCI archives here instead of pushing (`OCI_EXPORT_DIR`, absolute).
    pub oci_export_dir: Option<String>,
    /// `--builder` (`BUILDER`).
    pub builder: Option<String>,
    /// `--platform` (`PLATFORM`).
    pub platform: Option<String>,
    /// Appended verbatim (`BUILDX_EXTRA_ARGS`, split like a shell would).
    pub extra_args: Vec<String>,
    /// `--sbom=true` (`SBOM=1`).
    pub sbom: bool,
    /// `COZYSTACK_VERSION` without a leading `v`.
    pub cozystack_version: Option<String>,
    /// The `org.opencontainers.image.source` label.
    pub source_label: String,
}

/// Values given on the command line, which win over the environment.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--registry`.
    pub registry: Option<String>,
    /// `--tag`.
    pub image_tag: Option<String>,
    /// `--push` / `--no-push`.
    pub push: Option<bool>,
    /// `--load`.
    pub load: Option<bool>,
    /// `--builder`.
    pub builder: Option<String>,
    /// `--platform`.
    pub platform: Option<String>,
    /// `--cozystack-version`.
    pub cozystack_version: Option<String>,
}

impl Settings {
    /// Resolves the settings; `defaults` are the workspace's `[defaults]` (registry, cache
    /// registry, source label); `describe` is `git describe --tags --match 'v*'`, asked only when
    /// nothing else gives the version.
    pub fn resolve(
        overrides: &Overrides,
        defaults: &crate::workspace_manifest::Defaults,
        describe: impl FnOnce() -> Option<String>,
    ) -> Result<Settings, String> {
        let var = |name: &str| env::var(name).filter(|value| !value.is_empty());
        let flag = |name: &str| {
            var(name).is_some_and(|value| value == "1" || value.eq_ignore_ascii_case("true"))
        };
        let registry = overrides
            .registry
            .clone()
            .or_else(|| var("REGISTRY"))
            .or_else(|| defaults.registry.clone())
            .unwrap_or_else(|| "ghcr.io/cozystack/cozystack".to_owned());
        let oci_export_dir = var("OCI_EXPORT_DIR");
        if let Some(dir) = &oci_export_dir
            && !dir.starts_with('/')
        {
            return Err(format!(
                "OCI_EXPORT_DIR must be an absolute path, not `{dir}` (buildx resolves it against the package directory)"
            ));
        }
        let exporting = oci_export_dir.is_some();
        let bool_var = |name: &str, default: bool| {
            var(name).map_or(default, |value| value == "1" || value.eq_ignore_ascii_case("true"))
        };
        let extra_args = match var("BUILDX_EXTRA_ARGS") {
            Some(text) => {
                shell_words::split(&text).map_err(|err| format!("BUILDX_EXTRA_ARGS: {err}"))?
            }
            None => Vec::new(),
        };
        let cozystack_version = overrides
            .cozystack_version
            .clone()
            .or_else(|| var("COZYSTACK_VERSION"))
            .or_else(describe)
            .map(|version| version.trim().trim_start_matches('v').to_owned());
        Ok(Settings {
            cache_registry: var("CACHE_REGISTRY")
                .or_else(|| defaults.cache_registry.clone())
                .unwrap_or_else(|| registry.clone()),
            registry,
            image_tag: overrides
                .image_tag
                .clone()
                .or_else(|| var("IMAGE_TAG"))
                .unwrap_or_else(|| "dev".to_owned()),
            publish_versioned: flag("PUBLISH_VERSIONED"),
            publish_floating: flag("PUBLISH_FLOATING"),
            write_cache: flag("WRITE_CACHE"),
            push: overrides.push.unwrap_or_else(|| bool_var("PUSH", !exporting)),
            load: overrides.load.unwrap_or_else(|| bool_var("LOAD", false)),
            oci_export_dir,
            builder: overrides.builder.clone().or_else(|| var("BUILDER")),
            platform: overrides.platform.clone().or_else(|| var("PLATFORM")),
            extra_args,
            sbom: flag("SBOM"),
            cozystack_version,
            source_label: defaults
                .image_source_label
                .clone()
                .unwrap_or_else(|| "https://github.com/cozystack/cozystack".to_owned()),
        })
    }
}
