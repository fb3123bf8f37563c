//! Rendered manifests as objects, keyed the way helm-diff keys them:
//! `"<namespace>, <name>, <Kind> (<group, or v1 for core>)"` (lifecycle.md §12.1).
//!
//! The namespace defaults to the release namespace even for cluster-scoped kinds, the name
//! comes from the `helm-diff/base-name` annotation when present, `kind: List` is expanded, and
//! documents without `apiVersion` or `kind` are skipped. Pure.

use serde_yaml::Value;

/// One rendered object.
#[derive(Clone, Debug, PartialEq)]
pub struct Object {
    /// The helm-diff key.
    pub key: String,
    /// `kind`.
    pub kind: String,
    /// The parsed document.
    pub value: Value,
    /// Whether it is a Helm hook (`helm.sh/hook` annotation).
    pub hook: bool,
}

/// Splits a multi-document YAML stream on `---` lines (a `---` line may carry trailing spaces
/// or a comment). Documents keep their text, comments included.
#[must_use]
pub fn split_documents(stream: &str) -> Vec<&str> {
    let mut documents = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in stream.split_inclusive('\n') {
        let trimmed = line.trim_end();
        let is_separator = trimmed == "---"
            || trimmed.strip_prefix("---").is_some_and(|rest| {
                rest.starts_with([' ', '\t']) && rest.trim_start().starts_with('#')
            });
        if is_separator {
            documents.push(&stream[start..offset]);
            start = offset + line.len();
        }
        offset += line.len();
    }
    documents.push(&stream[start..]);
    documents
        .into_iter()
        .filter(|doc| {
            doc.lines().any(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
        })
        .collect()
}

/// Parses a rendered stream into objects; `namespace` is the release namespace.
pub fn parse(stream: &str, namespace: &str) -> Result<Vec<Object>, String> {
    let mut objects = Vec::new();
    for (index, document) in split_documents(stream).into_iter().enumerate() {
        let value: Value = serde_yaml::from_str(document)
            .map_err(|err| format!("rendered document {}: {err}", index + 1))?;
        collect(value, namespace, &mut objects);
    }
    let mut seen = std::collections::BTreeSet::new();
    for object in &objects {
        if !seen.insert(object.key.as_str()) {
            return Err(format!("two rendered objects have the key `{}`", object.key));
        }
    }
    Ok(objects)
}

fn collect(value: Value, namespace: &str, objects: &mut Vec<Object>) {
    let (Some(api_version), Some(kind)) =
        (str_at(&value, &["apiVersion"]), str_at(&value, &["kind"]))
    else {
        return;
    };
    let (api_version, kind) = (api_version.to_owned(), kind.to_owned());
    if kind == "List"
        && let Some(Value::Sequence(items)) = value.get("items")
    {
        for item in items.clone() {
            collect(item, namespace, objects);
        }
        return;
    }
    let name = str_at(&value, &["metadata", "annotations", "helm-diff/base-name"])
        .or_else(|| str_at(&value, &["metadata", "name"]))
        .unwrap_or("")
        .to_owned();
    let object_namespace =
        str_at(&value, &["metadata", "namespace"]).unwrap_or(namespace).to_owned();
    let group = match api_version.split_once('/') {
        Some((group, _)) => group.to_owned(),
        None => "v1".to_owned(),
    };
    let hook = str_at(&value, &["metadata", "annotations", "helm.sh/hook"]).is_some();
    objects.push(Object {
        key: format!("{object_namespace}, {name}, {kind} ({group})"),
        kind,
        value,
        hook,
    });
}

fn str_at<'v>(value: &'v Value, path: &[&str]) -> Option<&'v str> {
    let mut node = value;
    for key in path {
        node = node.get(*key)?;
    }
    node.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_like_helm_diff() {
        let stream = "---\n# Source: x/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: other\n--- # comment\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\n  annotations:\n    helm-diff/base-name: base\n---\n# only a comment\n---\nkind: NoApiVersion\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: s, annotations: {helm.sh/hook: pre-install}}\n";
        let objects = parse(stream, "tenant").unwrap();
        let keys: Vec<&str> = objects.iter().map(|object| object.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "tenant, a, ConfigMap (v1)",
                "other, d, Deployment (apps)",
                "tenant, base, ClusterRole (rbac.authorization.k8s.io)",
                "tenant, s, Secret (v1)"
            ]
        );
        assert!(objects[3].hook);
    }

    #[test]
    fn duplicates_are_an_error() {
        let stream = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n";
        assert_eq!(
            parse(stream, "ns").unwrap_err(),
            "two rendered objects have the key `ns, a, ConfigMap (v1)`"
        );
    }
}
