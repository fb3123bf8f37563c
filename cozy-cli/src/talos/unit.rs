//! One built unit (`<out>/assets/talos/<arch>/<variant>/`): its content checks (spec §5.4–5.6),
//! shared by `build` (which writes them into the report) and `verify` (which recomputes and
//! compares), and the whole-unit verification of §5.1.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufReader, Read as _, Seek as _, SeekFrom};
use std::path::Path;

use anyhow::Context as _;

use crate::talos::checksums;
use crate::talos::config::{Arch, Kind};
use crate::talos::names;
use crate::talos::report::Report;

/// What the content checks found: the `check[…]` lines in report order, and problems.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Checks {
    /// (name, value) in [`crate::talos::report::CHECK_ORDER`].
    pub lines: Vec<(String, String)>,
    /// Human-readable problems, each naming the file.
    pub findings: Vec<String>,
}

/// What a unit is expected to hold.
#[derive(Clone, Copy, Debug)]
pub struct Expected<'a> {
    /// The architecture.
    pub arch: Arch,
    /// The Talos version.
    pub talos_version: &'a str,
    /// The kinds built.
    pub kinds: &'a [Kind],
    /// The extension names, profile order.
    pub extensions: &'a [String],
}

const XZ_MAGIC: &[u8] = &[0xfd, b'7', b'z', b'X', b'Z', 0x00];
const ISO_MAGIC_OFFSET: u64 = 32769;

#[must_use]
/// Runs the content checks on the artifacts of `dir` (`deep`: also decompress disk images).
pub fn content_checks(dir: &Path, expected: Expected<'_>, deep: bool) -> Checks {
    let mut checks = Checks::default();
    let has = |kind: Kind| expected.kinds.contains(&kind);
    if has(Kind::Kernel) {
        let path = names::unit_path(Kind::Kernel, expected.arch);
        checks.record("kernel-arch", &path, kernel_arch(&dir.join(&path), expected.arch));
    }
    if has(Kind::Initramfs) {
        let path = names::unit_path(Kind::Initramfs, expected.arch);
        let result = File::open(dir.join(&path))
            .with_context(|| format!("cannot open {path}"))
            .and_then(|file| crate::talos::initramfs::inspect(BufReader::new(file)))
            .and_then(|found| initramfs_line(&found, expected.extensions));
        checks.record("initramfs-extensions", &path, result);
    }
    if has(Kind::Installer) {
        let path = names::unit_path(Kind::Installer, expected.arch);
        match installer(&dir.join(&path), expected) {
            Ok((line, extensions)) => {
                checks.record("installer", &path, Ok(line));
                if let Some(extensions) = extensions {
                    checks.record("installer-extensions", &path, extensions);
                }
            }
            Err(err) => checks.record("installer", &path, Err(err)),
        }
    }
    if has(Kind::Iso) {
        let path = names::unit_path(Kind::Iso, expected.arch);
        checks.record("iso", &path, iso(&dir.join(&path)));
    }
    let images: Vec<Kind> = expected.kinds.iter().copied().filter(|k| k.is_disk_image()).collect();
    if !images.is_empty() {
        let mut ok = Vec::new();
        let mut failed = None;
        for kind in images {
            let path = names::unit_path(kind, expected.arch);
            match disk_image(&dir.join(&path), deep) {
                Ok(()) => ok.push(names::output_name(kind, expected.arch, false)),
                Err(err) => {
                    failed = Some((path, err));
                    break;
                }
            }
        }
        match failed {
            None => checks.record("images", "", Ok(format!("xz {}", ok.join(",")))),
            Some((path, err)) => checks.record("images", &path, Err(err)),
        }
    }
    checks
}

impl Checks {
    fn record(&mut self, name: &str, path: &str, result: anyhow::Result<String>) {
        match result {
            Ok(value) => self.lines.push((name.to_owned(), format!("ok {value}"))),
            Err(err) => {
                let reason = format!("{err:#}");
                self.findings.push(format!("{path}: {reason}"));
                self.lines.push((name.to_owned(), format!("fail {}", reason.replace('\n', " "))));
            }
        }
    }
}

fn kernel_arch(path: &Path, arch: Arch) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).context("cannot read the kernel")?;
    let pe = crate::talos::pe::parse(&bytes)?;
    let found = pe.arch().unwrap_or("unknown");
    if found != arch.as_str() {
        anyhow::bail!(
            "the kernel is for {found} (pe-machine=0x{:04x}), but the unit is {arch}",
            pe.machine
        );
    }
    Ok(format!("{arch} pe-machine=0x{:04x}", pe.machine))
}

/// `ok` value for an extension list found inside an initramfs, or why it is wrong.
fn initramfs_line(
    found: &crate::talos::initramfs::Initramfs,
    expected: &[String],
) -> anyhow::Result<String> {
    if !found.has_init || !found.has_rootfs {
        anyhow::bail!("the base archive lacks `init` or `rootfs.sqsh`");
    }
    extension_line(
        found.extensions.as_ref().map(|list| list.iter().map(|e| e.name.clone()).collect()),
        expected,
    )
}

fn extension_line(found: Option<Vec<String>>, expected: &[String]) -> anyhow::Result<String> {
    let Some(found) = found else {
        if expected.is_empty() {
            return Ok("none".to_owned());
        }
        anyhow::bail!("no extensions.yaml, expected extensions {}", expected.join(","));
    };
    let modules = found.iter().any(|name| name == "modules.dep");
    let names: Vec<&String> = found.iter().filter(|name| *name != "modules.dep").collect();
    let found_set: BTreeSet<&str> = names.iter().map(|s| s.as_str()).collect();
    let expected_set: BTreeSet<&str> = expected.iter().map(String::as_str).collect();
    if found_set != expected_set {
        let missing: Vec<&str> = expected_set.difference(&found_set).copied().collect();
        let extra: Vec<&str> = found_set.difference(&expected_set).copied().collect();
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("missing extension {}", missing.join(",")));
        }
        if !extra.is_empty() {
            parts.push(format!("unexpected extension {}", extra.join(",")));
        }
        anyhow::bail!("{}", parts.join("; "));
    }
    let list: Vec<&str> = names.iter().map(|s| s.as_str()).collect();
    let list = if list.is_empty() { "none".to_owned() } else { list.join(",") };
    Ok(if modules { format!("{list} +modules.dep") } else { list })
}

type InstallerLines = (String, Option<anyhow::Result<String>>);

fn installer(path: &Path, expected: Expected<'_>) -> anyhow::Result<InstallerLines> {
    use crate::talos::oci::archive::{Image, OpenOptions, Source};
    let source = Source::DockerArchive { path: path.to_path_buf(), reference: None };
    let image = Image::open(&source, &OpenOptions::default())?;
    let check = crate::talos::installer::check(
        &image,
        Some(expected.arch.as_str()),
        Some(expected.talos_version),
    )?;
    if !check.findings.is_empty() {
        anyhow::bail!("{}", check.findings.join("; "));
    }
    let line = format!(
        "arch={} talos-version={} files={}",
        check.arch,
        check.talos_version,
        check.files.join(",")
    );
    let extensions = check.extensions.map(|names| extension_line(Some(names), expected.extensions));
    Ok((line, extensions))
}

fn iso(path: &Path) -> anyhow::Result<String> {
    let mut file = File::open(path).context("cannot open the ISO")?;
    let mut magic = [0u8; 5];
    file.seek(SeekFrom::Start(ISO_MAGIC_OFFSET))
        .and_then(|_| file.read_exact(&mut magic))
        .context("the file is too short for an ISO 9660 image")?;
    if &magic != b"CD001" {
        anyhow::bail!("no ISO 9660 signature `CD001` at byte {ISO_MAGIC_OFFSET}");
    }
    Ok("iso9660".to_owned())
}

fn disk_image(path: &Path, deep: bool) -> anyhow::Result<()> {
    let mut file = File::open(path).context("cannot open the disk image")?;
    let mut magic = [0u8; 6];
    file.read_exact(&mut magic).context("the file is too short for xz")?;
    if magic != XZ_MAGIC {
        anyhow::bail!("not an xz stream");
    }
    if deep {
        file.seek(SeekFrom::Start(0))?;
        lzma_rs::xz_decompress(&mut BufReader::new(file), &mut std::io::sink())
            .map_err(|err| anyhow::anyhow!("the xz stream is corrupt: {err}"))?;
    }
    Ok(())
}

/// What `cozy talos verify` checks beyond the content: options.
#[derive(Clone, Copy, Debug, Default)]
pub struct VerifyOptions {
    /// Decompress disk images.
    pub deep: bool,
}

/// Verifies one unit directory (spec §5.1); returns findings (empty = clean). An `Err` means
/// the unit could not be examined at all.
pub fn verify(dir: &Path, options: VerifyOptions) -> anyhow::Result<(Option<Report>, Vec<String>)> {
    let mut findings = Vec::new();
    let report_path = dir.join(checksums::REPORT);
    let report =
        match crate::fsx::read_to_string(&report_path).and_then(|text| Report::parse(&text)) {
            Ok(report) => report,
            Err(err) => {
                findings.push(format!("{}: {err:#}", checksums::REPORT));
                return Ok((None, findings));
            }
        };
    let arch = match Arch::parse(&report.arch) {
        Ok(arch) => arch,
        Err(err) => {
            findings.push(format!("{}: {err}", checksums::REPORT));
            return Ok((Some(report), findings));
        }
    };
    // 2. Exactly the expected regular files.
    let mut expected: BTreeMap<String, Option<Kind>> = BTreeMap::new();
    for &kind in &report.kinds {
        expected.insert(names::profile_path(kind), None);
        expected.insert(names::unit_path(kind, arch), Some(kind));
    }
    complete_report(&report, arch, dir, &mut findings);
    let present = scan_files(dir, &expected, &mut findings)?;
    let actual = check_sums(dir, &expected, &present, &mut findings);
    cross_check(&report, &expected, &actual, &mut findings);
    // 5. Content, against what the report says was built; only over regular files (a FIFO
    // would block, a symlink would be read through).
    let artifacts_present =
        report.kinds.iter().all(|&kind| present.contains(&names::unit_path(kind, arch)));
    if !artifacts_present {
        findings
            .push("content checks skipped: an artifact is missing or not a regular file".into());
        return Ok((Some(report), findings));
    }
    let names: Vec<String> = report.extensions.iter().map(|(name, _)| name.clone()).collect();
    let expected_content = Expected {
        arch,
        talos_version: &report.talos_version,
        kinds: &report.kinds,
        extensions: &names,
    };
    let checks = content_checks(dir, expected_content, options.deep);
    findings.extend(checks.findings.iter().cloned());
    if checks.findings.is_empty() && checks.lines != report.checks {
        findings.push(format!(
            "{}: its check lines differ from what the unit shows now",
            checksums::REPORT
        ));
    }
    Ok((Some(report), findings))
}

/// Step 2: the unit's regular files must be exactly the expected ones; returns what is there.
fn scan_files(
    dir: &Path,
    expected: &BTreeMap<String, Option<Kind>>,
    findings: &mut Vec<String>,
) -> anyhow::Result<BTreeSet<String>> {
    let mut present = BTreeSet::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot walk {}", dir.display()))?;
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        let file_type = entry.file_type();
        if file_type.is_dir() {
            continue;
        }
        if file_type.is_symlink() {
            findings.push(format!("{rel}: is a symlink; a unit holds regular files only"));
        } else if !file_type.is_file() {
            findings.push(format!("{rel}: is not a regular file"));
        } else {
            if rel != checksums::FILE && rel != checksums::REPORT && !expected.contains_key(&rel) {
                findings.push(format!("{rel}: unexpected file"));
            }
            present.insert(rel);
        }
    }
    for path in expected.keys() {
        if !present.contains(path) {
            findings.push(format!("{path}: missing"));
        }
    }
    if !present.contains(checksums::FILE) {
        findings.push(format!("{}: missing", checksums::FILE));
    }
    Ok(present)
}

/// Step 3: checksums.sha256 parses strictly, lists exactly the expected files, and every hash
/// matches; returns the actual (sha256, size) of every expected file present.
fn check_sums(
    dir: &Path,
    expected: &BTreeMap<String, Option<Kind>>,
    present: &BTreeSet<String>,
    findings: &mut Vec<String>,
) -> BTreeMap<String, (String, u64)> {
    let listed = crate::fsx::read_to_string(&dir.join(checksums::FILE))
        .and_then(|text| checksums::parse(&text));
    let mut actual: BTreeMap<String, (String, u64)> = BTreeMap::new();
    for path in expected.keys().filter(|path| present.contains(*path)) {
        match checksums::hash_file(&dir.join(path)) {
            Ok(hashed) => {
                actual.insert(path.clone(), hashed);
            }
            Err(err) => findings.push(format!("{path}: {err:#}")),
        }
    }
    match listed {
        Err(err) => findings.push(format!("{err:#}")),
        Ok(listed) => {
            for (path, hash) in &listed {
                match actual.get(path) {
                    _ if !expected.contains_key(path) => {
                        findings.push(format!(
                            "{}: lists `{path}`, which the unit should not have",
                            checksums::FILE
                        ));
                    }
                    Some((real, _)) if real != hash => {
                        findings.push(format!(
                            "{path}: sha256 {real} does not match {} ({hash})",
                            checksums::FILE
                        ));
                    }
                    _ => {}
                }
            }
            for path in expected.keys() {
                if !listed.contains_key(path) {
                    findings.push(format!("{}: does not list `{path}`", checksums::FILE));
                }
            }
        }
    }
    actual
}

/// Step 4: the report's profile and artifact lines agree with the files.
fn cross_check(
    report: &Report,
    expected: &BTreeMap<String, Option<Kind>>,
    actual: &BTreeMap<String, (String, u64)>,
    findings: &mut Vec<String>,
) {
    for (kind, hash) in &report.profiles {
        let path = names::profile_path(*kind);
        if let Some((real, _)) = actual.get(&path)
            && real != hash
        {
            findings.push(format!("{path}: sha256 {real} differs from the report ({hash})"));
        }
    }
    for (path, artifact) in &report.artifacts {
        match actual.get(path) {
            Some((real, size)) if *real != artifact.sha256 || *size != artifact.size => findings
                .push(format!(
                    "{path}: sha256 {real} size {size} differ from the report (sha256 {} size {})",
                    artifact.sha256, artifact.size
                )),
            None if !expected.contains_key(path) => {
                findings.push(format!(
                    "{}: reports `{path}`, which the unit should not have",
                    checksums::REPORT
                ));
            }
            _ => {}
        }
    }
}

/// The report names one profile and one artifact per kind, in `kinds` order, and, inside an
/// `assets/talos/<arch>/<variant>` tree, the unit it sits in.
fn complete_report(report: &Report, arch: Arch, dir: &Path, findings: &mut Vec<String>) {
    let profiles: Vec<Kind> = report.profiles.iter().map(|(kind, _)| *kind).collect();
    if profiles != report.kinds {
        findings.push(format!(
            "{}: the profile lines do not match `kinds` ({})",
            checksums::REPORT,
            report.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(" ")
        ));
    }
    let expected: BTreeSet<String> =
        report.kinds.iter().map(|&kind| names::unit_path(kind, arch)).collect();
    let reported: BTreeSet<String> = report.artifacts.keys().cloned().collect();
    for path in expected.symmetric_difference(&reported) {
        findings.push(format!(
            "{}: `{path}` is {} the artifact lines",
            checksums::REPORT,
            if reported.contains(path) { "unexpected among" } else { "missing from" }
        ));
    }
    for (path, artifact) in &report.artifacts {
        if expected.contains(path) && names::unit_path(artifact.kind, arch) != *path {
            findings.push(format!(
                "{}: `{path}` is not where kind={} goes",
                checksums::REPORT,
                artifact.kind
            ));
        }
    }
    let name = |path: Option<&Path>| {
        path.and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    };
    let in_tree = name(dir.parent().and_then(Path::parent)) == "talos";
    let (dir_arch, dir_variant) = (name(dir.parent()), name(Some(dir)));
    if in_tree && (dir_arch != report.arch || dir_variant != report.variant) {
        findings.push(format!(
            "{}: describes {}/{}, but the unit is {dir_arch}/{dir_variant}",
            checksums::REPORT,
            report.arch,
            report.variant
        ));
    }
}
