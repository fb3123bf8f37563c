//! The merged tree of `cozy talos inspect --list` equals what Debian's `umoci raw unpack
//! --rootless` extracts, for seeded random layer stacks with whiteouts, opaque directories,
//! type changes, symlinks and hard links (spec 7.3). Needs `umoci` (feature `test-real-tools`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use cozy_test_doubles::oci::{self, Compression, Entry, Image as Fixture, Layer};

use crate::support::{Project, real_tool};

#[test]
fn random_whiteout_stacks_flatten_like_umoci() {
    for seed in 1..=40u64 {
        let mut rng = SplitMix(seed);
        let layer_count = 2 + rng.below(4);
        // umoci 0.4.7 reads gzip and plain layers only (zstd is covered in `readers`).
        let compressions = [Compression::Gzip, Compression::None];
        let layers: Vec<Layer> = (0..layer_count)
            .map(|_| {
                let entries = random_layer(&mut rng);
                Layer::new(&entries, compressions[rng.below(2)])
            })
            .collect();
        let fixture = Fixture { config: super::config("amd64"), layers };
        assert_same_as_umoci(&fixture, &format!("seed {seed}"));
    }
}

#[test]
fn edge_cases_flatten_like_umoci() {
    use super::{dir, file, opaque, whiteout};
    let cases: &[(&str, &[&[Entry]])] = &[
        (
            "delete and recreate a directory in one layer",
            &[&[dir("d"), file("d/old", "1")], &[whiteout("d"), dir("d"), file("d/new", "2")]],
        ),
        (
            "whiteout below a directory recreated higher up",
            &[&[dir("d"), file("d/old", "1")], &[whiteout("d")], &[dir("d"), file("d/new", "2")]],
        ),
        (
            "a file replacing a directory, itself replaced by a directory",
            &[&[dir("c"), file("c/a", "1")], &[file("c", "2")], &[dir("c"), file("c/b", "3")]],
        ),
        (
            "opaque root-level directory with siblings",
            &[
                &[dir("d"), dir("d/e"), file("d/e/f", "1"), file("g", "2")],
                &[dir("d"), opaque("d"), file("d/h", "3")],
            ],
        ),
    ];
    for (name, layers) in cases {
        let fixture = super::fixture("amd64", layers, Compression::Gzip);
        assert_same_as_umoci(&fixture, name);
    }
}

/// Lists `fixture` with `cozy talos inspect --list` and unpacks it with umoci; the trees (types
/// and paths) must be equal.
#[track_caller]
fn assert_same_as_umoci(fixture: &Fixture, name: &str) {
    let project = Project::new();
    let layout = project.root().join("layout");
    oci::oci_layout(&layout, &[("linux/amd64", fixture)], "t");
    let out = project.cozy(["talos", "inspect", "oci:layout:t", "--list"]);
    out.code(0);
    let ours: BTreeSet<String> = out
        .stdout
        .lines()
        .map(|line| {
            let (kind, rest) = line.split_once(' ').unwrap();
            let (_, path) = rest.split_once(' ').unwrap();
            // A hard link is a regular file once extracted.
            format!("{} {path}", if kind == "h" { "f" } else { kind })
        })
        .collect();

    let rootfs = project.root().join("rootfs");
    unpack_with_umoci(&layout, &rootfs);
    let theirs = walk(&rootfs);
    assert_eq!(
        ours,
        theirs,
        "{name}: cozy (left) and umoci (right) disagree\nlayers:\n{}",
        describe(fixture)
    );
}

/// One layer: up to 8 operations over a small namespace, each kept only if it fits with the
/// layer's earlier ones (no path twice, parents are directories, whiteouts untouched otherwise).
fn random_layer(rng: &mut SplitMix) -> Vec<Entry> {
    let mut layer = LayerPlan::default();
    for _ in 0..=rng.below(8) {
        let path = random_path(rng);
        match rng.below(10) {
            0..=2 => {
                let data = format!("{path} {}", rng.below(1000));
                layer.add(&path, Planned::File(data));
            }
            3 | 4 => layer.add(&path, Planned::Dir),
            5 => layer.add(&path, Planned::Symlink(format!("target-{}", rng.below(3)))),
            6 => {
                if let Some(target) = layer.files().get(rng.below(8)).cloned() {
                    layer.add_hardlink(&path, &target);
                }
            }
            7 | 8 => layer.whiteout(&path),
            _ => layer.opaque(&path),
        }
    }
    layer.entries()
}

fn random_path(rng: &mut SplitMix) -> String {
    let depth = 1 + rng.below(3);
    (0..depth).map(|_| ["a", "b", "c"][rng.below(3)]).collect::<Vec<_>>().join("/")
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Planned {
    Dir,
    File(String),
    Symlink(String),
    Marker,
}

#[derive(Default)]
struct LayerPlan {
    entries: BTreeMap<String, Planned>,
    whiteouts: Vec<String>,
    hardlinks: Vec<(String, String)>,
}

impl LayerPlan {
    fn blocked(&self, path: &str) -> bool {
        self.whiteouts.iter().any(|w| path == w || path.starts_with(&format!("{w}/")))
            || self.hardlinks.iter().any(|(p, _)| path == p || path.starts_with(&format!("{p}/")))
    }

    /// Adds the parents of `path` as directories; false when one is already something else.
    fn parents(&mut self, path: &str) -> bool {
        let mut ok = true;
        let mut prefix = String::new();
        let parts: Vec<&str> = path.split('/').collect();
        for part in &parts[..parts.len() - 1] {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(part);
            if self.blocked(&prefix) {
                return false;
            }
            if self.entries.get(&prefix).is_some_and(|planned| *planned != Planned::Dir) {
                ok = false;
            }
        }
        if !ok {
            return false;
        }
        let mut prefix = String::new();
        for part in &parts[..parts.len() - 1] {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(part);
            self.entries.insert(prefix.clone(), Planned::Dir);
        }
        true
    }

    fn has_children(&self, path: &str) -> bool {
        let prefix = format!("{path}/");
        self.entries.keys().any(|key| key.starts_with(&prefix))
            || self.hardlinks.iter().any(|(p, _)| p.starts_with(&prefix))
    }

    fn add(&mut self, path: &str, planned: Planned) {
        if self.blocked(path) || self.entries.contains_key(path) {
            return;
        }
        if planned != Planned::Dir && self.has_children(path) {
            return;
        }
        if self.parents(path) {
            self.entries.insert(path.to_owned(), planned);
        }
    }

    fn add_hardlink(&mut self, path: &str, target: &str) {
        if self.blocked(path) || self.entries.contains_key(path) || self.has_children(path) {
            return;
        }
        if self.parents(path) {
            self.hardlinks.push((path.to_owned(), target.to_owned()));
        }
    }

    fn whiteout(&mut self, path: &str) {
        if self.blocked(path) || self.entries.contains_key(path) || self.has_children(path) {
            return;
        }
        if self.parents(path) {
            let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
            let marker =
                if dir.is_empty() { format!(".wh.{name}") } else { format!("{dir}/.wh.{name}") };
            self.entries.insert(marker, Planned::Marker);
            self.whiteouts.push(path.to_owned());
        }
    }

    fn opaque(&mut self, path: &str) {
        self.add(path, Planned::Dir);
        if self.entries.get(path) == Some(&Planned::Dir) {
            self.entries.insert(format!("{path}/.wh..wh..opq"), Planned::Marker);
        }
    }

    fn files(&self) -> Vec<String> {
        self.entries
            .iter()
            .filter(|(_, planned)| matches!(planned, Planned::File(_)))
            .map(|(path, _)| path.clone())
            .collect()
    }

    /// Sorted by path, so parents come first and markers (`.wh.` sorts before letters) lead
    /// their directory; hard links last, after their targets.
    fn entries(self) -> Vec<Entry> {
        let mut out = Vec::new();
        for (path, planned) in self.entries {
            out.push(match planned {
                Planned::Dir => Entry::Dir { path },
                Planned::File(data) => Entry::File { path, data: data.into_bytes(), mode: 0o644 },
                Planned::Symlink(target) => Entry::Symlink { path, target },
                Planned::Marker => Entry::File { path, data: Vec::new(), mode: 0o644 },
            });
        }
        for (path, target) in self.hardlinks {
            out.push(Entry::Hardlink { path, target });
        }
        out
    }
}

#[track_caller]
fn unpack_with_umoci(layout: &Path, rootfs: &Path) {
    let umoci = real_tool("umoci");
    let home = tempfile::tempdir().unwrap();
    let output = Command::new(umoci)
        .args(["raw", "unpack", "--rootless", "--image"])
        .arg(format!("{}:t", layout.display()))
        .arg(rootfs)
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", "/usr/bin:/bin")
        .output()
        .expect("run umoci (apt-get install umoci)");
    assert!(
        output.status.success(),
        "umoci raw unpack failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `TYPE PATH` of everything under `root`.
fn walk(root: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for entry in walkdir::WalkDir::new(root).min_depth(1) {
        let entry = entry.unwrap();
        let kind = entry.file_type();
        let letter = if kind.is_symlink() {
            "l"
        } else if kind.is_dir() {
            "d"
        } else if kind.is_file() {
            "f"
        } else {
            "?"
        };
        let path = entry.path().strip_prefix(root).unwrap().to_str().unwrap().to_owned();
        found.insert(format!("{letter} {path}"));
    }
    found
}

fn describe(fixture: &Fixture) -> String {
    let mut text = String::new();
    for (n, layer) in fixture.layers.iter().enumerate() {
        let _ = write!(text, "  layer {n}:");
        let mut archive = tar::Archive::new(layer.tar.as_slice());
        for entry in archive.entries().unwrap() {
            let entry = entry.unwrap();
            let path = String::from_utf8(entry.path_bytes().into_owned()).unwrap();
            let _ = write!(text, " {}{path}", char::from(entry.header().entry_type().as_byte()));
        }
        text.push('\n');
    }
    text
}

/// A small deterministic PRNG (SplitMix64), so each seed gives the same stack on every run.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        let n = u64::try_from(n).unwrap();
        usize::try_from(self.next() % n).unwrap()
    }
}
