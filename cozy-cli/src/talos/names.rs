//! Per-kind profile fields, the imager's output names (spec §3.2) and where each artifact lives
//! in a unit directory (spec §4.4).

use crate::talos::config::{Arch, Kind};

/// The profile fields a kind fixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindProfile {
    /// `platform`.
    pub platform: &'static str,
    /// `output.kind`.
    pub output_kind: &'static str,
    /// Whether `imageOptions` carries the disk size and format (disk images).
    pub disk_image: bool,
    /// `output.outFormat`.
    pub out_format: &'static str,
}

/// The profile fields of `kind`.
#[must_use]
pub fn profile(kind: Kind) -> KindProfile {
    let (platform, output_kind) = match kind {
        Kind::Initramfs => ("metal", "initramfs"),
        Kind::Kernel => ("metal", "kernel"),
        Kind::Iso => ("metal", "iso"),
        Kind::Installer => ("metal", "installer"),
        Kind::Metal => ("metal", "image"),
        Kind::Nocloud => ("nocloud", "image"),
        Kind::Openstack => ("openstack", "image"),
    };
    let disk_image = kind.is_disk_image();
    KindProfile {
        platform,
        output_kind,
        disk_image,
        out_format: if disk_image { ".xz" } else { "raw" },
    }
}

/// The file the imager writes for a profile, following Talos's `Profile.OutputPath` and the
/// `outFormat` post-processing: `<platform>-<arch>[-secureboot]` plus `.iso` or `.raw`;
/// `installer-<arch>[-secureboot].tar`; `kernel-<arch>`; `initramfs-<platform>-<arch>[-secureboot].xz`;
/// then `.xz` appended for `outFormat: .xz`.
#[must_use]
pub fn output_name(kind: Kind, arch: Arch, secureboot: bool) -> String {
    let fields = profile(kind);
    let secure = if secureboot { "-secureboot" } else { "" };
    let base = format!("{}-{arch}{secure}", fields.platform);
    let name = match fields.output_kind {
        "initramfs" => format!("initramfs-{base}.xz"),
        "kernel" => format!("kernel-{arch}"),
        "iso" => format!("{base}.iso"),
        "installer" => format!("installer-{arch}{secure}.tar"),
        _ => format!("{base}.raw"),
    };
    match fields.out_format {
        ".xz" => format!("{name}.xz"),
        _ => name,
    }
}

/// Where a kind's artifact lives inside the unit directory, `/`-separated.
#[must_use]
pub fn unit_path(kind: Kind, arch: Arch) -> String {
    match kind {
        Kind::Kernel => "boot/vmlinuz".to_owned(),
        Kind::Initramfs => "boot/initramfs.xz".to_owned(),
        Kind::Installer => format!("installer/{}", output_name(kind, arch, false)),
        Kind::Iso | Kind::Metal | Kind::Nocloud | Kind::Openstack => {
            format!("images/{}", output_name(kind, arch, false))
        }
    }
}

/// The profile's path inside the unit directory.
#[must_use]
pub fn profile_path(kind: Kind) -> String {
    format!("profiles/{kind}.yaml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names_match_the_imager() {
        let table = [
            (Kind::Initramfs, "initramfs-metal-arm64.xz", "initramfs-metal-arm64-secureboot.xz"),
            (Kind::Kernel, "kernel-arm64", "kernel-arm64"),
            (Kind::Iso, "metal-arm64.iso", "metal-arm64-secureboot.iso"),
            (Kind::Installer, "installer-arm64.tar", "installer-arm64-secureboot.tar"),
            (Kind::Metal, "metal-arm64.raw.xz", "metal-arm64-secureboot.raw.xz"),
            (Kind::Nocloud, "nocloud-arm64.raw.xz", "nocloud-arm64-secureboot.raw.xz"),
            (Kind::Openstack, "openstack-arm64.raw.xz", "openstack-arm64-secureboot.raw.xz"),
        ];
        for (kind, plain, secure) in table {
            assert_eq!(output_name(kind, Arch::Arm64, false), plain);
            assert_eq!(output_name(kind, Arch::Arm64, true), secure);
        }
        assert_eq!(output_name(Kind::Installer, Arch::Amd64, false), "installer-amd64.tar");
    }

    #[test]
    fn unit_paths_follow_the_layout() {
        assert_eq!(unit_path(Kind::Kernel, Arch::Amd64), "boot/vmlinuz");
        assert_eq!(unit_path(Kind::Initramfs, Arch::Amd64), "boot/initramfs.xz");
        assert_eq!(unit_path(Kind::Installer, Arch::Arm64), "installer/installer-arm64.tar");
        assert_eq!(unit_path(Kind::Nocloud, Arch::Amd64), "images/nocloud-amd64.raw.xz");
        assert_eq!(profile_path(Kind::Iso), "profiles/iso.yaml");
    }
}
