//! Release identity: which HelmRelease (name, namespace) a package is (lifecycle.md §2).
//!
//! Order: the manifest's `[release]`, then the unique platform component whose `path` is the
//! package, then the convention of the Makefiles it replaces (`<name>` in `cozy-<name>`).
//! Apps are instantiated per tenant, so their identity comes from the caller. Pure.

use std::collections::BTreeSet;

use crate::manifest::ReleaseMode;
use crate::platform::Component;
use crate::workspace::Package;

/// A package's release identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// How the package is released.
    pub mode: ReleaseMode,
    /// Release name, when fixed.
    pub name: Option<String>,
    /// Namespace, when fixed.
    pub namespace: Option<String>,
    /// Where the identity came from.
    pub origin: Origin,
}

/// Where an identity came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The package's `[release]` table.
    Manifest,
    /// A platform PackageSource component.
    Platform,
    /// The package's kind and name: `<name>` in `cozy-<name>`, or not installable for library
    /// charts.
    Convention,
    /// Nothing fixed: the caller passes `--name/--namespace` (apps).
    Caller,
}

impl Origin {
    /// The spelling used in `cozy pkg list --output json`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Manifest => "manifest",
            Origin::Platform => "platform",
            Origin::Convention => "convention",
            Origin::Caller => "caller",
        }
    }
}

/// Resolves the identity of `package` given every platform component.
pub fn resolve(package: &Package, components: &[Component]) -> Result<Identity, String> {
    let path = package.rel.strip_prefix("packages/").unwrap_or(&package.rel);
    let release = package.manifest.release.clone().unwrap_or_default();
    let candidates: Vec<&Component> = components
        .iter()
        .filter(|component| component.path == path)
        .filter(|component| {
            release.variant.as_ref().is_none_or(|variant| &component.variant == variant)
        })
        .collect();
    if let Some(variant) = &release.variant
        && candidates.is_empty()
    {
        return Err(format!(
            "{}: `[release] variant = \"{variant}\"` matches no platform component for `{path}`",
            package.manifest_rel()
        ));
    }
    let installed: Vec<&Component> =
        candidates.iter().copied().filter(|component| component.install.is_some()).collect();
    let is_library = package.chart.as_ref().is_ok_and(crate::chart::Chart::is_library);
    let mode = release.mode.unwrap_or(if is_library {
        ReleaseMode::None
    } else if matches!(package.kind.as_str(), "apps" | "extra")
        || (!candidates.is_empty() && installed.is_empty())
    {
        ReleaseMode::App
    } else {
        ReleaseMode::Helmrelease
    });

    if matches!(mode, ReleaseMode::App | ReleaseMode::None) {
        let origin = match (mode, release.mode) {
            _ if release.name.is_some() || release.namespace.is_some() => Origin::Manifest,
            (ReleaseMode::None, Some(_)) => Origin::Manifest,
            (ReleaseMode::None, None) => Origin::Convention,
            _ => Origin::Caller,
        };
        return Ok(Identity { mode, name: release.name, namespace: release.namespace, origin });
    }
    if let (Some(name), Some(namespace)) = (&release.name, &release.namespace) {
        return Ok(Identity {
            mode,
            name: Some(name.clone()),
            namespace: Some(namespace.clone()),
            origin: Origin::Manifest,
        });
    }

    let distinct: BTreeSet<(String, Option<String>)> = installed
        .iter()
        .filter_map(|component| component.install.as_ref())
        .map(|install| (install.release.clone(), install.namespace.clone()))
        .collect();
    if distinct.len() > 1 {
        let listed: Vec<String> = installed
            .iter()
            .filter_map(|component| {
                let install = component.install.as_ref()?;
                Some(format!(
                    "{}/{} → {} in {}",
                    component.source,
                    component.variant,
                    install.release,
                    install.namespace.as_deref().unwrap_or("?")
                ))
            })
            .collect();
        return Err(format!(
            "{}: platform components disagree on the release of `{path}`: {}; set `[release] variant`, or `name` and `namespace`",
            package.rel,
            listed.join(", ")
        ));
    }
    let (platform_name, platform_namespace) = distinct.into_iter().next().unzip();
    let platform_namespace = platform_namespace.flatten();
    let origin = match (&release.name, &release.namespace, &platform_name) {
        (Some(_), _, _) | (_, Some(_), _) => Origin::Manifest,
        (None, None, Some(_)) => Origin::Platform,
        (None, None, None) => Origin::Convention,
    };
    let name = release.name.or(platform_name).unwrap_or_else(|| package.name.clone());
    let namespace = release
        .namespace
        .or(platform_namespace)
        .unwrap_or_else(|| format!("cozy-{}", package.name));
    Ok(Identity { mode, name: Some(name), namespace: Some(namespace), origin })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Chart;
    use crate::manifest::PackageManifest;
    use crate::platform::Install;

    fn package(kind: &str, name: &str, manifest: &str, chart_type: &str) -> Package {
        Package {
            kind: kind.into(),
            name: name.into(),
            rel: format!("packages/{kind}/{name}"),
            dir: std::path::PathBuf::from("/nonexistent"),
            chart: Ok(Chart::parse(&format!(
                "apiVersion: v2\nname: {name}\nversion: 0.1.0\ntype: {chart_type}\n"
            ))
            .unwrap()),
            manifest: PackageManifest::parse(manifest).unwrap(),
        }
    }

    fn component(variant: &str, path: &str, install: Option<(&str, &str)>) -> Component {
        Component {
            source: "cozystack.x".into(),
            variant: variant.into(),
            name: "x".into(),
            path: path.into(),
            values_files: vec![],
            install: install.map(|(release, namespace)| Install {
                release: release.into(),
                namespace: Some(namespace.into()),
            }),
        }
    }

    #[track_caller]
    fn check(
        package: &Package,
        components: &[Component],
        expected: (ReleaseMode, Option<&str>, Option<&str>, Origin),
    ) {
        let identity = resolve(package, components).unwrap();
        assert_eq!(
            (
                identity.mode,
                identity.name.as_deref(),
                identity.namespace.as_deref(),
                identity.origin
            ),
            expected
        );
    }

    #[test]
    fn defaults_by_kind() {
        check(
            &package("system", "cilium", "", "application"),
            &[],
            (ReleaseMode::Helmrelease, Some("cilium"), Some("cozy-cilium"), Origin::Convention),
        );
        check(
            &package("apps", "postgres", "", "application"),
            &[],
            (ReleaseMode::App, None, None, Origin::Caller),
        );
        check(
            &package("extra", "info", "", "application"),
            &[],
            (ReleaseMode::App, None, None, Origin::Caller),
        );
        check(
            &package("library", "cozy-lib", "", "library"),
            &[],
            (ReleaseMode::None, None, None, Origin::Convention),
        );
        check(
            &package("core", "talos", "[release]\nmode = \"none\"\n", "application"),
            &[],
            (ReleaseMode::None, None, None, Origin::Manifest),
        );
    }

    #[test]
    fn platform_component_wins_over_convention() {
        let components = [component(
            "default",
            "system/hetzner-robotlb",
            Some(("robotlb", "cozy-hetzner-robotlb")),
        )];
        check(
            &package("system", "hetzner-robotlb", "", "application"),
            &components,
            (
                ReleaseMode::Helmrelease,
                Some("robotlb"),
                Some("cozy-hetzner-robotlb"),
                Origin::Platform,
            ),
        );
    }

    #[test]
    fn manifest_wins_over_platform() {
        let components = [component("default", "system/x", Some(("a", "b")))];
        check(
            &package("system", "x", "[release]\nnamespace = \"ns\"\n", "application"),
            &components,
            (ReleaseMode::Helmrelease, Some("a"), Some("ns"), Origin::Manifest),
        );
    }

    #[test]
    fn disagreeing_variants_need_a_choice() {
        let components = [
            component(
                "azure",
                "system/cluster-autoscaler",
                Some(("cluster-autoscaler-azure", "cozy-cluster-autoscaler-azure")),
            ),
            component(
                "hetzner",
                "system/cluster-autoscaler",
                Some(("cluster-autoscaler-hetzner", "cozy-cluster-autoscaler-hetzner")),
            ),
        ];
        let err = resolve(&package("system", "cluster-autoscaler", "", "application"), &components)
            .unwrap_err();
        assert!(
            err.contains("disagree")
                && err.contains(
                    "cozystack.x/azure → cluster-autoscaler-azure in cozy-cluster-autoscaler-azure"
                ),
            "{err}"
        );
        check(
            &package(
                "system",
                "cluster-autoscaler",
                "[release]\nvariant = \"hetzner\"\n",
                "application",
            ),
            &components,
            (
                ReleaseMode::Helmrelease,
                Some("cluster-autoscaler-hetzner"),
                Some("cozy-cluster-autoscaler-hetzner"),
                Origin::Platform,
            ),
        );
    }

    #[test]
    fn component_without_install_means_app() {
        let components = [component("default", "system/bucket", None)];
        check(
            &package("system", "bucket", "", "application"),
            &components,
            (ReleaseMode::App, None, None, Origin::Caller),
        );
    }
}
