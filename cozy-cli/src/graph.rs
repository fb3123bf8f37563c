//! The dependency graph between packages (lifecycle.md §13): package P depends on D when
//! `P/charts/<x>` is a symlink into D, when a `file://` dependency in P's Chart.yaml resolves
//! into D, or when one of P's `[deps] inputs` globs points into D.

use std::path::{Component, Path, PathBuf};

use crate::workspace::Workspace;

/// Edges between packages, by index into [`Workspace::packages`].
#[derive(Debug)]
pub struct Graph {
    // Invariant: each list sorted, no duplicates, no self-edges.
    dependencies: Vec<Vec<usize>>,
    dependents: Vec<Vec<usize>>,
}

impl Graph {
    /// Builds the graph of `workspace`.
    #[must_use]
    pub fn build(workspace: &Workspace) -> Graph {
        let count = workspace.packages().len();
        let mut dependencies = vec![Vec::new(); count];
        for (index, package) in workspace.packages().iter().enumerate() {
            let mut targets: Vec<PathBuf> = Vec::new();
            if let Ok(entries) = std::fs::read_dir(package.dir.join("charts")) {
                for entry in entries.flatten() {
                    if entry.file_type().is_ok_and(|kind| kind.is_symlink())
                        && let Ok(target) = entry.path().canonicalize()
                    {
                        targets.push(target);
                    }
                }
            }
            if let Ok(chart) = &package.chart {
                for dependency in chart.file_dependencies() {
                    let joined = package.dir.join(dependency);
                    targets.push(joined.canonicalize().unwrap_or_else(|_| normalize(&joined)));
                }
            }
            for input in package.manifest.dep_inputs() {
                targets.push(normalize(&package.dir.join(literal_prefix(input))));
            }
            let deps = &mut dependencies[index];
            for target in targets {
                let found =
                    workspace.relative(&target).and_then(|rel| workspace.package_containing(&rel));
                if let Some(found) = found.filter(|&found| found != index) {
                    deps.push(found);
                }
            }
            deps.sort_unstable();
            deps.dedup();
        }
        let mut dependents = vec![Vec::new(); count];
        for (index, deps) in dependencies.iter().enumerate() {
            for &dep in deps {
                dependents[dep].push(index);
            }
        }
        Graph { dependencies, dependents }
    }

    /// The packages `index` depends on directly.
    #[must_use]
    pub fn dependencies(&self, index: usize) -> &[usize] {
        &self.dependencies[index]
    }

    /// `selected` plus every package that depends on one of them, transitively.
    #[must_use]
    pub fn with_dependents(&self, selected: &[bool]) -> Vec<bool> {
        let mut result = selected.to_vec();
        let mut stack: Vec<usize> = (0..selected.len()).filter(|&index| selected[index]).collect();
        while let Some(index) = stack.pop() {
            for &dependent in &self.dependents[index] {
                if !result[dependent] {
                    result[dependent] = true;
                    stack.push(dependent);
                }
            }
        }
        result
    }
}

/// The part of a glob before its first path component with a glob character.
fn literal_prefix(glob: &str) -> PathBuf {
    glob.split('/').take_while(|part| !part.contains(['*', '?', '[', '{'])).collect()
}

/// Resolves `.` and `..` lexically (for paths that may not exist).
#[must_use]
pub fn normalize(path: &Path) -> PathBuf {
    let mut result = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                result.pop();
            }
            other => result.push(other.as_os_str()),
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_prefix_stops_at_globs() {
        assert_eq!(
            literal_prefix("../seaweedfs/values.yaml"),
            PathBuf::from("../seaweedfs/values.yaml")
        );
        assert_eq!(
            literal_prefix("../../system/etcd-operator-crds/templates/*.yaml"),
            PathBuf::from("../../system/etcd-operator-crds/templates")
        );
        assert_eq!(literal_prefix("**/*.tpl"), PathBuf::new());
    }

    #[test]
    fn normalize_resolves_parents() {
        assert_eq!(
            normalize(Path::new("/r/packages/apps/x/../../library/lib")),
            PathBuf::from("/r/packages/library/lib")
        );
    }
}
