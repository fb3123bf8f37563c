//! Builds chart archives and a chart repository directory (index.yaml + .tgz, real digests)
//! for a test HTTP server to serve.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use sha2::{Digest as _, Sha256};

/// A `.tgz` holding `<name>/Chart.yaml` plus `files` (paths relative to the chart directory).
pub fn chart_tgz(name: &str, version: &str, files: &[(&str, &str)]) -> Vec<u8> {
    let chart_yaml =
        format!("apiVersion: v2\nname: {name}\nversion: {version}\nappVersion: \"{version}\"\n");
    let mut all = vec![("Chart.yaml".to_owned(), chart_yaml)];
    all.extend(files.iter().map(|(path, text)| ((*path).to_owned(), (*text).to_owned())));
    let entries: Vec<(String, String)> =
        all.into_iter().map(|(path, text)| (format!("{name}/{path}"), text)).collect();
    tgz(&entries)
}

/// A `.tgz` of (path, contents) regular files, paths written as given (hostile ones too).
pub fn tgz(entries: &[(String, String)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::default(),
    ));
    for (path, text) in entries {
        let mut header = tar::Header::new_gnu();
        header.as_old_mut().name[..path.len()].copy_from_slice(path.as_bytes());
        header.set_entry_type(tar::EntryType::Regular);
        header.set_mode(0o644);
        header.set_size(text.len() as u64);
        header.set_cksum();
        builder.append(&header, text.as_bytes()).unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap()
}

/// Writes `<dir>/<name>-<version>.tgz` for each version and an index.yaml that lists them with
/// relative URLs and their sha256 digests.
pub fn publish(dir: &Path, name: &str, versions: &[&str]) {
    let mut index = format!("apiVersion: v1\nentries:\n  {name}:\n");
    for version in versions {
        let bytes = chart_tgz(
            name,
            version,
            &[
                (
                    "values.yaml",
                    &format!("image:\n  tag: v{version}\n# Used in iptables\nreplicas: 1\n"),
                ),
                ("templates/cm.yaml", "kind: ConfigMap\n"),
            ],
        );
        let file = format!("{name}-{version}.tgz");
        std::fs::File::create(dir.join(&file)).unwrap().write_all(&bytes).unwrap();
        let digest = format!("{:x}", Sha256::digest(&bytes));
        let _ = writeln!(
            index,
            "  - version: {version}
    urls: [{file}]
    digest: {digest}"
        );
    }
    index.push_str("generated: \"2026-01-01T00:00:00Z\"\n");
    std::fs::write(dir.join("index.yaml"), index).unwrap();
}
