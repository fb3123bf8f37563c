//! The imager profile of one (arch, variant, kind): a pure function of the config and the lock,
//! string-exact (spec §3.3), never through a YAML serializer.

use crate::talos::config::{Arch, Config, Kind, Variant};
use crate::talos::lock::Lock;
use crate::talos::names;

/// Renders the profile bytes. Fails only when the lock lacks an extension the unit needs or
/// belongs to another Talos version.
pub fn profile(
    config: &Config,
    lock: &Lock,
    arch: Arch,
    variant: &Variant,
    kind: Kind,
) -> anyhow::Result<String> {
    check_version(config, lock)?;
    let refs = config
        .extensions_of(arch, variant)
        .iter()
        .map(|name| lock.extension(name).map(|entry| entry.reference.as_str()))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(profile_with(
        &config.build.profile_header,
        &lock.talos_version,
        &lock.installer,
        &refs,
        arch,
        kind,
        config.build.disk_size,
    ))
}

/// The lock must be for the configured Talos version.
pub fn check_version(config: &Config, lock: &Lock) -> anyhow::Result<()> {
    if lock.talos_version != config.talos.version {
        anyhow::bail!(
            "talos.lock is for Talos {} but talos.toml asks for {}; run `cozy talos update`",
            lock.talos_version,
            config.talos.version
        );
    }
    Ok(())
}

/// The template itself.
#[must_use]
pub fn profile_with(
    header: &[String],
    version: &str,
    installer: &str,
    extension_refs: &[&str],
    arch: Arch,
    kind: Kind,
    disk_size: u64,
) -> String {
    use std::fmt::Write as _;
    let fields = names::profile(kind);
    let mut out = String::new();
    for line in header {
        out.push_str(line);
        out.push('\n');
    }
    let _ = write!(
        out,
        "arch: {arch}\nplatform: {platform}\nsecureboot: false\nversion: {version}\ninput:\n  kernel:\n    path: /usr/install/{arch}/vmlinuz\n  initramfs:\n    path: /usr/install/{arch}/initramfs.xz\n  baseInstaller:\n    imageRef: \"{installer}\"\n",
        platform = fields.platform,
    );
    if extension_refs.is_empty() {
        out.push_str("  systemExtensions: []\n");
    } else {
        out.push_str("  systemExtensions:\n");
        for reference in extension_refs {
            let _ = writeln!(out, "    - imageRef: {reference}");
        }
    }
    let image_options = if fields.disk_image {
        format!("{{ diskSize: {disk_size}, diskFormat: raw }}")
    } else {
        "{}".to_owned()
    };
    let _ = write!(
        out,
        "output:\n  kind: {}\n  imageOptions: {image_options}\n  outFormat: {}\n",
        fields.output_kind, fields.out_format
    );
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use sha2::{Digest as _, Sha256};

    use super::*;
    use crate::talos::lock::LockedExtension;

    fn fixtures() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/talos")
    }

    /// A config and lock built from a checked-in upstream profile: the references of its
    /// `systemExtensions`, named by their repository basename.
    fn from_upstream(text: &str) -> (Config, Lock) {
        let version = text.lines().find_map(|l| l.strip_prefix("version: ")).unwrap().to_owned();
        let installer = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("imageRef: \""))
            .unwrap()
            .trim_end_matches('"')
            .to_owned();
        let refs: Vec<&str> =
            text.lines().filter_map(|l| l.strip_prefix("    - imageRef: ")).collect();
        let name_of = |r: &str| r.split(':').next().unwrap().rsplit('/').next().unwrap().to_owned();
        let names: Vec<String> = refs.iter().map(|r| name_of(r)).collect();
        let quoted = |list: &[String]| {
            list.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
        };
        let config = Config::parse(&format!(
            "schema = 1\n[talos]\nversion = \"{version}\"\n[extensions]\nfirmware = [{}]\nbase = [{}]\n[build]\narches = [\"amd64\"]\nkinds = [\"initramfs\", \"kernel\", \"iso\", \"installer\", \"nocloud\", \"metal\"]\ndisk_size = 1306525696\n[[variant]]\nname = \"default\"\n",
            quoted(&names[..7]),
            quoted(&names[7..]),
        ))
        .unwrap();
        let extension = refs
            .iter()
            .map(|r| {
                (name_of(r), LockedExtension { reference: (*r).to_owned(), platforms: vec![] })
            })
            .collect::<BTreeMap<_, _>>();
        let lock = Lock {
            schema: 1,
            talos_version: version.clone(),
            imager: format!("ghcr.io/siderolabs/imager:{version}"),
            installer,
            extensions_index: String::new(),
            image_digests_sha256: String::new(),
            extension,
        };
        (config, lock)
    }

    fn sha256(bytes: &[u8]) -> String {
        format!("{:x}", Sha256::digest(bytes))
    }

    #[test]
    fn fixtures_are_the_upstream_copies() {
        let origin = std::fs::read_to_string(fixtures().join("ORIGIN.md")).unwrap();
        let mut checked = 0;
        for line in origin.lines().filter(|l| l.len() > 66 && l.as_bytes()[64] == b' ') {
            let (hash, path) = line.split_once("  ").unwrap();
            let bytes = std::fs::read(fixtures().join(path)).unwrap();
            assert_eq!(sha256(&bytes), hash, "{path} changed");
            checked += 1;
        }
        assert_eq!(checked, 7);
    }

    #[test]
    fn amd64_default_reproduces_upstream_profiles_byte_for_byte() {
        for revision in ["profiles-25edc1f5", "profiles-16041736"] {
            let dir = fixtures().join(revision);
            let mut kinds = 0;
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let expected = std::fs::read_to_string(&path).unwrap();
                let kind = Kind::parse(path.file_stem().unwrap().to_str().unwrap()).unwrap();
                let (config, lock) = from_upstream(&expected);
                let variant = config.variant("default").unwrap();
                let rendered = profile(&config, &lock, Arch::Amd64, variant, kind).unwrap();
                assert_eq!(rendered, expected, "{revision}/{kind}");
                kinds += 1;
            }
            assert!(kinds >= 1);
        }
    }

    #[test]
    fn arm64_tailscale_spin_installer_matches_the_spec_example() {
        let expected =
            std::fs::read_to_string(fixtures().join("profiles-25edc1f5/installer.yaml")).unwrap();
        let (mut config, mut lock) = from_upstream(&expected);
        config.arch.insert(
            Arch::Arm64,
            crate::talos::config::ArchConfig {
                exclude: ["amd-ucode", "intel-ucode", "i915", "amdgpu"].map(String::from).to_vec(),
            },
        );
        config.variants.push(Variant {
            name: "tailscale-spin".into(),
            extra: vec!["spin".into(), "tailscale".into()],
            role: None,
            aliases: vec![],
            requires: vec![],
            kinds: None,
            arches: None,
        });
        for (name, tag) in [("spin", "v0.25.1"), ("tailscale", "1.98.5")] {
            lock.extension.insert(
                name.into(),
                LockedExtension {
                    reference: format!("ghcr.io/siderolabs/{name}:{tag}@sha256:{}", "e".repeat(64)),
                    platforms: vec![],
                },
            );
        }
        let variant = config.variant("tailscale-spin").unwrap();
        let rendered = profile(&config, &lock, Arch::Arm64, variant, Kind::Installer).unwrap();
        let names: Vec<&str> = rendered
            .lines()
            .filter_map(|l| l.strip_prefix("    - imageRef: ghcr.io/siderolabs/"))
            .map(|r| r.split(':').next().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "bnx2-bnx2x",
                "intel-ice-firmware",
                "qlogic-firmware",
                "drbd",
                "zfs",
                "spin",
                "tailscale"
            ]
        );
        assert!(rendered.starts_with("# this file generated by hack/gen-profiles.sh\n# do not edit it\narch: arm64\nplatform: metal\n"));
        assert!(rendered.contains("    path: /usr/install/arm64/vmlinuz\n"));
        assert!(
            rendered
                .ends_with("output:\n  kind: installer\n  imageOptions: {}\n  outFormat: raw\n")
        );
        assert!(
            !rendered.contains("  \n") && !rendered.contains("\n\n") && !rendered.contains(" \n")
        );
    }

    #[test]
    fn header_and_empty_lists_render_as_documented() {
        let text = profile_with(
            &["# one".to_owned()],
            "v1.13.6",
            "inst:v1",
            &[],
            Arch::Amd64,
            Kind::Nocloud,
            42,
        );
        assert_eq!(
            text,
            "# one\narch: amd64\nplatform: nocloud\nsecureboot: false\nversion: v1.13.6\ninput:\n  kernel:\n    path: /usr/install/amd64/vmlinuz\n  initramfs:\n    path: /usr/install/amd64/initramfs.xz\n  baseInstaller:\n    imageRef: \"inst:v1\"\n  systemExtensions: []\noutput:\n  kind: image\n  imageOptions: { diskSize: 42, diskFormat: raw }\n  outFormat: .xz\n"
        );
    }

    #[test]
    fn a_lock_for_another_version_or_without_an_entry_is_refused() {
        let expected =
            std::fs::read_to_string(fixtures().join("profiles-25edc1f5/kernel.yaml")).unwrap();
        let (config, mut lock) = from_upstream(&expected);
        let variant = config.variant("default").unwrap();
        lock.extension.remove("zfs");
        let err = profile(&config, &lock, Arch::Amd64, variant, Kind::Kernel).unwrap_err();
        assert!(err.to_string().contains("no entry for extension `zfs`"));
        lock.talos_version = "v1.0.0".into();
        let err = profile(&config, &lock, Arch::Amd64, variant, Kind::Kernel).unwrap_err();
        assert!(err.to_string().contains("run `cozy talos update`"));
    }
}
