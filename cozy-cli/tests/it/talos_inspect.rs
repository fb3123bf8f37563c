//! `cozy talos inspect` and the image readers and flattening behind it (spec 5.2, 5.3, 5.7).
//!
//! Fixtures are built in the test with `cozy_test_doubles::oci`; `readers` and `merging` call
//! the library, `cli` runs the real binary, `umoci_crosscheck` compares with Debian's umoci.

mod cli;
mod merging;
mod readers;
#[cfg(feature = "test-real-tools")]
mod umoci_crosscheck;

use std::path::{Path, PathBuf};

use cozy::talos::oci::archive::{Image, OpenOptions, Source};
use cozy::talos::oci::flatten;
use cozy_test_doubles::oci::{Compression, Entry, Image as Fixture, Layer};

/// A regular file entry, mode 0644.
pub fn file(path: &str, data: &str) -> Entry {
    Entry::File { path: path.to_owned(), data: data.as_bytes().to_vec(), mode: 0o644 }
}

/// A directory entry.
pub fn dir(path: &str) -> Entry {
    Entry::Dir { path: path.to_owned() }
}

/// A whiteout of `path`.
pub fn whiteout(path: &str) -> Entry {
    Entry::Whiteout { path: path.to_owned() }
}

/// An opaque marker in `dir`.
pub fn opaque(dir: &str) -> Entry {
    Entry::Opaque { dir: dir.to_owned() }
}

/// A config for `arch` with an entrypoint and a label, as an installer's.
pub fn config(arch: &str) -> serde_json::Value {
    serde_json::json!({
        "architecture": arch,
        "os": "linux",
        "config": { "Entrypoint": ["/usr/bin/installer"], "Labels": { "alpha.talos.dev/version": "v1.13.6" } },
    })
}

/// An image of `layers` (bottom first), every layer stored with `compression`.
pub fn fixture(arch: &str, layers: &[&[Entry]], compression: Compression) -> Fixture {
    Fixture {
        config: config(arch),
        layers: layers.iter().map(|entries| Layer::new(entries, compression)).collect(),
    }
}

/// Writes `bytes` to `dir/name` and returns the path.
#[track_caller]
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Opens `source` with the default options (linux/amd64).
#[track_caller]
pub fn open(source: &str) -> Image {
    open_for(source, None)
}

/// Opens `source` picking `platform` from indexes.
#[track_caller]
pub fn open_for(source: &str, platform: Option<&str>) -> Image {
    let options = OpenOptions { platform: platform.map(str::to_owned), ..OpenOptions::default() };
    Image::open(&Source::parse(source).unwrap(), &options)
        .unwrap_or_else(|err| panic!("cannot open `{source}`: {err:#}"))
}

/// The error of opening `source`, rendered with its causes.
#[track_caller]
pub fn open_error(source: &str) -> String {
    match Image::open(&Source::parse(source).unwrap(), &OpenOptions::default()) {
        Ok(_) => panic!("`{source}` opened, but an error was expected"),
        Err(err) => format!("{err:#}"),
    }
}

/// The `--list` text of an image.
#[track_caller]
pub fn listing(image: &Image) -> String {
    flatten::merge(image).unwrap_or_else(|err| panic!("merge failed: {err:#}")).listing()
}
