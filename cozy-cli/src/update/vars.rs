//! `[vars]`: values read lazily from the (staged) package tree, and variables that earlier
//! steps stored with `as`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use regex::Regex;

use crate::chart::Chart;
use crate::manifest::{ChartField, VarSource};

/// Variable definitions plus values set while steps run.
#[derive(Debug, Default)]
pub struct Vars {
    definitions: BTreeMap<String, VarSource>,
    set: HashMap<String, String>,
}

impl Vars {
    /// Variables defined by a manifest's `[vars]`.
    #[must_use]
    pub fn new(definitions: BTreeMap<String, VarSource>) -> Vars {
        Vars { definitions, set: HashMap::new() }
    }

    /// Stores a value (`as = "name"` of a step); it wins over a definition.
    pub fn set(&mut self, name: &str, value: String) {
        self.set.insert(name.to_owned(), value);
    }

    /// The value of `name`, reading files under `root` now.
    pub fn get(&self, name: &str, root: &Path) -> Result<String, String> {
        if let Some(value) = self.set.get(name) {
            return Ok(value.clone());
        }
        let source =
            self.definitions.get(name).ok_or_else(|| format!("unknown variable `{name}`"))?;
        evaluate(source, root).map_err(|err| format!("variable `{name}`: {err}"))
    }
}

fn read(root: &Path, rel: &str) -> Result<String, String> {
    std::fs::read_to_string(root.join(rel)).map_err(|err| format!("cannot read `{rel}`: {err}"))
}

fn evaluate(source: &VarSource, root: &Path) -> Result<String, String> {
    match source {
        VarSource::Literal(value) => Ok(value.clone()),
        VarSource::Chart { chart, field } => {
            let rel = format!("{}/Chart.yaml", chart.trim_end_matches('/'));
            let parsed = Chart::parse(&read(root, &rel)?)
                .map_err(|err| crate::yaml_error::describe(&rel, &err))?;
            match field {
                ChartField::Version => Ok(parsed.version),
                ChartField::AppVersion => {
                    parsed.app_version.ok_or_else(|| format!("`{rel}` has no appVersion"))
                }
            }
        }
        VarSource::Yaml { yaml, path } => {
            let value: serde_yaml::Value = serde_yaml::from_str(&read(root, yaml)?)
                .map_err(|err| crate::yaml_error::describe(yaml, &err))?;
            let mut node = &value;
            for key in path.split('.') {
                node = node.get(key).ok_or_else(|| format!("`{yaml}` has no `{path}`"))?;
            }
            match node {
                serde_yaml::Value::String(text) => Ok(text.clone()),
                serde_yaml::Value::Number(number) => Ok(number.to_string()),
                serde_yaml::Value::Bool(flag) => Ok(flag.to_string()),
                _ => Err(format!("`{yaml}`: `{path}` is not a scalar")),
            }
        }
        VarSource::Dockerfile { dockerfile, arg } => dockerfile_arg(&read(root, dockerfile)?, arg)
            .ok_or_else(|| format!("`{dockerfile}` has no `ARG {arg}=…`")),
        VarSource::File { file, regex } => {
            let pattern = Regex::new(regex).map_err(|err| format!("invalid regex: {err}"))?;
            let text = read(root, file)?;
            let captures = pattern
                .captures(&text)
                .ok_or_else(|| format!("`{regex}` does not match `{file}`"))?;
            captures
                .get(1)
                .map(|group| group.as_str().to_owned())
                .ok_or_else(|| format!("`{regex}` has no capture group"))
        }
    }
}

/// The default of `ARG NAME=value` in a Dockerfile (quotes removed).
#[must_use]
pub fn dockerfile_arg(text: &str, arg: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let rest = line.trim_start().strip_prefix("ARG")?;
        let (name, value) = rest.trim().split_once('=')?;
        (name.trim() == arg).then(|| value.trim().trim_matches('"').to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_chart_yaml_dockerfile_and_regex() {
        let root = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let path = root.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            crate::fsx::write_atomic(&path, text.as_bytes()).unwrap();
        };
        write(
            "charts/cilium/Chart.yaml",
            "apiVersion: v2\nname: cilium\nversion: 1.16.3\nappVersion: 1.16.3\n",
        );
        write("images/Dockerfile", "ARG VERSION=v3.3.5\nFROM x:${VERSION}\n");
        write("values.yaml", "image:\n  tag: v1.2\n");
        let vars = Vars::new(BTreeMap::from([
            (
                "cilium".to_owned(),
                VarSource::Chart { chart: "charts/cilium".into(), field: ChartField::Version },
            ),
            (
                "redis".to_owned(),
                VarSource::Dockerfile {
                    dockerfile: "images/Dockerfile".into(),
                    arg: "VERSION".into(),
                },
            ),
            (
                "tag".to_owned(),
                VarSource::Yaml { yaml: "values.yaml".into(), path: "image.tag".into() },
            ),
            (
                "major".to_owned(),
                VarSource::File { file: "values.yaml".into(), regex: r"tag: v(\d+)".into() },
            ),
        ]));
        assert_eq!(vars.get("cilium", root.path()).unwrap(), "1.16.3");
        assert_eq!(vars.get("redis", root.path()).unwrap(), "v3.3.5");
        assert_eq!(vars.get("tag", root.path()).unwrap(), "v1.2");
        assert_eq!(vars.get("major", root.path()).unwrap(), "1");
        assert_eq!(vars.get("nope", root.path()).unwrap_err(), "unknown variable `nope`");
    }
}
