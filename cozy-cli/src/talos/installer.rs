//! What a Talos installer image must contain (spec 5.4), checked over an opened image.
//!
//! Pure: reads only the [`Image`] it is given (one pass over its layers). The config must say
//! `architecture`, `os: linux` and label `alpha.talos.dev/version`; `usr/install/` must hold
//! exactly `<arch>/systemd-boot.efi` and `<arch>/vmlinuz.efi` (Talos ≥ 1.10, a UKI) or
//! `<arch>/vmlinuz` and `<arch>/initramfs.xz` (older). The UKI's `.linux` section gets the
//! kernel-architecture check of 5.5 and its `.initrd` the initramfs parser of 5.6. Problems
//! are findings; only an image that cannot be read at all is an error.

use crate::talos::oci::archive::Image;
use crate::talos::oci::flatten::{self, Kind};
use crate::talos::{initramfs, pe};

/// Config label carrying the Talos version.
pub const VERSION_LABEL: &str = "alpha.talos.dev/version";

/// What the installer holds and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstallerCheck {
    /// `architecture` from the config (empty when absent).
    pub arch: String,
    /// The `alpha.talos.dev/version` label (empty when absent).
    pub talos_version: String,
    /// Every non-directory path under `usr/install/`, full paths, sorted.
    pub files: Vec<String>,
    /// COFF `Machine` of the kernel (the UKI's `.linux`, or `vmlinuz` before 1.10).
    pub kernel_machine: Option<u16>,
    /// `metadata.name` of every layer of `extensions.yaml` in the initramfs, in file order;
    /// `None` when there is no `extensions.yaml` (or no initramfs could be read).
    pub extensions: Option<Vec<String>>,
    /// Human-readable problems; empty when the installer is as expected.
    pub findings: Vec<String>,
}

/// Checks `image` as a Talos installer for `expected_arch` and `expected_version` (each taken
/// from the config when `None`).
///
/// # Errors
/// When the image's layers cannot be read (IO, digest mismatch, malformed tar).
pub fn check(
    image: &Image,
    expected_arch: Option<&str>,
    expected_version: Option<&str>,
) -> anyhow::Result<InstallerCheck> {
    let config = image.config();
    let text = |value: &serde_json::Value| value.as_str().unwrap_or_default().to_owned();
    let mut result = InstallerCheck {
        arch: text(&config["architecture"]),
        talos_version: text(&config["config"]["Labels"][VERSION_LABEL]),
        files: Vec::new(),
        kernel_machine: None,
        extensions: None,
        findings: Vec::new(),
    };
    check_config(&mut result, &text(&config["os"]), expected_arch, expected_version);

    let arch = expected_arch.unwrap_or(&result.arch).to_owned();
    if arch.is_empty() {
        // No architecture known: the file checks would only report `usr/install//…` noise.
        return Ok(result);
    }
    let dir = format!("usr/install/{arch}");
    let wanted: Vec<String> = ["systemd-boot.efi", "vmlinuz.efi", "vmlinuz", "initramfs.xz"]
        .iter()
        .map(|name| format!("{dir}/{name}"))
        .collect();
    let (merged, mut captured) = flatten::merge_capturing(image, &wanted)?;
    collect_files(&mut result, &merged, &arch, &wanted);

    let version = expected_version.unwrap_or(&result.talos_version).to_owned();
    let uki = if let Some(minor) = minor_version(&version) {
        minor >= (1, 10)
    } else {
        let uki = result.files.contains(&format!("{dir}/vmlinuz.efi"));
        if !version.is_empty() {
            let layout = if uki { "≥ 1.10 (UKI)" } else { "< 1.10" };
            result.findings.push(format!(
                "cannot read Talos version `{version}`; checking the {layout} layout"
            ));
        }
        uki
    };
    let names: &[&str] =
        if uki { &["systemd-boot.efi", "vmlinuz.efi"] } else { &["initramfs.xz", "vmlinuz"] };
    let expected: Vec<String> = names.iter().map(|name| format!("{dir}/{name}")).collect();
    for missing in expected.iter().filter(|path| !result.files.contains(path)) {
        result.findings.push(format!("missing `{missing}`"));
    }
    for extra in result.files.iter().filter(|path| !expected.contains(path)) {
        result.findings.push(format!("unexpected file `{extra}`"));
    }

    let mut take = |name: &str| {
        let path = format!("{dir}/{name}");
        captured.remove(&path).map(|bytes| (path, bytes))
    };
    if uki {
        if let Some((path, boot)) = take("systemd-boot.efi") {
            check_pe_arch(&mut result.findings, &path, &boot, &arch);
        }
        if let Some((path, uki_bytes)) = take("vmlinuz.efi") {
            check_uki(&mut result, &path, &uki_bytes, &arch);
        }
    } else {
        if let Some((path, kernel)) = take("vmlinuz") {
            result.kernel_machine = check_pe_arch(&mut result.findings, &path, &kernel, &arch);
        }
        if let Some((path, initrd)) = take("initramfs.xz") {
            check_initramfs(&mut result, &path, &initrd);
        }
    }
    Ok(result)
}

/// Config `architecture`, `os` and the version label.
fn check_config(
    result: &mut InstallerCheck,
    os: &str,
    expected_arch: Option<&str>,
    expected_version: Option<&str>,
) {
    let findings = &mut result.findings;
    match expected_arch {
        _ if result.arch.is_empty() => findings.push("config has no `architecture`".to_owned()),
        Some(expected) if expected != result.arch => findings
            .push(format!("config `architecture` is `{}`, expected `{expected}`", result.arch)),
        _ => {}
    }
    if os != "linux" {
        findings.push(format!("config `os` is `{os}`, expected `linux`"));
    }
    match expected_version {
        _ if result.talos_version.is_empty() => {
            findings.push(format!("config has no label `{VERSION_LABEL}`"));
        }
        Some(expected) if expected != result.talos_version => findings.push(format!(
            "config label `{VERSION_LABEL}` is `{}`, expected `{expected}`",
            result.talos_version
        )),
        _ => {}
    }
}

/// Records every non-directory under `usr/install/`; directories other than
/// `usr/install/<arch>` and wanted paths that are not regular files are findings.
fn collect_files(
    result: &mut InstallerCheck,
    merged: &flatten::Merged,
    arch: &str,
    wanted: &[String],
) {
    for entry in merged.entries() {
        let Some(rest) = entry.path.strip_prefix("usr/install/") else { continue };
        if entry.kind == Kind::Dir {
            if rest != arch {
                result.findings.push(format!("unexpected directory `{}`", entry.path));
            }
            continue;
        }
        result.files.push(entry.path.clone());
        if entry.kind != Kind::File && wanted.contains(&entry.path) {
            result.findings.push(format!(
                "`{}` is not a regular file (type `{}`)",
                entry.path,
                entry.kind.letter()
            ));
        }
    }
    result.files.sort();
}

/// The UKI: its own `Machine`, then `.linux` (5.5) and `.initrd` (5.6).
fn check_uki(result: &mut InstallerCheck, path: &str, bytes: &[u8], arch: &str) {
    let image = match pe::parse(bytes) {
        Ok(image) => image,
        Err(err) => {
            result.findings.push(format!("`{path}`: {err:#}"));
            return;
        }
    };
    if image.arch() != Some(arch) {
        result.findings.push(format!(
            "`{path}`: PE Machine {:#06x} ({}), expected {arch}",
            image.machine,
            image.arch().unwrap_or("unknown")
        ));
    }
    match image.section(bytes, ".linux") {
        Some(linux) => {
            result.kernel_machine =
                check_pe_arch(&mut result.findings, &format!("{path} section .linux"), linux, arch);
        }
        None => result.findings.push(format!("`{path}` has no `.linux` section")),
    }
    match image.section(bytes, ".initrd") {
        Some(initrd) => check_initramfs(result, &format!("{path} section .initrd"), initrd),
        None => result.findings.push(format!("`{path}` has no `.initrd` section")),
    }
}

/// The kernel-architecture check of 5.5; returns the `Machine` when the PE headers parse.
fn check_pe_arch(findings: &mut Vec<String>, what: &str, bytes: &[u8], arch: &str) -> Option<u16> {
    match pe::parse(bytes) {
        Ok(image) => {
            if image.arch() != Some(arch) {
                findings.push(format!(
                    "`{what}`: PE Machine {:#06x} ({}), expected {arch}",
                    image.machine,
                    image.arch().unwrap_or("unknown")
                ));
            }
            Some(image.machine)
        }
        Err(err) => {
            findings.push(format!("`{what}`: {err:#}"));
            None
        }
    }
}

/// The initramfs checks of 5.6 that need no unit: `init` and `rootfs.sqsh` present; records the
/// extension names.
fn check_initramfs(result: &mut InstallerCheck, what: &str, bytes: &[u8]) {
    match initramfs::inspect(bytes) {
        Ok(found) => {
            if !found.has_init {
                result.findings.push(format!("`{what}`: the initramfs has no `init`"));
            }
            if !found.has_rootfs {
                result.findings.push(format!("`{what}`: the initramfs has no `rootfs.sqsh`"));
            }
            result.extensions =
                found.extensions.map(|layers| layers.into_iter().map(|layer| layer.name).collect());
        }
        Err(err) => result.findings.push(format!("`{what}`: {err:#}")),
    }
}

/// `v1.13.6` → (1, 13); `None` when it does not start with `[v]MAJOR.MINOR`.
fn minor_version(version: &str) -> Option<(u64, u64)> {
    let mut parts = version.strip_prefix('v').unwrap_or(version).split('.');
    let major = parts.next()?.parse().ok()?;
    let minor: String = parts.next()?.chars().take_while(char::is_ascii_digit).collect();
    Some((major, minor.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::minor_version;

    #[test]
    fn versions_compare_on_major_and_minor() {
        assert_eq!(minor_version("v1.13.6"), Some((1, 13)));
        assert_eq!(minor_version("1.9.0"), Some((1, 9)));
        assert_eq!(minor_version("v1.10.0-alpha.1"), Some((1, 10)));
        assert_eq!(minor_version("latest"), None);
        assert_eq!(minor_version(""), None);
    }

    #[test]
    fn an_image_without_architecture_reports_only_that() {
        use cozy_test_doubles::oci::{self, Compression, Entry, Layer};
        let layer = oci::layer_tar(&[Entry::File {
            path: "usr/install/amd64/vmlinuz.efi".into(),
            data: b"x".to_vec(),
            mode: 0o644,
        }]);
        let image = oci::Image {
            config: serde_json::json!({"os": "linux", "config": {"Labels": {super::VERSION_LABEL: "v1.13.6"}}}),
            layers: vec![Layer { tar: layer, compression: Compression::Gzip }],
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("installer.tar");
        crate::fsx::write_atomic(
            &path,
            &oci::docker_archive_gcr(&image, "ghcr.io/siderolabs/installer:v1.13.6"),
        )
        .unwrap();
        let source = crate::talos::oci::archive::Source::DockerArchive { path, reference: None };
        let opened = crate::talos::oci::archive::Image::open(
            &source,
            &crate::talos::oci::archive::OpenOptions::default(),
        )
        .unwrap();
        let check = super::check(&opened, None, None).unwrap();
        assert_eq!(check.findings, ["config has no `architecture`"]);
        assert!(check.files.is_empty());
    }
}
