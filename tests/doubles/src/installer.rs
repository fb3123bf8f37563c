//! Talos installer images as the imager writes them with `--tar-to-stdout` (spec 5.4, 7.2).
//!
//! Two layers, like `outInstaller` of Talos ≥ 1.10: the base installer's first layer
//! (`usr/bin/installer`, the `imager` symlink) and one gzip layer with the boot artifacts,
//! `usr/install/<arch>/systemd-boot.efi` and `usr/install/<arch>/vmlinuz.efi`, the latter a UKI
//! whose `.linux` section is the kernel and `.initrd` the initramfs. Stored as a
//! go-containerregistry docker-archive tagged `ghcr.io/siderolabs/installer:<version>`.

use serde_json::json;

use crate::oci::{Compression, Entry, Image, Layer, docker_archive_gcr};
use crate::pe::{self, MACHINE_AMD64, MACHINE_ARM64};

/// The docker-archive of an installer for `arch` (`amd64` or `arm64`; anything else is written
/// with the arm64 machine) holding `kernel` and `initramfs`.
#[must_use]
pub fn docker_archive(arch: &str, talos_version: &str, kernel: &[u8], initramfs: &[u8]) -> Vec<u8> {
    let image = image(arch, talos_version, kernel, initramfs);
    docker_archive_gcr(&image, &format!("ghcr.io/siderolabs/installer:{talos_version}"))
}

/// The installer as an [`Image`], for tests that store it another way.
#[must_use]
pub fn image(arch: &str, talos_version: &str, kernel: &[u8], initramfs: &[u8]) -> Image {
    let machine = machine_of(arch);
    let file = |path: &str, data: &[u8], mode: u32| Entry::File {
        path: path.to_owned(),
        data: data.to_vec(),
        mode,
    };
    let dir = |path: &str| Entry::Dir { path: path.to_owned() };

    let base = Layer::new(
        &[
            dir("usr"),
            dir("usr/bin"),
            file(
                "usr/bin/installer",
                format!("#!fake Talos installer {talos_version}\n").as_bytes(),
                0o755,
            ),
            Entry::Symlink { path: "usr/bin/imager".to_owned(), target: "installer".to_owned() },
        ],
        Compression::Gzip,
    );

    let os_release = format!("NAME=\"Talos\"\nID=talos\nVERSION_ID={talos_version}\n");
    let uki = pe::build(
        machine,
        &[
            (".osrel", os_release.as_bytes()),
            (".cmdline", b"talos.platform=metal console=ttyS0"),
            (".initrd", initramfs),
            (".linux", kernel),
        ],
        false,
        false,
    );
    let boot = pe::build(machine, &[(".text", b"fake systemd-boot")], false, false);
    let install = format!("usr/install/{arch}");
    let artifacts = Layer::new(
        &[
            dir("usr"),
            dir("usr/install"),
            dir(&install),
            file(&format!("{install}/systemd-boot.efi"), &boot, 0o644),
            file(&format!("{install}/vmlinuz.efi"), &uki, 0o644),
        ],
        Compression::Gzip,
    );

    let config = json!({
        "architecture": arch,
        "os": "linux",
        "config": {
            "Entrypoint": ["/usr/bin/installer"],
            "Labels": { "alpha.talos.dev/version": talos_version },
        },
    });
    Image { config, layers: vec![base, artifacts] }
}

fn machine_of(arch: &str) -> u16 {
    if arch == "amd64" { MACHINE_AMD64 } else { MACHINE_ARM64 }
}
