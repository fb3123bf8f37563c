//! The platform's PackageSource definitions (`packages/core/platform/sources/*.yaml`), which
//! say how each system component is installed (lifecycle.md §2).
//!
//! Pure: [`parse_sources`] takes text; the caller reads the files.

use serde::Deserialize;

/// One component of one variant of a PackageSource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Component {
    /// PackageSource `metadata.name`.
    pub source: String,
    /// Variant name.
    pub variant: String,
    /// Component name.
    pub name: String,
    /// Package path relative to `packages/`, e.g. `system/cilium`.
    pub path: String,
    /// Values files applied as chart defaults.
    pub values_files: Vec<String>,
    /// `install`, when the platform installs the component itself (absent for apps).
    pub install: Option<Install>,
}

/// `install` of a component.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Install {
    /// Release name: `releaseName`, else the component name.
    pub release: String,
    /// Namespace, when given.
    pub namespace: Option<String>,
}

#[derive(Deserialize)]
struct Document {
    kind: Option<String>,
    #[serde(default)]
    metadata: Metadata,
    #[serde(default)]
    spec: Spec,
}

#[derive(Default, Deserialize)]
struct Metadata {
    #[serde(default)]
    name: String,
}

#[derive(Default, Deserialize)]
struct Spec {
    #[serde(default)]
    variants: Vec<Variant>,
}

#[derive(Deserialize)]
struct Variant {
    name: String,
    #[serde(default)]
    components: Vec<RawComponent>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawComponent {
    name: String,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    values_files: Vec<String>,
    #[serde(default)]
    install: Option<RawInstall>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawInstall {
    #[serde(default)]
    namespace: Option<String>,
    #[serde(default)]
    release_name: Option<String>,
}

/// The components of every `kind: PackageSource` document in a (multi-document) YAML text.
/// Other kinds are skipped; components without a `path` are skipped.
pub fn parse_sources(text: &str) -> Result<Vec<Component>, serde_yaml::Error> {
    let mut components = Vec::new();
    for document in serde_yaml::Deserializer::from_str(text) {
        // Every field of `Document` is optional, so any mapping fits; an empty document is `None`.
        let Some(document) = Option::<Document>::deserialize(document)? else { continue };
        if document.kind.as_deref() != Some("PackageSource") {
            continue;
        }
        for variant in document.spec.variants {
            for component in variant.components {
                let Some(path) = component.path else { continue };
                let install = component.install.map(|install| Install {
                    release: install.release_name.unwrap_or_else(|| component.name.clone()),
                    namespace: install.namespace,
                });
                components.push(Component {
                    source: document.metadata.name.clone(),
                    variant: variant.name.clone(),
                    name: component.name,
                    path: path.trim_matches('/').to_owned(),
                    values_files: component.values_files,
                    install,
                });
            }
        }
    }
    Ok(components)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_components_of_every_variant() {
        let text = "apiVersion: cozystack.io/v1alpha1\nkind: PackageSource\nmetadata:\n  name: cozystack.cilium\nspec:\n  variants:\n  - name: default\n    components:\n    - name: cilium\n      path: system/cilium\n      install:\n        namespace: cozy-cilium\n  - name: talos\n    components:\n    - name: cilium\n      path: system/cilium\n      valuesFiles: [values.yaml, values-talos.yaml]\n      install:\n        namespace: cozy-cilium\n        releaseName: cilium-talos\n---\nkind: ConfigMap\n---\n";
        let components = parse_sources(text).unwrap();
        assert_eq!(components.len(), 2);
        assert_eq!(
            components[0].install,
            Some(Install { release: "cilium".into(), namespace: Some("cozy-cilium".into()) })
        );
        assert_eq!(components[1].install.as_ref().unwrap().release, "cilium-talos");
        assert_eq!(components[1].values_files, ["values.yaml", "values-talos.yaml"]);
    }
}
