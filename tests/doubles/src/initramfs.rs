//! Talos-shaped initramfs images with system extensions (spec 5.6, 7.2).
//!
//! The layout is the one `pkg/imager/extensions` produces on Talos ≥ 1.8, as segments one after
//! the other, each padded with zeros to a multiple of 4 bytes:
//!
//! 1. only when `intel-ucode` or `amd-ucode` is listed: an uncompressed newc cpio holding
//!    `kernel/x86/microcode/GenuineIntel.bin` and/or `AuthenticAMD.bin`;
//! 2. zstd(newc cpio: `init`, `rootfs.sqsh`);
//! 3. zstd (xz with [`Options::xz_extensions`], as before Talos 1.8) of a newc cpio holding
//!    `0.sqsh`, `1.sqsh`, … and `extensions.yaml`, plus one more layer named `modules.dep` when
//!    `drbd` or `zfs` is listed (their kernel modules need a merged `modules.dep`).
//!
//! File contents are short fixed strings; only the structure is real.

use std::fmt::Write as _;

/// Variations of the layout.
#[derive(Clone, Debug, Default)]
pub struct Options<'a> {
    /// Compress the extensions segment with xz instead of zstd (Talos < 1.8).
    pub xz_extensions: bool,
    /// Leave this extension (a basename) out entirely, as if the imager lost it.
    pub drop_extension: Option<&'a str>,
}

/// An initramfs holding `extensions`, each a basename (`drbd`) or a basename with its version
/// (`drbd:9.3.2-v1.13.6`, the image tag); without a version the manifest says `0.0.0-fake`.
/// `talos_version` goes into each layer's compatibility and into `rootfs.sqsh`.
#[must_use]
pub fn build(extensions: &[&str], talos_version: &str, opts: &Options<'_>) -> Vec<u8> {
    let extensions: Vec<(&str, &str)> = extensions
        .iter()
        .map(|item| item.split_once(':').unwrap_or((item, "0.0.0-fake")))
        .filter(|(name, _)| opts.drop_extension != Some(*name))
        .collect();
    let names: Vec<&str> = extensions.iter().map(|(name, _)| *name).collect();
    let mut out = Vec::new();

    let mut microcode: Vec<(&str, &[u8])> = Vec::new();
    if names.contains(&"intel-ucode") {
        microcode.push(("kernel/x86/microcode/GenuineIntel.bin", b"fake intel microcode\n"));
    }
    if names.contains(&"amd-ucode") {
        microcode.push(("kernel/x86/microcode/AuthenticAMD.bin", b"fake amd microcode\n"));
    }
    if !microcode.is_empty() {
        let mut entries: Vec<(&str, &[u8])> =
            vec![("kernel/", b""), ("kernel/x86/", b""), ("kernel/x86/microcode/", b"")];
        entries.extend(microcode);
        push_segment(&mut out, &crate::cpio::newc(&entries));
    }

    let rootfs = format!("hsqs fake Talos {talos_version} rootfs\n");
    let base =
        crate::cpio::newc(&[("init", b"\x7fELF fake init\n"), ("rootfs.sqsh", rootfs.as_bytes())]);
    push_segment(&mut out, &zstd(&base));

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut yaml = String::from("layers:\n");
    let mut layer = |yaml: &mut String,
                     name: &str,
                     version: &str,
                     author: &str,
                     description: &str| {
        let image = format!("{}.sqsh", files.len());
        files.push((image.clone(), format!("hsqs fake extension {name} {version}\n").into_bytes()));
        let _ = write!(
            yaml,
            "    - image: {image}\n      metadata:\n        name: {name}\n        version: {version}\n        author: {author}\n        description: {description}\n        compatibility:\n            talos:\n                version: '>= {talos_version}'\n"
        );
    };
    for (name, version) in &extensions {
        layer(
            &mut yaml,
            name,
            version,
            "cozy test doubles",
            &format!("Fake {name} system extension"),
        );
    }
    if names.iter().any(|name| matches!(*name, "drbd" | "zfs")) {
        layer(
            &mut yaml,
            "modules.dep",
            "1.0.0",
            "Talos Machinery",
            "Combined modules.dep for all extensions",
        );
    }
    let mut entries: Vec<(&str, &[u8])> =
        files.iter().map(|(name, data)| (name.as_str(), data.as_slice())).collect();
    entries.push(("extensions.yaml", yaml.as_bytes()));
    let archive = crate::cpio::newc(&entries);
    let compressed = if opts.xz_extensions { xz(&archive) } else { zstd(&archive) };
    push_segment(&mut out, &compressed);
    out
}

/// One zstd frame of `data` (ruzstd's fastest level; deterministic).
#[must_use]
pub fn zstd(data: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
}

/// One xz stream of `data` (lzma-rs; deterministic).
#[must_use]
pub fn xz(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    lzma_rs::xz_compress(&mut &data[..], &mut out).expect("xz into memory cannot fail");
    out
}

fn push_segment(out: &mut Vec<u8>, segment: &[u8]) {
    out.extend_from_slice(segment);
    out.resize(out.len().next_multiple_of(4), 0);
}
