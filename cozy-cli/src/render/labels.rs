//! Flux's origin labels, added to every rendered object the way helm-controller's
//! post-renderer does (lifecycle.md §3.5): `helm.toolkit.fluxcd.io/name` and
//! `helm.toolkit.fluxcd.io/namespace` on the object's own `metadata.labels`.
//!
//! Unlike cozyhr, which re-serialises every document, the labels are inserted surgically:
//! apart from them the output is byte for byte what `helm template` printed, comments
//! (`# Source: …`) and key order included. Pure.

/// The label with the HelmRelease name.
pub const NAME_LABEL: &str = "helm.toolkit.fluxcd.io/name";
/// The label with the HelmRelease namespace.
pub const NAMESPACE_LABEL: &str = "helm.toolkit.fluxcd.io/namespace";

/// `stream` with both labels set on every object (documents with `apiVersion` and `kind`).
/// Documents that are empty, comment-only or not mappings pass through unchanged.
pub fn add_flux_labels(stream: &str, release: &str, namespace: &str) -> Result<String, String> {
    let mut output = String::with_capacity(stream.len() + 128);
    let mut document = String::new();
    let mut index = 0;
    for line in stream.split_inclusive('\n') {
        if is_separator(line) {
            index += 1;
            output.push_str(&label_document(&document, release, namespace, index)?);
            document.clear();
            output.push_str(line);
        } else {
            document.push_str(line);
        }
    }
    output.push_str(&label_document(&document, release, namespace, index + 1)?);
    Ok(output)
}

fn is_separator(line: &str) -> bool {
    let trimmed = line.trim_end();
    trimmed == "---"
        || trimmed
            .strip_prefix("---")
            .is_some_and(|rest| rest.starts_with([' ', '\t']) && rest.trim_start().starts_with('#'))
}

fn label_document(
    document: &str,
    release: &str,
    namespace: &str,
    index: usize,
) -> Result<String, String> {
    let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(document) else {
        return Ok(document.to_owned());
    };
    if value.get("apiVersion").is_none() || value.get("kind").is_none() {
        return Ok(document.to_owned());
    }
    let mut text = document.to_owned();
    for (label, label_value) in [(NAME_LABEL, release), (NAMESPACE_LABEL, namespace)] {
        let path = format!("metadata.labels.\"{label}\"");
        text = crate::yaml_edit::set_scalar(&text, &path, label_value, true).map_err(|err| {
            format!("rendered document {index}: cannot add label `{label}`: {}", err.message)
        })?;
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_inserted_and_nothing_else_changes() {
        let stream = "---\n# Source: demo/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n  labels:\n    app: demo # keep me\ndata:\n  key: \"value\"\n---\n# Source: demo/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: demo\nspec:\n  selector:\n    app: demo\n---\n# Source: demo/templates/empty.yaml\n";
        let labelled = add_flux_labels(stream, "demo", "tenant-a").unwrap();
        assert_eq!(
            labelled,
            "---\n# Source: demo/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n  labels:\n    app: demo # keep me\n    helm.toolkit.fluxcd.io/name: demo\n    helm.toolkit.fluxcd.io/namespace: tenant-a\ndata:\n  key: \"value\"\n---\n# Source: demo/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: demo\n  labels:\n    helm.toolkit.fluxcd.io/name: demo\n    helm.toolkit.fluxcd.io/namespace: tenant-a\nspec:\n  selector:\n    app: demo\n---\n# Source: demo/templates/empty.yaml\n"
        );
    }

    #[test]
    fn existing_labels_are_overwritten() {
        let stream = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    helm.toolkit.fluxcd.io/name: old\n";
        let labelled = add_flux_labels(stream, "new", "ns").unwrap();
        assert_eq!(
            labelled,
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    helm.toolkit.fluxcd.io/name: new\n    helm.toolkit.fluxcd.io/namespace: ns\n"
        );
    }
}
