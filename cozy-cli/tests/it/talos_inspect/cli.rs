//! `cozy talos inspect` through the real binary.

use cozy_test_doubles::oci::{self, Compression, Entry};
use cozy_test_doubles::{initramfs, installer, pe};

use super::{dir, file, fixture, whiteout};
use crate::support::Project;

/// A project holding `img.tar`, a gcr docker-archive of two layers.
fn project() -> Project {
    let image = fixture(
        "arm64",
        &[
            &[dir("etc"), file("etc/motd", "hello\n"), file("etc/old", "x")],
            &[
                dir("etc"),
                whiteout("etc/old"),
                Entry::Symlink { path: "etc/issue".into(), target: "motd".into() },
            ],
        ],
        Compression::Gzip,
    );
    let project = Project::new();
    std::fs::write(project.root().join("img.tar"), oci::docker_archive_gcr(&image, "x:1")).unwrap();
    project
}

#[test]
fn list_prints_the_merged_tree() {
    let out = project().cozy(["talos", "inspect", "docker-archive:img.tar", "--list"]);
    out.code(0);
    assert_eq!(out.stdout, "d 0 etc\nl 0 etc/issue\nf 6 etc/motd\n");
    assert_eq!(out.stderr, "");
}

#[test]
fn cat_prints_one_file_through_symlinks() {
    let out =
        project().cozy(["talos", "inspect", "docker-archive:img.tar:x:1", "--cat", "etc/issue"]);
    out.code(0);
    assert_eq!(out.stdout, "hello\n");

    let out = project().cozy(["talos", "inspect", "docker-archive:img.tar", "--cat", "etc/old"]);
    out.code(2);
    assert!(
        out.stderr.contains("`etc/old`") && out.stderr.contains("no such file"),
        "{}",
        out.stderr
    );
}

#[test]
fn config_prints_pretty_json() {
    let out = project().cozy(["talos", "inspect", "docker-archive:img.tar", "--config"]);
    out.code(0);
    let config = out.json();
    assert_eq!(config["architecture"], "arm64");
    assert_eq!(config["rootfs"]["diff_ids"].as_array().unwrap().len(), 2);
    assert!(out.stdout.starts_with("{\n  \"architecture\": \"arm64\",\n"), "{}", out.stdout);
}

#[test]
fn export_writes_a_tar_in_crane_order() {
    let out = project().cozy(["talos", "inspect", "docker-archive:img.tar", "--export"]);
    out.code(0);
    let mut archive = tar::Archive::new(out.stdout.as_bytes());
    let paths: Vec<String> = archive
        .entries()
        .unwrap()
        .map(|entry| String::from_utf8(entry.unwrap().path_bytes().into_owned()).unwrap())
        .collect();
    assert_eq!(paths, ["etc", "etc/issue", "etc/motd"]);
}

#[test]
fn bad_sources_fail_naming_the_input() {
    let out = project().cozy(["talos", "inspect", "img.tar", "--list"]);
    out.code(2);
    assert!(out.stderr.contains("image source `img.tar` has no transport"), "{}", out.stderr);

    let out = project().cozy(["talos", "inspect", "docker-archive:missing.tar", "--list"]);
    out.code(2);
    assert!(out.stderr.contains("`missing.tar`"), "{}", out.stderr);

    let out = project().cozy(["talos", "inspect", "oci:img.tar", "--list"]);
    out.code(2);
    assert!(out.stderr.contains("is not a directory"), "{}", out.stderr);
}

fn installer_project(arch: &str, machine: u16, drop: Option<&str>) -> Project {
    let kernel = pe::build(machine, &[(".text", b"kernel")], machine == pe::MACHINE_AMD64, false);
    let options = initramfs::Options { drop_extension: drop, ..Default::default() };
    let initramfs = initramfs::build(&["tailscale", "spin"], "v1.13.6", &options);
    let project = Project::new();
    let archive = installer::docker_archive(arch, "v1.13.6", &kernel, &initramfs);
    std::fs::write(project.root().join("installer-amd64.tar"), archive).unwrap();
    project
}

#[test]
fn talos_checks_a_good_installer() {
    let project = installer_project("amd64", pe::MACHINE_AMD64, None);
    let out = project.cozy(["talos", "inspect", "docker-archive:installer-amd64.tar", "--talos"]);
    out.code(0);
    assert_eq!(
        out.stdout,
        "arch: amd64\n\
         talos-version: v1.13.6\n\
         file: usr/install/amd64/systemd-boot.efi\n\
         file: usr/install/amd64/vmlinuz.efi\n\
         kernel-machine: 0x8664\n\
         extensions: tailscale, spin\n"
    );
}

#[test]
fn talos_reports_a_wrong_kernel_and_platform_as_findings() {
    let project = installer_project("amd64", pe::MACHINE_ARM64, None);
    let out = project.cozy(["talos", "inspect", "docker-archive:installer-amd64.tar", "--talos"]);
    out.code(1);
    assert!(
        out.stdout.contains(
            "finding: `usr/install/amd64/vmlinuz.efi section .linux`: PE Machine 0xaa64 (arm64), expected amd64"
        ),
        "{}",
        out.stdout
    );
    let out = project.cozy([
        "talos",
        "inspect",
        "docker-archive:installer-amd64.tar",
        "--platform",
        "linux/arm64",
        "--talos",
    ]);
    out.code(1);
    assert!(
        out.stdout.contains("finding: config `architecture` is `amd64`, expected `arm64`"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("finding: missing `usr/install/arm64/vmlinuz.efi`"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("finding: unexpected directory `usr/install/amd64`"),
        "{}",
        out.stdout
    );
}

#[test]
fn docker_sources_read_a_loopback_registry() {
    use crate::support::http_server::{HttpServer, Reply};
    let amd64 = fixture("amd64", &[&[file("arch", "amd64\n")]], Compression::Gzip);
    let arm64 = fixture("arm64", &[&[dir("etc"), file("etc/arch", "arm64\n")]], Compression::Zstd);
    let files = oci::layout_files(&[("linux/amd64", &amd64), ("linux/arm64", &arm64)], "v1");
    let index: serde_json::Value = serde_json::from_slice(&files["index.json"]).unwrap();
    let top = index["manifests"][0]["digest"].as_str().unwrap().to_owned();
    let server = HttpServer::handler(move |request| {
        let Some(rest) = request.path.strip_prefix("/v2/test/img/") else {
            return Reply::status(if request.path == "/v2/" { 200 } else { 404 });
        };
        let (kind, reference) = rest.split_once('/').unwrap();
        let digest = if reference == "v1" { top.as_str() } else { reference };
        let path = format!("blobs/sha256/{}", digest.trim_start_matches("sha256:"));
        match files.get(&path) {
            Some(bytes) if kind == "manifests" => {
                let json: serde_json::Value = serde_json::from_slice(bytes).unwrap();
                let media_type = json["mediaType"].as_str().unwrap().to_owned();
                Reply::status(200).header("Content-Type", &media_type).body(bytes.clone())
            }
            Some(bytes) => Reply::status(200).body(bytes.clone()),
            None => Reply::status(404),
        }
    });
    let source = format!("docker://{}/test/img:v1", server.url().trim_start_matches("http://"));
    let project = Project::new();
    let out = project.cozy(["talos", "inspect", &source, "--platform", "linux/arm64", "--list"]);
    out.code(0);
    assert_eq!(out.stdout, "d 0 etc\nf 6 etc/arch\n");
    let out = project.cozy(["talos", "inspect", &source, "--cat", "arch"]);
    out.code(0);
    assert_eq!(out.stdout, "amd64\n");
    assert!(
        server.requests().iter().any(|r| r.path.contains("/blobs/")),
        "blobs came from the server"
    );
}

#[test]
fn talos_checks_the_pre_1_10_layout_through_the_api() {
    let kernel = pe::build(pe::MACHINE_ARM64, &[(".text", b"kernel")], false, true);
    let initramfs = initramfs::build(&["drbd"], "v1.9.5", &initramfs::Options::default());
    let image = fixture(
        "arm64",
        &[&[
            dir("usr"),
            dir("usr/install"),
            dir("usr/install/arm64"),
            Entry::File { path: "usr/install/arm64/vmlinuz".into(), data: kernel, mode: 0o644 },
            Entry::File {
                path: "usr/install/arm64/initramfs.xz".into(),
                data: initramfs,
                mode: 0o644,
            },
            file("usr/install/arm64/extra", "?"),
        ]],
        Compression::Gzip,
    );
    let temp = tempfile::tempdir().unwrap();
    let path = super::write(temp.path(), "a.tar", &oci::docker_archive_gcr(&image, "x:1"));
    let image = super::open(&format!("docker-archive:{}", path.display()));
    let check = cozy::talos::installer::check(&image, Some("arm64"), Some("v1.9.5")).unwrap();
    assert_eq!(check.kernel_machine, Some(pe::MACHINE_ARM64));
    assert_eq!(check.extensions, Some(vec!["drbd".to_owned(), "modules.dep".to_owned()]));
    assert_eq!(
        check.findings,
        [
            "config label `alpha.talos.dev/version` is `v1.13.6`, expected `v1.9.5`",
            "unexpected file `usr/install/arm64/extra`",
        ]
    );
    assert_eq!(
        check.files,
        ["usr/install/arm64/extra", "usr/install/arm64/initramfs.xz", "usr/install/arm64/vmlinuz"]
    );
}
