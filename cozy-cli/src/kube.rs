//! Reading from the cluster with kubectl: HelmReleases, the Secrets and ConfigMaps their
//! `valuesFrom` names, and the server's capabilities.

use serde_json::Value;

use crate::tool::{Runner, Tool};

/// The HelmRelease resource, fully qualified so another `hr` short name cannot shadow it.
pub const HELMRELEASE: &str = "helmreleases.helm.toolkit.fluxcd.io";

/// kubectl with the user's `--kubeconfig`/`--context`.
pub struct Kube<'r> {
    runner: &'r Runner,
    global: Vec<String>,
}

/// The server's version and API groups, for `helm template`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// `--kube-version`.
    pub kube_version: Option<String>,
    /// `--api-versions`, in order.
    pub api_versions: Vec<String>,
}

impl<'r> Kube<'r> {
    /// kubectl through `runner`, with optional kubeconfig and context.
    #[must_use]
    pub fn new(runner: &'r Runner, kubeconfig: Option<&str>, context: Option<&str>) -> Kube<'r> {
        let mut global = Vec::new();
        if let Some(kubeconfig) = kubeconfig {
            global.extend(["--kubeconfig".to_owned(), kubeconfig.to_owned()]);
        }
        if let Some(context) = context {
            global.extend(["--context".to_owned(), context.to_owned()]);
        }
        Kube { runner, global }
    }

    /// `kubectl get RESOURCE NAME -n NS -o json`; `None` when it does not exist.
    pub fn get(
        &self,
        resource: &str,
        name: &str,
        namespace: &str,
    ) -> anyhow::Result<Option<Value>> {
        let output = self
            .runner
            .cmd(Tool::Kubectl)
            .args(&self.global)
            .args(["get", resource, name, "--namespace", namespace, "--output", "json"])
            .output()?
            .ok_or_else(|| anyhow::anyhow!("kubectl get was skipped"))?;
        if output.status.success() {
            let value = serde_json::from_slice(&output.stdout).map_err(|err| {
                anyhow::anyhow!("`kubectl get {resource} {name}` printed invalid JSON: {err}")
            })?;
            return Ok(Some(value));
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        if stderr.contains("NotFound") || stderr.contains("not found") {
            return Ok(None);
        }
        anyhow::bail!(
            "`kubectl get {resource} {name} --namespace {namespace}` failed\n--- stderr\n{}",
            stderr.trim_end()
        )
    }

    /// The server version and API groups (`kubectl version`, `kubectl api-versions`).
    pub fn capabilities(&self) -> anyhow::Result<Capabilities> {
        let version = self
            .runner
            .cmd(Tool::Kubectl)
            .args(&self.global)
            .args(["version", "--output", "json"])
            .read()?;
        let version: Value = serde_json::from_str(&version)
            .map_err(|err| anyhow::anyhow!("`kubectl version` printed invalid JSON: {err}"))?;
        let kube_version = version["serverVersion"]["gitVersion"].as_str().map(str::to_owned);
        let api_versions =
            self.runner.cmd(Tool::Kubectl).args(&self.global).arg("api-versions").read()?;
        Ok(Capabilities {
            kube_version,
            api_versions: api_versions
                .lines()
                .map(str::to_owned)
                .filter(|line| !line.is_empty())
                .collect(),
        })
    }

    /// Suspends (`true`) or resumes (`false`) a HelmRelease with the merge patch Flux's own
    /// tooling uses.
    pub fn set_suspended(
        &self,
        name: &str,
        namespace: &str,
        suspended: bool,
    ) -> anyhow::Result<()> {
        let patch =
            if suspended { r#"{"spec":{"suspend":true}}"# } else { r#"{"spec":{"suspend":null}}"# };
        self.mutate(&[
            "patch",
            HELMRELEASE,
            name,
            "--namespace",
            namespace,
            "--type=merge",
            "--patch",
            patch,
            "--field-manager=flux-client-side-apply",
        ])
    }

    /// The current kube context (`--context`, else kubectl's current one).
    pub fn current_context(&self, explicit: Option<&str>) -> anyhow::Result<String> {
        if let Some(context) = explicit {
            return Ok(context.to_owned());
        }
        Ok(self
            .runner
            .cmd(Tool::Kubectl)
            .args(&self.global)
            .args(["config", "current-context"])
            .read()?
            .trim()
            .to_owned())
    }

    /// The runner kubectl (and other tools) start through.
    #[must_use]
    pub fn runner(&self) -> &'r Runner {
        self.runner
    }

    /// A kubectl call with the user's `--kubeconfig`/`--context` already in place.
    pub fn call(&self) -> crate::tool::Call<'r> {
        self.runner.cmd(Tool::Kubectl).args(&self.global)
    }

    /// Runs a kubectl command that changes the cluster (skipped and printed under `--dry-run`).
    pub fn mutate(&self, args: &[&str]) -> anyhow::Result<()> {
        self.runner.cmd(Tool::Kubectl).args(&self.global).args(args).mutates().read().map(|_| ())
    }
}

/// `group/version/Kind` entries from the table `kubectl api-resources -o wide` prints
/// (columns located by the header, since SHORTNAMES may be empty).
#[must_use]
pub fn resource_kinds(table: &str) -> Vec<String> {
    let mut lines = table.lines();
    let Some(header) = lines.next() else { return Vec::new() };
    let column = |name: &str| header.find(name);
    let (Some(api), Some(namespaced), Some(kind)) =
        (column("APIVERSION"), column("NAMESPACED"), column("KIND"))
    else {
        return Vec::new();
    };
    let kind_end = column("VERBS").unwrap_or(usize::MAX);
    let cell = |line: &str, start: usize, end: usize| -> String {
        let end = end.min(line.len());
        line.get(start..end).map(str::trim).unwrap_or_default().to_owned()
    };
    let mut kinds: Vec<String> = lines
        .filter(|line| !line.trim().is_empty())
        .filter_map(|line| {
            let (api_version, kind) = (cell(line, api, namespaced), cell(line, kind, kind_end));
            let kind = kind.split_whitespace().next().unwrap_or_default().to_owned();
            (!api_version.is_empty() && !kind.is_empty()).then(|| format!("{api_version}/{kind}"))
        })
        .collect();
    kinds.dedup();
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_the_wide_table() {
        let table = "NAME             SHORTNAMES   APIVERSION                NAMESPACED   KIND             VERBS                        CATEGORIES\nconfigmaps       cm           v1                        true         ConfigMap        create,delete,get            \nservicemonitors               monitoring.coreos.com/v1  true         ServiceMonitor   delete,get,list              all\n";
        assert_eq!(
            resource_kinds(table),
            ["v1/ConfigMap", "monitoring.coreos.com/v1/ServiceMonitor"]
        );
        assert!(resource_kinds("").is_empty());
    }
}
