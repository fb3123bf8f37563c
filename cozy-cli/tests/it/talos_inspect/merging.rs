//! Flattening: crane's top-down first-wins walk, whiteouts, OCI opaque whiteouts, type changes,
//! hard links, export order.

use std::io::Read as _;

use cozy::talos::oci::archive::Image;
use cozy::talos::oci::flatten;
use cozy_test_doubles::oci::{self, Compression, Entry};

use super::{dir, file, fixture, listing, opaque, open, whiteout, write};

/// An image of `layers` (bottom first) as a gcr docker-archive in a temp dir.
fn image(layers: &[&[Entry]]) -> (tempfile::TempDir, Image) {
    let temp = tempfile::tempdir().unwrap();
    let bytes = oci::docker_archive_gcr(&fixture("amd64", layers, Compression::Gzip), "x:1");
    let path = write(temp.path(), "a.tar", &bytes);
    let image = open(&format!("docker-archive:{}", path.display()));
    (temp, image)
}

fn symlink(path: &str, target: &str) -> Entry {
    Entry::Symlink { path: path.into(), target: target.into() }
}

fn hardlink(path: &str, target: &str) -> Entry {
    Entry::Hardlink { path: path.into(), target: target.into() }
}

#[test]
fn listing_format_is_type_size_path_sorted() {
    let (_temp, image) = image(&[&[
        dir("etc"),
        file("etc/hosts", "127.0.0.1\n"),
        symlink("etc/localtime", "/usr/share/zoneinfo/UTC"),
        hardlink("etc/hosts2", "etc/hosts"),
        dir("bin"),
    ]]);
    assert_eq!(
        listing(&image),
        "d 0 bin\nd 0 etc\nf 10 etc/hosts\nh 0 etc/hosts2\nl 0 etc/localtime\n"
    );
}

#[test]
fn whiteouts_delete_files_and_directories_of_lower_layers() {
    let (_temp, image) = image(&[
        &[
            dir("a"),
            file("a/keep", "1"),
            file("a/gone", "2"),
            dir("d"),
            file("d/x", "3"),
            file("top", "4"),
        ],
        &[dir("a"), whiteout("a/gone"), whiteout("d"), whiteout("never-existed")],
    ]);
    assert_eq!(listing(&image), "d 0 a\nf 1 a/keep\nf 1 top\n");
}

#[test]
fn opaque_directories_hide_lower_contents_but_keep_their_own() {
    let (_temp, image) = image(&[
        &[dir("d"), file("d/old", "1"), dir("d/sub"), file("d/sub/deep", "2"), file("other", "3")],
        // The marker after a sibling: entries of its own layer stay, whatever the order.
        &[dir("d"), file("d/new", "4"), opaque("d")],
        &[dir("d"), file("d/newest", "5")],
    ]);
    assert_eq!(listing(&image), "d 0 d\nf 1 d/new\nf 1 d/newest\nf 1 other\n");
}

#[test]
fn a_file_replaces_a_directory_and_a_directory_replaces_a_file() {
    let (_temp, image) = image(&[
        &[dir("x"), file("x/inside", "1"), file("y", "2")],
        &[file("x", "file now"), dir("y"), file("y/inside", "3")],
    ]);
    assert_eq!(listing(&image), "f 8 x\nd 0 y\nf 1 y/inside\n");
    assert_eq!(flatten::cat(&image, "x").unwrap(), b"file now");
}

#[test]
fn delete_and_recreate_in_one_layer_drops_the_old_contents() {
    let (_temp, image) =
        image(&[&[dir("d"), file("d/old", "1")], &[dir("d"), file("d/new", "2"), whiteout("d")]]);
    assert_eq!(listing(&image), "d 0 d\nf 1 d/new\n");
}

#[test]
fn a_whiteout_under_a_recreated_directory_hides_what_is_below_it() {
    // crane would show d/old here: the whiteout in layer 1 meets `d` already seen as a
    // directory in layer 2. umoci and the OCI spec do not; neither does cozy.
    let (_temp, image) = image(&[
        &[dir("d"), file("d/old", "1")],
        &[whiteout("d")],
        &[dir("d"), file("d/new", "2")],
    ]);
    assert_eq!(listing(&image), "d 0 d\nf 1 d/new\n");
}

#[test]
fn a_file_under_a_directory_recreated_higher_up_still_hides_the_lower_tree() {
    // Layer 1 turned `c` into a file (dropping `c/a`), layer 2 made it a directory again.
    let (_temp, image) =
        image(&[&[dir("c"), file("c/a", "1")], &[file("c", "2")], &[dir("c"), file("c/b", "3")]]);
    assert_eq!(listing(&image), "d 0 c\nf 1 c/b\n");
}

#[test]
fn hard_links_read_their_target_as_seen_from_their_layer() {
    let (_temp, image) = image(&[
        &[file("a", "lower"), hardlink("link-low", "a")],
        &[file("a", "upper!"), file("b", "bee"), hardlink("link-up", "b")],
    ]);
    assert_eq!(listing(&image), "f 6 a\nf 3 b\nh 0 link-low\nh 0 link-up\n");
    let files = flatten::read_files(&image, &["link-low", "link-up", "a"]).unwrap();
    assert_eq!(files["link-low"], b"lower");
    assert_eq!(files["link-up"], b"bee");
    assert_eq!(files["a"], b"upper!");
}

#[test]
fn cat_follows_symlinks_and_reports_what_is_missing() {
    let (_temp, image) = image(&[&[
        dir("usr"),
        dir("usr/lib"),
        file("usr/lib/os-release", "ID=talos\n"),
        dir("etc"),
        symlink("etc/os-release", "../usr/lib/os-release"),
        symlink("lib", "usr/lib"),
        symlink("loop", "loop"),
    ]]);
    assert_eq!(flatten::cat(&image, "etc/os-release").unwrap(), b"ID=talos\n");
    assert_eq!(flatten::cat(&image, "/lib/os-release").unwrap(), b"ID=talos\n");
    let err = format!("{:#}", flatten::cat(&image, "etc/missing").unwrap_err());
    assert!(err.contains("`etc/missing`") && err.contains("no such file"), "{err}");
    let err = format!("{:#}", flatten::cat(&image, "usr/lib").unwrap_err());
    assert!(err.contains("not a regular file"), "{err}");
    let err = format!("{:#}", flatten::cat(&image, "loop").unwrap_err());
    assert!(err.contains("too many levels"), "{err}");
}

#[test]
fn export_is_top_layer_first_without_whiteouts() {
    let (_temp, image) = image(&[
        &[dir("d"), file("d/low", "1"), file("gone", "2"), file("kept", "lower")],
        &[file("kept", "upper"), whiteout("gone"), symlink("s", "kept")],
    ]);
    let mut tar = Vec::new();
    flatten::export(&image, &mut tar).unwrap();
    let mut archive = tar::Archive::new(tar.as_slice());
    let mut seen = Vec::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = String::from_utf8(entry.path_bytes().into_owned()).unwrap();
        let mut data = String::new();
        entry.read_to_string(&mut data).unwrap();
        let kind = entry.header().entry_type();
        let link = entry.link_name().unwrap().map(|l| l.display().to_string());
        seen.push(format!(
            "{kind:?} {path} {data}{}",
            link.map(|l| format!("-> {l}")).unwrap_or_default()
        ));
    }
    assert_eq!(
        seen,
        ["Regular kept upper", "Symlink s -> kept", "Directory d ", "Regular d/low 1"]
    );
}

/// An image whose only layer is exactly `tar` (gzip-stored), as a gcr docker-archive.
fn image_of_tar(tar: Vec<u8>) -> (tempfile::TempDir, Image) {
    let temp = tempfile::tempdir().unwrap();
    let mut fixture = fixture("amd64", &[&[]], Compression::Gzip);
    fixture.layers[0].tar = tar;
    let bytes = oci::docker_archive_gcr(&fixture, "x:1");
    let path = write(temp.path(), "a.tar", &bytes);
    let image = open(&format!("docker-archive:{}", path.display()));
    (temp, image)
}

/// A tar member header of `kind` named `name` declaring `size` bytes, followed by only
/// `present` bytes of data (the rest of the declared size is missing).
fn declared(kind: tar::EntryType, name: &str, size: u64, present: usize) -> Vec<u8> {
    let mut header = tar::Header::new_gnu();
    header.as_gnu_mut().unwrap().name[..name.len()].copy_from_slice(name.as_bytes());
    header.set_entry_type(kind);
    header.set_mode(0o644);
    header.set_size(size);
    header.set_cksum();
    let mut tar = header.as_bytes().to_vec();
    tar.extend(std::iter::repeat_n(b'a', present));
    tar
}

#[test]
fn huge_long_name_and_pax_entries_are_refused_before_they_are_read() {
    for (kind, what) in [
        (tar::EntryType::GNULongName, "GNU long name (`L`)"),
        (tar::EntryType::GNULongLink, "GNU long link (`K`)"),
        (tar::EntryType::XHeader, "PAX extended header (`x`)"),
    ] {
        let (_temp, image) = image_of_tar(declared(kind, "././@LongLink", 1 << 30, 4096));
        let err = format!("{:#}", flatten::merge(&image).unwrap_err());
        assert!(err.starts_with("layer 0 ("), "{err}");
        assert!(
            err.ends_with(&format!(
                "the {what} entry at offset 0 declares 1073741824 bytes, more than the 65536 allowed"
            )),
            "{err}"
        );
    }
    // A PAX `size` overrides the next header's: the check stays in step with the tar crate
    // and still sees the long name after that file.
    let record = b"12 size=512\n";
    let mut tar = declared(tar::EntryType::XHeader, "pax", record.len() as u64, 0);
    tar.extend_from_slice(record);
    tar.resize(1024, 0);
    tar.extend(declared(tar::EntryType::Regular, "f", 0, 512));
    tar.extend(declared(tar::EntryType::GNULongName, "././@LongLink", 1 << 30, 4096));
    let (_temp, image) = image_of_tar(tar);
    let err = format!("{:#}", flatten::merge(&image).unwrap_err());
    assert!(err.ends_with("the GNU long name (`L`) entry at offset 2048 declares 1073741824 bytes, more than the 65536 allowed"), "{err}");
    // Small ones are fine.
    let mut tar = Vec::new();
    let mut builder = tar::Builder::new(&mut tar);
    let long = format!("{}/file", "d".repeat(300));
    let mut header = tar::Header::new_gnu();
    header.set_size(3);
    header.set_mode(0o644);
    builder.append_data(&mut header, &long, &b"abc"[..]).unwrap();
    builder.finish().unwrap();
    drop(builder);
    let (_temp, image) = image_of_tar(tar);
    assert_eq!(flatten::cat(&image, &long).unwrap(), b"abc");
}

#[test]
fn files_too_large_to_capture_are_refused_before_reading() {
    let (_temp, image) =
        image_of_tar(declared(tar::EntryType::Regular, "usr/big", 600 << 20, 4096));
    let err = format!("{:#}", flatten::cat(&image, "usr/big").unwrap_err());
    assert!(
        err.ends_with(
            "layer 0: `usr/big`: its tar header declares 629145600 bytes, more than the 536870912 that may be read into memory"
        ),
        "{err}"
    );
}

#[test]
fn export_writes_nothing_when_a_layer_fails_its_digest() {
    let temp = tempfile::tempdir().unwrap();
    let fixture = fixture("amd64", &[&[file("low", "1")], &[file("top", "2")]], Compression::Gzip);
    let layout = temp.path().join("layout");
    oci::oci_layout(&layout, &[("linux/amd64", &fixture)], "v1");
    // The bottom layer's blob is swapped for another valid layer: only its digest tells.
    let blob = fixture.layers[0].blob();
    let name = oci::sha256(&blob);
    let forged = oci::Layer::new(&[file("evil", "3")], Compression::Gzip).blob();
    write(&layout.join("blobs/sha256"), name.trim_start_matches("sha256:"), &forged);
    let image = open(&format!("oci:{}:v1", layout.display()));
    let mut out = Vec::new();
    let err = format!("{:#}", flatten::export(&image, &mut out).unwrap_err());
    assert!(err.contains("layer 0"), "{err}");
    assert!(out.is_empty(), "{} bytes were exported before the check", out.len());
}

#[test]
fn an_empty_read_is_not_the_end_of_a_layer() {
    let fixture = fixture("amd64", &[&[file("a", "1")]], Compression::Gzip);
    let (_temp, image) = image(&[&[file("a", "1")]]);
    let mut reader = image.open_layer(0).unwrap();
    assert_eq!(std::io::Read::read(&mut reader, &mut []).unwrap(), 0);
    let mut tar = Vec::new();
    reader.read_to_end(&mut tar).unwrap();
    assert_eq!(tar, fixture.layers[0].tar);
}
