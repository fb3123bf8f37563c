//! Archive and layout readers: every dialect opens to the same config and merged tree; digests,
//! names and limits are enforced.

use std::io::Read as _;

use cozy::talos::oci::archive::{Image, OpenOptions, Source};
use cozy_test_doubles::oci::{self, Compression, Image as Fixture, Layer};
use serde_json::json;

use super::{dir, file, fixture, listing, open, open_error, open_for, write};

fn two_layers(compression: Compression) -> Fixture {
    fixture(
        "amd64",
        &[
            &[dir("usr"), dir("usr/bin"), file("usr/bin/installer", "base")],
            &[
                dir("usr/install"),
                dir("usr/install/amd64"),
                file("usr/install/amd64/vmlinuz.efi", "uki"),
            ],
        ],
        compression,
    )
}

const TWO_LAYERS: &str = "\
d 0 usr
d 0 usr/bin
f 4 usr/bin/installer
d 0 usr/install
d 0 usr/install/amd64
f 3 usr/install/amd64/vmlinuz.efi
";

#[test]
fn sources_parse_in_skopeo_syntax() {
    let cases: &[(&str, Source)] = &[
        (
            "docker-archive:/tmp/a.tar",
            Source::DockerArchive { path: "/tmp/a.tar".into(), reference: None },
        ),
        (
            "docker-archive:a.tar:ghcr.io/siderolabs/installer:v1.13.6",
            Source::DockerArchive {
                path: "a.tar".into(),
                reference: Some("ghcr.io/siderolabs/installer:v1.13.6".into()),
            },
        ),
        (
            "oci-archive:x.tar:v1",
            Source::OciArchive { path: "x.tar".into(), reference: Some("v1".into()) },
        ),
        ("oci:dir", Source::Oci { dir: "dir".into(), reference: None }),
        ("oci:dir:@1", Source::Oci { dir: "dir".into(), reference: Some("@1".into()) }),
        ("docker://ghcr.io/a/b:t", Source::Docker { reference: "ghcr.io/a/b:t".into() }),
    ];
    for (text, expected) in cases {
        let parsed = Source::parse(text).unwrap();
        assert_eq!(&parsed, expected, "{text}");
        assert_eq!(parsed.to_string(), *text, "round trip of {text}");
    }
    for bad in ["installer.tar", "tarball:x.tar", "docker-archive:", "oci:dir:", "docker://"] {
        let err = Source::parse(bad).unwrap_err().to_string();
        assert!(err.contains(&format!("`{bad}`")), "error for `{bad}` does not name it: {err}");
    }
}

#[test]
fn gcr_docker_archive_with_gzip_zstd_and_plain_layers() {
    let temp = tempfile::tempdir().unwrap();
    for compression in [Compression::Gzip, Compression::Zstd, Compression::None] {
        let fixture = two_layers(compression);
        let bytes = oci::docker_archive_gcr(&fixture, "ghcr.io/siderolabs/installer:v1.13.6");
        let path = write(temp.path(), "installer.tar", &bytes);
        let image = open(&format!("docker-archive:{}", path.display()));
        assert_eq!(image.config_bytes(), fixture.config_bytes().as_slice());
        assert_eq!(image.config()["architecture"], "amd64");
        let diff_ids: Vec<String> = fixture.layers.iter().map(Layer::diff_id).collect();
        let read: Vec<String> = image.layers().iter().map(|l| l.diff_id.clone()).collect();
        assert_eq!(read, diff_ids);
        assert_eq!(listing(&image), TWO_LAYERS, "{compression:?}");
        // The reader yields the uncompressed tar, whatever the blob's compression.
        let mut tar = Vec::new();
        image.open_layer(1).unwrap().read_to_end(&mut tar).unwrap();
        assert_eq!(tar, fixture.layers[1].tar);
    }
}

#[test]
fn legacy_docker_archive_picks_by_normalized_tag() {
    let temp = tempfile::tempdir().unwrap();
    let path = write(
        temp.path(),
        "a.tar",
        &oci::docker_archive_legacy(&two_layers(Compression::Gzip), "busybox:1"),
    );
    for reference in ["", ":busybox:1", ":docker.io/library/busybox:1", ":@0"] {
        let image = open(&format!("docker-archive:{}{reference}", path.display()));
        assert_eq!(listing(&image), TWO_LAYERS, "reference `{reference}`");
    }
    let err = open_error(&format!("docker-archive:{}:busybox:2", path.display()));
    assert!(err.contains("no image tagged `busybox:2`"), "{err}");
    assert!(err.contains("`docker.io/library/busybox:1`"), "lists what is there: {err}");
}

#[test]
fn legacy_layer_paths_through_symlinks_are_followed_one_level() {
    let fixture = two_layers(Compression::None);
    let config = fixture.config_bytes();
    let config_name = format!("{}.json", hex(&oci::sha256(&config)));
    let mut members: Vec<(String, Vec<u8>, Option<String>)> =
        vec![(config_name.clone(), config, None)];
    let mut layer_paths = Vec::new();
    for (n, layer) in fixture.layers.iter().enumerate() {
        let blob = format!("{}.tar", hex(&layer.diff_id()));
        members.push((blob.clone(), layer.tar.clone(), None));
        members.push((format!("id{n}/layer.tar"), Vec::new(), Some(format!("../{blob}"))));
        layer_paths.push(format!("id{n}/layer.tar"));
    }
    let manifest = json!([{ "Config": config_name, "RepoTags": ["x:1"], "Layers": layer_paths }]);
    members.push(("manifest.json".into(), serde_json::to_vec(&manifest).unwrap(), None));
    let temp = tempfile::tempdir().unwrap();
    let path = write(temp.path(), "a.tar", &outer_tar(&members));
    assert_eq!(listing(&open(&format!("docker-archive:{}", path.display()))), TWO_LAYERS);

    // A link that climbs out of the archive is refused.
    members[2].2 = Some("../../outside.tar".into());
    let path = write(temp.path(), "b.tar", &outer_tar(&members));
    let err = open_error(&format!("docker-archive:{}", path.display()));
    assert!(err.contains("id0/layer.tar") && err.contains("leaves the archive"), "{err}");
}

#[test]
fn moby25_docker_archive() {
    let temp = tempfile::tempdir().unwrap();
    for compression in [Compression::None, Compression::Gzip] {
        let fixture = two_layers(compression);
        let path = write(temp.path(), "a.tar", &oci::docker_archive_moby25(&fixture, "x:1"));
        let image = open(&format!("docker-archive:{}:x:1", path.display()));
        assert_eq!(listing(&image), TWO_LAYERS);
        assert!(image.layers()[0].name.starts_with("blobs/sha256/"), "{:?}", image.layers()[0]);
    }
}

#[test]
fn oci_layout_and_archive_single_platform() {
    let temp = tempfile::tempdir().unwrap();
    let fixture = two_layers(Compression::Zstd);
    oci::oci_layout(&temp.path().join("layout"), &[("linux/amd64", &fixture)], "v1");
    let path = write(temp.path(), "a.tar", &oci::oci_archive(&[("linux/amd64", &fixture)], "v1"));
    for source in [
        format!("oci:{}", temp.path().join("layout").display()),
        format!("oci:{}:v1", temp.path().join("layout").display()),
        format!("oci-archive:{}", path.display()),
        format!("oci-archive:{}:v1", path.display()),
    ] {
        let image = open(&source);
        assert_eq!(listing(&image), TWO_LAYERS, "{source}");
        assert_eq!(image.config_bytes(), fixture.config_bytes().as_slice());
    }
    let err = open_error(&format!("oci-archive:{}:v2", path.display()));
    assert!(err.contains("no image named `v2`") && err.contains("`v1`"), "{err}");
}

#[test]
fn multi_platform_layouts_pick_the_platform() {
    let temp = tempfile::tempdir().unwrap();
    let amd64 = fixture("amd64", &[&[file("arch", "amd64")]], Compression::Gzip);
    let arm64 = fixture("arm64", &[&[file("arch", "arm64")]], Compression::Zstd);
    let images = [("linux/amd64", &amd64), ("linux/arm64", &arm64)];
    let layout = temp.path().join("layout");
    oci::oci_layout(&layout, &images, "v1");
    let archive = write(temp.path(), "a.tar", &oci::oci_archive(&images, "v1"));
    for source in
        [format!("oci:{}:v1", layout.display()), format!("oci-archive:{}", archive.display())]
    {
        let default = open(&source);
        assert_eq!(default.config()["architecture"], "amd64", "default platform is linux/amd64");
        let arm = open_for(&source, Some("linux/arm64"));
        assert_eq!(arm.config()["architecture"], "arm64");
        assert_eq!(cozy::talos::oci::flatten::cat(&arm, "arch").unwrap(), b"arm64");
        let options =
            OpenOptions { platform: Some("linux/riscv64".into()), ..OpenOptions::default() };
        let err =
            format!("{:#}", Image::open(&Source::parse(&source).unwrap(), &options).unwrap_err());
        assert!(err.contains("linux/riscv64") && err.contains("linux/arm64"), "{err}");
    }
}

#[test]
fn concatenated_zstd_frames_and_gzip_members_are_one_layer() {
    let tar = oci::layer_tar(&[dir("a"), file("a/x", &"x".repeat(3000)), file("a/y", "y")]);
    let (head, tail) = tar.split_at(1234);
    let zstd =
        [oci::compress(head, Compression::Zstd), oci::compress(tail, Compression::Zstd)].concat();
    let gzip =
        [oci::compress(head, Compression::Gzip), oci::compress(tail, Compression::Gzip)].concat();
    for blob in [zstd, gzip] {
        let temp = tempfile::tempdir().unwrap();
        let path = write(temp.path(), "a.tar", &hand_gcr(&tar, &blob, None));
        let image = open(&format!("docker-archive:{}", path.display()));
        assert_eq!(listing(&image), "d 0 a\nf 3000 a/x\nf 1 a/y\n");
    }
}

#[test]
fn a_blob_that_does_not_match_its_name_is_rejected_naming_the_layer() {
    let fixture = two_layers(Compression::None);
    let mut bytes = oci::docker_archive_gcr(&fixture, "x:1");
    // Flip a byte of the installer file's data inside the first (plain) layer member.
    let at = find(&bytes, b"base").expect("layer data is in the archive");
    bytes[at] = b'B';
    let temp = tempfile::tempdir().unwrap();
    let path = write(temp.path(), "a.tar", &bytes);
    let image = open(&format!("docker-archive:{}", path.display()));
    let err = format!("{:#}", cozy::talos::oci::flatten::merge(&image).unwrap_err());
    let name = format!("{}.tar.gz", hex(&oci::sha256(&fixture.layers[0].blob())));
    assert!(err.contains(&format!("layer 0 (`{name}`)")), "names the layer: {err}");
    assert!(err.contains("blob sha256 is"), "{err}");

    // The same in an OCI layout: the descriptor digest is checked.
    let layout = temp.path().join("layout");
    oci::oci_layout(&layout, &[("linux/amd64", &fixture)], "v1");
    let blob = oci::sha256(&fixture.layers[1].blob());
    let blob_path = layout.join("blobs/sha256").join(hex(&blob));
    let mut data = std::fs::read(&blob_path).unwrap();
    let at = find(&data, b"uki").unwrap();
    data[at] = b'U';
    std::fs::write(&blob_path, data).unwrap();
    let image = open(&format!("oci:{}", layout.display()));
    let err = format!("{:#}", cozy::talos::oci::flatten::merge(&image).unwrap_err());
    assert!(
        err.contains(&format!("layer 1 (`{blob}`)")) && err.contains("blob sha256 is"),
        "{err}"
    );
}

#[test]
fn a_layer_that_does_not_match_its_diff_id_is_rejected_naming_the_layer() {
    let tar = oci::layer_tar(&[file("a", "1")]);
    let other = oci::layer_tar(&[file("a", "2")]);
    let blob = oci::compress(&tar, Compression::Gzip);
    let temp = tempfile::tempdir().unwrap();
    let path = write(temp.path(), "a.tar", &hand_gcr(&tar, &blob, Some(&oci::sha256(&other))));
    let image = open(&format!("docker-archive:{}", path.display()));
    let err = format!("{:#}", cozy::talos::oci::flatten::merge(&image).unwrap_err());
    assert!(err.contains("layer 0 (`"), "{err}");
    assert!(err.contains("config.rootfs.diff_ids[0] says"), "{err}");
    assert!(err.contains(&oci::sha256(&other)), "{err}");
    // Reading the layer to its end reports the same.
    let mut sink = Vec::new();
    let err = image.open_layer(0).unwrap().read_to_end(&mut sink).unwrap_err().to_string();
    assert!(err.contains("diff_ids[0]"), "{err}");
}

#[test]
fn a_config_that_does_not_match_its_name_is_rejected() {
    let fixture = two_layers(Compression::Gzip);
    let mut bytes = oci::docker_archive_gcr(&fixture, "x:1");
    let at = find(&bytes, b"\"amd64\"").unwrap();
    bytes[at + 1] = b'A';
    let temp = tempfile::tempdir().unwrap();
    let path = write(temp.path(), "a.tar", &bytes);
    let err = open_error(&format!("docker-archive:{}", path.display()));
    assert!(
        err.contains(&oci::sha256(&fixture.config_bytes())) && err.contains("hashes to"),
        "{err}"
    );
}

#[test]
fn absolute_and_dotdot_member_names_are_rejected() {
    let temp = tempfile::tempdir().unwrap();
    for name in ["../evil", "a/../../evil", "/etc/passwd"] {
        let bytes = oci::tar_raw(&[(name, b"x"), ("manifest.json", b"[]")]);
        let path = write(temp.path(), "a.tar", &bytes);
        let err = open_error(&format!("docker-archive:{}", path.display()));
        assert!(err.contains(&format!("member `{name}`")), "names `{name}`: {err}");
        let err = open_error(&format!("oci-archive:{}", path.display()));
        assert!(err.contains(&format!("member `{name}`")), "names `{name}`: {err}");
    }
}

#[test]
fn layer_entries_with_dotdot_are_rejected_naming_layer_and_entry() {
    let layer = oci::tar_raw(&[("ok", b"1"), ("x/../../escape", b"2")]);
    let blob = oci::compress(&layer, Compression::Gzip);
    let temp = tempfile::tempdir().unwrap();
    let path = write(temp.path(), "a.tar", &hand_gcr(&layer, &blob, None));
    let image = open(&format!("docker-archive:{}", path.display()));
    let err = format!("{:#}", cozy::talos::oci::flatten::merge(&image).unwrap_err());
    assert!(err.contains("layer 0") && err.contains("`x/../../escape`"), "{err}");
}

#[test]
fn oversized_manifests_and_foreign_digests_are_rejected() {
    let temp = tempfile::tempdir().unwrap();
    let huge = format!("[{}]", " ".repeat(4 * 1024 * 1024));
    let path = write(temp.path(), "a.tar", &oci::tar_raw(&[("manifest.json", huge.as_bytes())]));
    let err = open_error(&format!("docker-archive:{}", path.display()));
    assert!(err.contains("manifest.json") && err.contains("4194304"), "{err}");

    let layout = temp.path().join("layout");
    std::fs::create_dir(&layout).unwrap();
    std::fs::write(layout.join("oci-layout"), oci::OCI_LAYOUT).unwrap();
    let index = json!({ "schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": "sha512:00", "size": 2 }] });
    std::fs::write(layout.join("index.json"), index.to_string()).unwrap();
    let err = open_error(&format!("oci:{}", layout.display()));
    assert!(err.contains("`sha512:00`") && err.contains("not supported"), "{err}");
    let index = json!({ "schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": "sha256:../../etc/passwd", "size": 2 }] });
    std::fs::write(layout.join("index.json"), index.to_string()).unwrap();
    let err = open_error(&format!("oci:{}", layout.display()));
    assert!(err.contains("is not a sha256 digest"), "{err}");
    std::fs::write(layout.join("oci-layout"), r#"{"imageLayoutVersion":"2.0.0"}"#).unwrap();
    let err = open_error(&format!("oci:{}", layout.display()));
    assert!(err.contains("imageLayoutVersion") && err.contains("1.0.0"), "{err}");
}

#[test]
fn opening_reads_no_layer_data_and_records_blob_sizes() {
    let fixture = two_layers(Compression::Gzip);
    let mut bytes = oci::docker_archive_gcr(&fixture, "x:1");
    // Break the second layer's gzip stream: opening still works, reading that layer does not.
    let blob = fixture.layers[1].blob();
    let at = find(&bytes, &blob).unwrap();
    bytes[at + blob.len() / 2] ^= 0xff;
    let temp = tempfile::tempdir().unwrap();
    let path = write(temp.path(), "a.tar", &bytes);
    let image = open(&format!("docker-archive:{}", path.display()));
    let sizes: Vec<Option<u64>> = image.layers().iter().map(|l| l.size).collect();
    let expected: Vec<Option<u64>> =
        fixture.layers.iter().map(|l| Some(l.blob().len() as u64)).collect();
    assert_eq!(sizes, expected);
    let mut tar = Vec::new();
    image.open_layer(0).unwrap().read_to_end(&mut tar).unwrap();
    assert_eq!(tar, fixture.layers[0].tar);
    let err = format!("{:#}", cozy::talos::oci::flatten::merge(&image).unwrap_err());
    assert!(err.contains("layer 1"), "{err}");
}

/// A gcr-style docker-archive of one layer, written by hand so the config's diff_id can lie.
fn hand_gcr(tar: &[u8], blob: &[u8], diff_id: Option<&str>) -> Vec<u8> {
    let diff_id = diff_id.map_or_else(|| oci::sha256(tar), str::to_owned);
    let config = serde_json::to_vec(&json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": { "type": "layers", "diff_ids": [diff_id] },
    }))
    .unwrap();
    let config_name = oci::sha256(&config);
    let layer_name = format!("{}.tar.gz", hex(&oci::sha256(blob)));
    let manifest = json!([{ "Config": config_name, "RepoTags": ["x:1"], "Layers": [layer_name] }]);
    outer_tar(&[
        (config_name, config, None),
        (layer_name, blob.to_vec(), None),
        ("manifest.json".into(), serde_json::to_vec(&manifest).unwrap(), None),
    ])
}

/// An outer tar of (name, data, symlink target) members.
fn outer_tar(members: &[(String, Vec<u8>, Option<String>)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, data, link) in members {
        let mut header = tar::Header::new_gnu();
        header.set_mode(0o644);
        header.set_mtime(0);
        if let Some(target) = link {
            header.set_entry_type(tar::EntryType::Symlink);
            header.set_size(0);
            builder.append_link(&mut header, name, target).unwrap();
        } else {
            header.set_entry_type(tar::EntryType::Regular);
            header.set_size(data.len() as u64);
            builder.append_data(&mut header, name, data.as_slice()).unwrap();
        }
    }
    builder.into_inner().unwrap()
}

fn hex(digest: &str) -> &str {
    digest.strip_prefix("sha256:").unwrap()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[test]
fn builders_are_deterministic() {
    let image = || two_layers(Compression::Gzip);
    assert_eq!(oci::docker_archive_gcr(&image(), "x:1"), oci::docker_archive_gcr(&image(), "x:1"));
    assert_eq!(
        oci::docker_archive_legacy(&image(), "x:1"),
        oci::docker_archive_legacy(&image(), "x:1")
    );
    assert_eq!(
        oci::docker_archive_moby25(&image(), "x:1"),
        oci::docker_archive_moby25(&image(), "x:1")
    );
    let (a, b) = (image(), two_layers(Compression::Zstd));
    let images = [("linux/amd64", &a), ("linux/arm64", &b)];
    assert_eq!(oci::oci_archive(&images, "v1"), oci::oci_archive(&images, "v1"));
}

#[test]
fn a_layouts_only_image_must_be_for_the_platform_asked_for() {
    let temp = tempfile::tempdir().unwrap();
    let arm64 = fixture("arm64", &[&[file("arch", "arm64")]], Compression::Gzip);
    let images = [("linux/arm64", &arm64)];
    let layout = temp.path().join("layout");
    oci::oci_layout(&layout, &images, "v1");
    let archive = write(temp.path(), "a.tar", &oci::oci_archive(&images, "v1"));
    for source in
        [format!("oci:{}:v1", layout.display()), format!("oci-archive:{}", archive.display())]
    {
        let options =
            OpenOptions { platform: Some("linux/amd64".into()), ..OpenOptions::default() };
        let err =
            format!("{:#}", Image::open(&Source::parse(&source).unwrap(), &options).unwrap_err());
        assert!(err.ends_with("its config is for linux/arm64, not for linux/amd64"), "{err}");
        assert_eq!(open_for(&source, Some("linux/arm64")).config()["architecture"], "arm64");
        assert_eq!(open(&source).config()["architecture"], "arm64", "no platform given: as is");
    }
}
