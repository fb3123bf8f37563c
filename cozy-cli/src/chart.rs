//! The parts of a Helm `Chart.yaml` cozy reads.
//!
//! Pure: [`Chart::parse`] takes text. Unknown fields are allowed (Helm has many); the required
//! ones (`apiVersion`, `name`, `version`) must be present.

use serde::{Deserialize, Deserializer};

/// A parsed Chart.yaml.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Chart {
    /// `v1` or `v2`.
    #[serde(deserialize_with = "stringish")]
    pub api_version: String,
    /// Chart name.
    #[serde(deserialize_with = "stringish")]
    pub name: String,
    /// Chart version.
    #[serde(deserialize_with = "stringish")]
    pub version: String,
    /// Upstream application version.
    #[serde(default, deserialize_with = "opt_stringish")]
    pub app_version: Option<String>,
    /// `application` (default) or `library`.
    #[serde(default, rename = "type")]
    pub chart_type: Option<String>,
    /// One-line description.
    #[serde(default)]
    pub description: Option<String>,
    /// Subcharts.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub dependencies: Vec<Dependency>,
}

/// One entry of `dependencies`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Dependency {
    /// Subchart name.
    pub name: String,
    /// Version constraint.
    #[serde(default, deserialize_with = "opt_stringish")]
    pub version: Option<String>,
    /// Repository URL: `https://…`, `oci://…`, `file://…`, or an `@alias`.
    #[serde(default)]
    pub repository: Option<String>,
}

impl Chart {
    /// Parses Chart.yaml text.
    pub fn parse(text: &str) -> Result<Chart, serde_yaml::Error> {
        serde_yaml::from_str(text)
    }

    /// Whether `type: library`.
    #[must_use]
    pub fn is_library(&self) -> bool {
        self.chart_type.as_deref() == Some("library")
    }

    /// The local paths of `file://` dependencies, as written.
    pub fn file_dependencies(&self) -> impl Iterator<Item = &str> {
        self.dependencies
            .iter()
            .filter_map(|dep| dep.repository.as_deref()?.strip_prefix("file://"))
    }
}

/// Accepts a YAML string or a number or bool (`version: 1.0` is common) as a string.
fn stringish<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let value = serde_yaml::Value::deserialize(deserializer)?;
    scalar_to_string(value).ok_or_else(|| serde::de::Error::custom("expected a string"))
}

fn opt_stringish<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    match serde_yaml::Value::deserialize(deserializer)? {
        serde_yaml::Value::Null => Ok(None),
        value => scalar_to_string(value)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom("expected a string")),
    }
}

fn null_as_empty<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Dependency>, D::Error> {
    Ok(Option::<Vec<Dependency>>::deserialize(deserializer)?.unwrap_or_default())
}

fn scalar_to_string(value: serde_yaml::Value) -> Option<String> {
    match value {
        serde_yaml::Value::String(text) => Some(text),
        serde_yaml::Value::Number(number) => Some(number.to_string()),
        serde_yaml::Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dependencies_and_numbers() {
        let chart = Chart::parse(
            "apiVersion: v2\nname: redis\nversion: 1.0\nappVersion: 7\ndependencies:\n- name: cozy-lib\n  version: 0.1.0\n  repository: file://charts/cozy-lib\n- name: x\n  repository: https://example.invalid\n",
        )
        .unwrap();
        assert_eq!(chart.version, "1.0");
        assert_eq!(chart.app_version.as_deref(), Some("7"));
        assert_eq!(chart.file_dependencies().collect::<Vec<_>>(), ["charts/cozy-lib"]);
        assert!(!chart.is_library());
    }

    #[test]
    fn missing_version_is_an_error_with_position() {
        let err = Chart::parse("apiVersion: v2\nname: x\n").unwrap_err();
        assert_eq!(
            crate::yaml_error::describe("Chart.yaml", &err),
            "Chart.yaml:1:1: missing field `version`"
        );
    }

    #[test]
    fn invalid_yaml_has_position() {
        let err = Chart::parse("apiVersion: v2\nname: [x\nversion: 1\n").unwrap_err();
        let text = crate::yaml_error::describe("Chart.yaml", &err);
        assert!(text.starts_with("Chart.yaml:"), "{text}");
    }
}
