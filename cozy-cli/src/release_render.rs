//! Rendering a package as a release with `helm template`: the target (release name and
//! namespace), the values composed from the HelmRelease like Flux does, a temporary chart copy
//! when valuesFiles replace the defaults, and the capabilities helm renders against.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use base64::Engine as _;
use serde_yaml::Value;

use crate::error::Failure;
use crate::kube::{Capabilities, HELMRELEASE, Kube};
use crate::manifest::ReleaseMode;
use crate::release::Identity;
use crate::render::values;
use crate::tool::{Runner, Tool};
use crate::workspace::Package;

/// The release a command acts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Release (and HelmRelease) name.
    pub name: String,
    /// Namespace.
    pub namespace: String,
}

/// The target of `package`: `--name/--namespace` override its identity; apps need both.
pub fn target(
    package: &Package,
    identity: &Identity,
    args: &crate::cli::ReleaseArgs,
) -> anyhow::Result<Target> {
    if identity.mode == ReleaseMode::None {
        return Err(Failure::new(format!(
            "{}: not installable (`[release] mode = \"none\"`); cluster verbs do not apply",
            package.rel
        ))
        .into());
    }
    let name = args.name.clone().or_else(|| identity.name.clone());
    let namespace = args.namespace.clone().or_else(|| identity.namespace.clone());
    match (name, namespace) {
        (Some(name), Some(namespace)) => Ok(Target { name, namespace }),
        _ => Err(Failure::new(format!("{}: no release name and namespace", package.rel))
            .hint("apps are instantiated per tenant: pass `--name NAME --namespace NAMESPACE`")
            .into()),
    }
}

/// Values for one render.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Replaces the chart's values.yaml (from the HelmRelease's valuesFiles).
    pub chart_defaults: Option<Value>,
    /// Passed to helm with `-f`.
    pub user: Value,
}

impl Inputs {
    /// The package's own defaults plus `extra` files: no HelmRelease (`--plain`, offline renders).
    #[must_use]
    pub fn plain(extra: Vec<Value>) -> Inputs {
        Inputs { chart_defaults: None, user: values::user_values(Vec::new(), None, extra) }
    }
}

/// Composes values from the HelmRelease `hr` (JSON from kubectl) as Flux does, then `extra`.
pub fn from_helmrelease(
    kube: &Kube<'_>,
    package: &Package,
    hr: &serde_json::Value,
    extra: Vec<Value>,
) -> anyhow::Result<Inputs> {
    let namespace = hr["metadata"]["namespace"].as_str().unwrap_or_default();
    let annotation = hr["metadata"]["annotations"]["cozyhr.cozystack.io/values-files"].as_str();
    let files: Vec<String> = match annotation {
        Some(list) => list
            .split(',')
            .map(str::trim)
            .filter(|file| !file.is_empty() && *file != "-")
            .map(str::to_owned)
            .collect(),
        None => hr["spec"]["chart"]["spec"]["valuesFiles"]
            .as_array()
            .map(|files| files.iter().filter_map(|file| file.as_str().map(str::to_owned)).collect())
            .unwrap_or_default(),
    };
    let mut parsed = Vec::new();
    for file in &files {
        let path = package.dir.join(file);
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "{}: values file `{file}` named by the HelmRelease is missing locally",
                package.rel
            )
        })?;
        parsed.push(parse_yaml(&text, &format!("{}/{file}", package.rel))?);
    }
    let mut from_refs = Vec::new();
    let mut targeted = Vec::new();
    for reference in hr["spec"]["valuesFrom"].as_array().into_iter().flatten() {
        match reference["targetPath"].as_str().filter(|path| !path.is_empty()) {
            Some(path) => {
                if let Some(value) = resolve_reference(kube, reference, namespace, true)? {
                    targeted.push((path.to_owned(), value));
                }
            }
            None => from_refs.push(resolve_reference(kube, reference, namespace, false)?),
        }
    }
    let spec_values = match &hr["spec"]["values"] {
        serde_json::Value::Null => None,
        json => Some(serde_yaml::to_value(json).context("HelmRelease spec.values")?),
    };
    let mut user =
        values::user_values(from_refs.into_iter().flatten().collect(), spec_values, extra);
    // Flux sets targetPath references last, so they beat even spec.values.
    for (path, value) in targeted {
        values::set_path(&mut user, &path, value)
            .map_err(|err| anyhow::anyhow!("valuesFrom targetPath `{path}`: {err}"))?;
    }
    Ok(Inputs { chart_defaults: values::chart_defaults(parsed), user })
}

/// The values a `valuesFrom` reference names: parsed YAML, or with `raw` (a `targetPath`
/// reference) the text as a Helm `--set` value.
fn resolve_reference(
    kube: &Kube<'_>,
    reference: &serde_json::Value,
    namespace: &str,
    raw: bool,
) -> anyhow::Result<Option<Value>> {
    let kind = reference["kind"].as_str().unwrap_or("");
    let name = reference["name"].as_str().unwrap_or("");
    let key = reference["valuesKey"].as_str().unwrap_or("values.yaml");
    let optional = reference["optional"].as_bool().unwrap_or(false);
    let resource = match kind {
        "Secret" => "secret",
        "ConfigMap" => "configmap",
        other => bail!("valuesFrom kind `{other}` is not a Secret or ConfigMap"),
    };
    let Some(object) = kube.get(resource, name, namespace)? else {
        if optional {
            return Ok(None);
        }
        bail!(
            "could not resolve {kind} chart values reference '{namespace}/{name}' with key '{key}': resource not found"
        );
    };
    let data = &object["data"][key];
    let Some(text) = data.as_str() else {
        if optional {
            return Ok(None);
        }
        bail!(
            "could not resolve {kind} chart values reference '{namespace}/{name}' with key '{key}': key not found"
        );
    };
    let text = if kind == "Secret" {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .with_context(|| format!("Secret `{namespace}/{name}` key `{key}` is not base64"))?;
        String::from_utf8(bytes)
            .with_context(|| format!("Secret `{namespace}/{name}` key `{key}` is not UTF-8"))?
    } else {
        text.to_owned()
    };
    if raw {
        return Ok(Some(values::set_value(&text)));
    }
    parse_yaml(&text, &format!("{kind} {namespace}/{name} key {key}")).map(Some)
}

/// What `helm template` needs beyond the values.
pub struct Request<'a> {
    /// Starts helm.
    pub runner: &'a Runner,
    /// The package.
    pub package: &'a Package,
    /// Release name and namespace.
    pub target: &'a Target,
    /// Values.
    pub inputs: &'a Inputs,
    /// Kube version and API versions.
    pub capabilities: &'a Capabilities,
    /// `--set` values.
    pub set: &'a [String],
    /// `--show-only` globs.
    pub show_only: &'a [String],
    /// Let `lookup` query the cluster (`--dry-run=server`).
    pub server_lookups: bool,
    /// Drop hooks (`--no-hooks`).
    pub no_hooks: bool,
    /// Include `crds/` (`--include-crds`).
    pub include_crds: bool,
}

/// A chart directory and values file ready for helm; temporary files live as long as this.
pub struct Prepared {
    _scratch: tempfile::TempDir,
    /// The chart: the package itself, or a copy whose values.yaml holds the composed defaults.
    pub chart_dir: PathBuf,
    /// The user values, for `--values`.
    pub values_file: PathBuf,
}

/// Writes what helm needs for `package` with `inputs`.
pub fn prepare(package: &Package, inputs: &Inputs) -> anyhow::Result<Prepared> {
    let scratch = tempfile::tempdir().context("cannot create a temporary directory")?;
    let chart_dir = match &inputs.chart_defaults {
        Some(defaults) => {
            let copy = scratch.path().join(&package.name);
            copy_dereferenced(&package.dir, &copy)?;
            let text = serde_yaml::to_string(defaults)
                .context("cannot write the composed chart defaults")?;
            crate::fsx::write_scratch(&copy.join("values.yaml"), text.as_bytes())?;
            copy
        }
        None => package.dir.clone(),
    };
    let values_file = scratch.path().join("values.cozy.yaml");
    crate::fsx::write_scratch(&values_file, serde_yaml::to_string(&inputs.user)?.as_bytes())?;
    Ok(Prepared { _scratch: scratch, chart_dir, values_file })
}

/// Runs `helm template` and returns the rendered stream.
pub fn helm_template(request: &Request<'_>) -> anyhow::Result<String> {
    let prepared = prepare(request.package, request.inputs)?;
    let (chart_dir, values_file) = (&prepared.chart_dir, &prepared.values_file);
    let mut call = request
        .runner
        .cmd(Tool::Helm)
        .args(["template", &request.target.name])
        .arg(chart_dir)
        .args(["--namespace", &request.target.namespace]);
    if request.no_hooks {
        call = call.arg("--no-hooks");
    }
    if request.include_crds {
        call = call.arg("--include-crds");
    }
    if request.server_lookups {
        call = call.arg("--dry-run=server");
    }
    if let Some(version) = &request.capabilities.kube_version {
        call = call.args(["--kube-version", version]);
    }
    for api in &request.capabilities.api_versions {
        call = call.args(["--api-versions", api]);
    }
    call = call.arg("--values").arg(values_file);
    for set in request.set {
        call = call.args(["--set", set]);
    }
    for glob in request.show_only {
        call = call.args(["--show-only", glob]);
    }
    call.read()
        .with_context(|| format!("{}: helm could not render the release", request.package.rel))
}

/// Copies a chart directory, following symlinks (so `charts/cozy-lib` is materialised, as the
/// in-cluster artifact does).
fn copy_dereferenced(from: &Path, to: &Path) -> anyhow::Result<()> {
    for entry in walkdir::WalkDir::new(from).follow_links(true) {
        let entry = entry.with_context(|| format!("cannot read `{}`", from.display()))?;
        let target: PathBuf =
            to.join(entry.path().strip_prefix(from).context("walkdir stays below its root")?);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)
                .with_context(|| format!("cannot create `{}`", target.display()))?;
        } else {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("cannot copy `{}`", entry.path().display()))?;
        }
    }
    Ok(())
}

fn parse_yaml(text: &str, what: &str) -> anyhow::Result<Value> {
    let value: Value = serde_yaml::from_str(text)
        .map_err(|err| Failure::new(crate::yaml_error::describe(what, &err)))?;
    Ok(if value.is_null() { Value::Mapping(serde_yaml::Mapping::new()) } else { value })
}

/// Fetches the HelmRelease of `target`; a missing one is an error with a hint.
pub fn helmrelease(kube: &Kube<'_>, target: &Target) -> anyhow::Result<serde_json::Value> {
    kube.get(HELMRELEASE, &target.name, &target.namespace)?.ok_or_else(|| {
        Failure::new(format!(
            "HelmRelease `{}/{}` (helm.toolkit.fluxcd.io) not found",
            target.namespace, target.name
        ))
        .hint("render from the package alone with `--plain`")
        .into()
    })
}
