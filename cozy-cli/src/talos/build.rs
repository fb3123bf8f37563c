//! `cozy talos build`: one imager run per (arch, variant, kind), unpacked natively into a staging
//! copy of the unit, verified, then swapped into `<out>/assets/talos/<arch>/<variant>/` (spec §4).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::context::Ctx;
use crate::talos::checksums;
use crate::talos::config::{Kind, Unit};
use crate::talos::names;
use crate::talos::project::Project;
use crate::talos::render;
use crate::talos::report::{self, Artifact, Report};
use crate::talos::unit::{self, Expected};
use crate::tool::{Runner, Tool};

/// What the command line asked for.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// `--arch`.
    pub arches: Vec<String>,
    /// `--variant`.
    pub variants: Vec<String>,
    /// `--kind`.
    pub kinds: Vec<String>,
    /// `--jobs`.
    pub jobs: u16,
    /// `--force`.
    pub force: bool,
    /// `--fail-fast`.
    pub fail_fast: bool,
}

/// How one unit ended.
#[derive(Debug)]
pub struct UnitResult {
    /// `<arch>/<variant>`.
    pub name: String,
    /// Kinds run through the imager.
    pub built: Vec<Kind>,
    /// Kinds reused from the previous build.
    pub reused: Vec<Kind>,
    /// Kinds of the previous build left out: not asked for, and no longer current.
    pub dropped: Vec<Kind>,
    /// The error, when the unit failed.
    pub error: Option<anyhow::Error>,
}

/// Facts shared by every unit of one run.
struct Run<'p> {
    project: &'p Project,
    id: String,
    imager: String,
    staging: PathBuf,
    tools: Vec<(String, String)>,
    git_revision: String,
    git_dirty: String,
    source_date_epoch: Option<String>,
    force: bool,
    dry: bool,
    generated_at: String,
    interrupt: std::sync::Arc<Interrupt>,
}

/// What Ctrl-C must clean up: the imager containers still running, and the staging directory.
/// The finished units are untouched (they are only ever swapped in whole).
#[derive(Debug, Default)]
struct Interrupt {
    /// The running containers, and whether an interrupt arrived (then nothing new starts).
    containers: std::sync::Mutex<(Vec<String>, bool)>,
    /// Held while a unit is swapped in, so an interrupt waits for the swap to complete.
    swapping: std::sync::Mutex<()>,
}

impl Interrupt {
    /// Installs the handler: stop starting containers, wait for a swap in progress, `docker rm
    /// -f` every running imager container, remove the staging directory, exit 130. A second
    /// installation in one process is ignored.
    fn install(printer: crate::output::Printer, staging: PathBuf) -> std::sync::Arc<Interrupt> {
        let interrupt = std::sync::Arc::new(Interrupt::default());
        let shared = std::sync::Arc::clone(&interrupt);
        let _ = ctrlc::set_handler(move || {
            let names = match shared.containers.lock() {
                Ok(mut state) => {
                    state.1 = true;
                    state.0.clone()
                }
                Err(_) => Vec::new(),
            };
            let _swap = shared.swapping.lock();
            let runner = Runner::new(printer.clone(), false, "cozy talos build (interrupted)");
            for name in names {
                // The container may already be gone with its client; that is fine.
                let _ = runner.cmd(Tool::Docker).args(["rm", "-f", &name]).mutates().output();
            }
            let _ = std::fs::remove_dir_all(&staging);
            printer.error(&anyhow::anyhow!("interrupted; the previous units are unchanged"));
            std::process::exit(130);
        });
        interrupt
    }

    fn while_swapping<T>(&self, swap: impl FnOnce() -> T) -> T {
        let _guard = self.swapping.lock();
        swap()
    }

    /// Records a container about to start; `false` once an interrupt arrived.
    fn started(&self, name: &str) -> bool {
        match self.containers.lock() {
            Ok(mut state) if !state.1 => {
                state.0.push(name.to_owned());
                true
            }
            _ => false,
        }
    }

    fn finished(&self, name: &str) {
        if let Ok(mut state) = self.containers.lock() {
            state.0.retain(|running| running != name);
        }
    }
}

/// Builds every selected unit; returns one result per unit, in matrix order.
pub fn run(ctx: &Ctx, project: &Project, request: &Request) -> anyhow::Result<Vec<UnitResult>> {
    let config = &project.config;
    let lock = project.lock()?;
    render::check_version(config, lock)?;
    let units = config.units(&request.arches, &request.variants)?;
    let explicit_kinds = parse_kinds(&request.kinds)?;
    check_lock(config, lock, &units)?;
    let runner = ctx.runner("");
    let run_id = format!("{:08x}", fastrand::u32(..));
    let imager = resolve_imager(&runner, &lock.imager, ctx.dry_run)?;
    let (git_revision, git_dirty) = git_state(&runner, &project.root);
    let source_date_epoch = match config.build.source_date_epoch {
        crate::talos::config::SourceDateEpoch::Off => None,
        crate::talos::config::SourceDateEpoch::GitCommit => Some(
            runner
                .cmd(Tool::Git)
                .args(["log", "-1", "--format=%ct"])
                .dir(&project.root)
                .read()
                .context("source_date_epoch = \"git-commit\" needs a git work tree")?
                .trim()
                .to_owned(),
        ),
    };
    let tools = tool_versions(&runner, ctx.dry_run)?;
    let staging = project.out_dir().join(".staging").join(&run_id);
    let interrupt = if ctx.dry_run {
        std::sync::Arc::new(Interrupt::default())
    } else {
        Interrupt::install(ctx.printer.clone(), staging.clone())
    };
    let run = Run {
        project,
        staging,
        interrupt,
        id: run_id,
        imager,
        tools,
        git_revision,
        git_dirty,
        source_date_epoch,
        force: request.force,
        dry: ctx.dry_run,
        generated_at: report::timestamp(
            crate::env::var(crate::env::SOURCE_DATE_EPOCH).as_deref().filter(|v| !v.is_empty()),
        )?,
    };
    // An explicit --kind applies to each variant within the kinds the variant declares.
    let unit_kinds: Vec<Vec<Kind>> = units
        .iter()
        .map(|unit| {
            let own = config.kinds_of(unit.variant);
            match &explicit_kinds {
                Some(list) if unit.variant.kinds.is_some() => {
                    list.iter().copied().filter(|k| own.contains(k)).collect()
                }
                Some(list) => list.clone(),
                None => own.to_vec(),
            }
        })
        .collect();
    let total: usize = unit_kinds.iter().map(Vec::len).sum();
    let bar = ctx.printer.progress(total);
    let failed = std::sync::atomic::AtomicBool::new(false);
    let build_one = |(unit, kinds): (&Unit<'_>, &Vec<Kind>)| -> UnitResult {
        let name = format!("{}/{}", unit.arch, unit.variant.name);
        if request.fail_fast && failed.load(std::sync::atomic::Ordering::SeqCst) {
            return UnitResult {
                name,
                built: vec![],
                reused: vec![],
                dropped: vec![],
                error: Some(anyhow::anyhow!("skipped after an earlier failure (--fail-fast)")),
            };
        }
        let mut result =
            UnitResult { name, built: vec![], reused: vec![], dropped: vec![], error: None };
        if kinds.is_empty() {
            return result; // the variant builds none of the asked kinds
        }
        if let Err(err) = run.unit(ctx, unit, kinds, &mut result, &bar) {
            failed.store(true, std::sync::atomic::Ordering::SeqCst);
            result.error = Some(err);
        }
        result
    };
    let results: Vec<UnitResult> = if request.jobs <= 1 || units.len() < 2 {
        units.iter().zip(&unit_kinds).map(build_one).collect()
    } else {
        let pool =
            rayon::ThreadPoolBuilder::new().num_threads(usize::from(request.jobs)).build()?;
        pool.install(|| {
            use rayon::prelude::*;
            units.par_iter().zip(&unit_kinds).map(build_one).collect()
        })
    };
    bar.finish_and_clear();
    let _ = std::fs::remove_dir_all(&run.staging);
    let staging_root = project.out_dir().join(".staging");
    let _ = std::fs::remove_dir(&staging_root);
    Ok(results)
}

/// Every reference of every unit must be in the lock, for the unit's platform, before anything
/// runs.
fn check_lock(
    config: &crate::talos::config::Config,
    lock: &crate::talos::lock::Lock,
    units: &[Unit<'_>],
) -> anyhow::Result<()> {
    for unit in units {
        for name in config.extensions_of(unit.arch, unit.variant) {
            let entry = lock.extension(&name)?;
            let platform = format!("linux/{}", unit.arch);
            if !entry.platforms.is_empty() && !entry.platforms.contains(&platform) {
                anyhow::bail!(
                    "talos.lock: extension `{name}` has no {platform} image (platforms: {}); unit {}/{} cannot be built",
                    entry.platforms.join(", "),
                    unit.arch,
                    unit.variant.name
                );
            }
        }
    }
    Ok(())
}

/// `tool.*` report lines; docker is asked only when it will run.
fn tool_versions(runner: &Runner, dry_run: bool) -> anyhow::Result<Vec<(String, String)>> {
    Ok(if dry_run {
        vec![("cozy".to_owned(), env!("CARGO_PKG_VERSION").to_owned())]
    } else {
        let version = |format: &str| -> anyhow::Result<String> {
            Ok(runner
                .cmd(Tool::Docker)
                .args(["version", "--format", format])
                .read()?
                .trim()
                .to_owned())
        };
        vec![
            ("cozy".to_owned(), env!("CARGO_PKG_VERSION").to_owned()),
            ("docker-client".to_owned(), version("{{.Client.Version}}")?),
            ("docker-server".to_owned(), version("{{.Server.Version}}")?),
        ]
    })
}

fn parse_kinds(kinds: &[String]) -> anyhow::Result<Option<Vec<Kind>>> {
    if kinds.is_empty() {
        return Ok(None);
    }
    if kinds.iter().any(|kind| kind == "all") {
        // Upstream's six kinds; the optional `openstack` only when named.
        return Ok(Some(crate::talos::update::UPSTREAM_PROFILES.to_vec()));
    }
    let mut list = Vec::new();
    for kind in kinds {
        let kind = Kind::parse(kind)?;
        if !list.contains(&kind) {
            list.push(kind);
        }
    }
    Ok(Some(list))
}

/// The imager reference every run uses: pinned by digest, so a tag moved mid-run cannot mix
/// imager builds. A lock entry already pinned is used as is.
fn resolve_imager(runner: &Runner, imager: &str, dry_run: bool) -> anyhow::Result<String> {
    if imager.contains("@sha256:") {
        return Ok(imager.to_owned());
    }
    runner.cmd(Tool::Docker).args(["pull", imager]).mutates().read()?;
    if dry_run {
        return Ok(imager.to_owned());
    }
    let listed = runner
        .cmd(Tool::Docker)
        .args([
            "image",
            "inspect",
            "--format",
            "{{range .RepoDigests}}{{println .}}{{end}}",
            imager,
        ])
        .read()?;
    // The image may also be known under a mirror's name: take the digest of our repository.
    let repository = imager
        .rsplit_once(':')
        .filter(|(_, tag)| !tag.contains('/'))
        .map_or(imager, |(repo, _)| repo);
    let digest = listed
        .lines()
        .filter_map(|line| line.trim().split_once('@'))
        .find(|(repo, digest)| {
            *repo == repository && digest.starts_with("sha256:") && digest.len() == 71
        })
        .map(|(_, digest)| digest)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "`docker image inspect {imager}` lists no digest for {repository}: `{}`",
                listed.trim()
            )
        })?;
    Ok(format!("{imager}@{digest}"))
}

fn git_state(runner: &Runner, root: &Path) -> (String, String) {
    let revision = runner.cmd(Tool::Git).args(["rev-parse", "HEAD"]).dir(root).read();
    let status = runner.cmd(Tool::Git).args(["status", "--porcelain"]).dir(root).read();
    match (revision, status) {
        (Ok(revision), Ok(status)) => {
            (revision.trim().to_owned(), (!status.trim().is_empty()).to_string())
        }
        _ => ("unknown".to_owned(), "unknown".to_owned()),
    }
}

impl Run<'_> {
    fn unit(
        &self,
        ctx: &Ctx,
        unit: &Unit<'_>,
        kinds: &[Kind],
        result: &mut UnitResult,
        bar: &indicatif::ProgressBar,
    ) -> anyhow::Result<()> {
        let project = self.project;
        let config = &project.config;
        let lock = project.lock()?;
        let arch = unit.arch;
        let variant = &unit.variant.name;
        let final_dir = project.unit_dir(arch, variant);
        let logs = project.out_dir().join("logs/talos").join(arch.as_str()).join(variant);
        if self.dry {
            return self.dry_unit(ctx, unit, kinds, &logs, bar);
        }
        let staging = self.staging.join(arch.as_str()).join(variant);
        std::fs::create_dir_all(staging.join("profiles"))
            .with_context(|| format!("cannot create {}", staging.display()))?;
        let previous = Previous::read(&final_dir);
        // Kinds built before but not asked for now are carried over when still current, so
        // `--kind kernel` does not drop the unit's installer or ISO.
        let carried: Vec<Kind> = previous
            .as_ref()
            .map(|p| p.kinds.iter().copied().filter(|k| !kinds.contains(k)).collect())
            .unwrap_or_default();
        let mut all_kinds: Vec<Kind> = kinds.iter().chain(&carried).copied().collect();
        let order = config.kinds_of(unit.variant);
        all_kinds.sort_by_key(|kind| {
            (order.iter().position(|k| k == kind).unwrap_or(usize::MAX), *kind)
        });
        let mut artifacts = BTreeMap::new();
        let mut profiles = Vec::new();
        let mut built_kinds = Vec::new();
        for kind in all_kinds {
            let profile = render::profile(config, lock, arch, unit.variant, kind)?;
            let profile_path = names::profile_path(kind);
            let artifact_path = names::unit_path(kind, arch);
            let source = names::output_name(kind, arch, false);
            let target = staging.join(&artifact_path);
            std::fs::create_dir_all(target.parent().unwrap_or(&staging))?;
            let requested = kinds.contains(&kind);
            let reusable = previous.as_ref().and_then(|p| {
                p.reusable(&final_dir, &profile_path, &artifact_path, &profile, &self.imager)
            });
            let (sha256, size) =
                if let Some(hashed) = reusable.filter(|_| !(requested && self.force)) {
                    link_or_copy(&final_dir.join(&artifact_path), &target)?;
                    result.reused.push(kind);
                    hashed
                } else if requested {
                    let name = format!("cozy-imager-{}-{arch}-{variant}-{kind}", self.id);
                    let hashed = self
                        .imager_run(ctx, &name, kind, &profile, &source, &target, &logs)?
                        .context("a build outside --dry-run always unpacks")?;
                    result.built.push(kind);
                    hashed
                } else {
                    result.dropped.push(kind);
                    continue;
                };
            if requested {
                bar.inc(1);
            }
            crate::fsx::write_atomic(&staging.join(&profile_path), profile.as_bytes())?;
            profiles.push((kind, crate::chart_repo::sha256_hex(profile.as_bytes())));
            artifacts.insert(artifact_path, Artifact { kind, source, size, sha256 });
            built_kinds.push(kind);
        }
        let kinds = built_kinds.as_slice();
        let extensions = config.extensions_of(arch, unit.variant);
        let checks = unit::content_checks(
            &staging,
            Expected { arch, talos_version: &lock.talos_version, kinds, extensions: &extensions },
            false,
        );
        if !checks.findings.is_empty() {
            anyhow::bail!(
                "the built unit failed verification:\n  {}",
                checks.findings.join("\n  ")
            );
        }
        let mut sums = BTreeMap::new();
        for (path, artifact) in &artifacts {
            sums.insert(path.clone(), artifact.sha256.clone());
        }
        for (kind, hash) in &profiles {
            sums.insert(names::profile_path(*kind), hash.clone());
        }
        crate::fsx::write_atomic(
            &staging.join(checksums::FILE),
            checksums::render(&sums).as_bytes(),
        )?;
        let report =
            self.report(unit, kinds, &extensions, profiles, artifacts.clone(), checks.lines)?;
        let report_path = staging.join(checksums::REPORT);
        std::fs::create_dir_all(report_path.parent().unwrap_or(&staging))?;
        crate::fsx::write_atomic(&report_path, report.render().as_bytes())?;
        self.interrupt.while_swapping(|| swap_in(&staging, &final_dir))?;
        if unit.variant.name == "default" && config.build.compat_flat {
            let flat = project.out_dir().join("assets");
            for (path, artifact) in &artifacts {
                link_atomic(&final_dir.join(path), &flat.join(&artifact.source))?;
            }
        }
        Ok(())
    }

    /// `--dry-run`: print every container command of the unit; write nothing.
    fn dry_unit(
        &self,
        ctx: &Ctx,
        unit: &Unit<'_>,
        kinds: &[Kind],
        logs: &Path,
        bar: &indicatif::ProgressBar,
    ) -> anyhow::Result<()> {
        let (config, lock) = (&self.project.config, self.project.lock()?);
        let (arch, variant) = (unit.arch, &unit.variant.name);
        for &kind in kinds {
            let profile = render::profile(config, lock, arch, unit.variant, kind)?;
            let name = format!("cozy-imager-{}-{arch}-{variant}-{kind}", self.id);
            let source = names::output_name(kind, arch, false);
            self.imager_run(ctx, &name, kind, &profile, &source, Path::new(""), logs)?;
            bar.inc(1);
        }
        Ok(())
    }

    /// The build report of a unit whose artifacts and checks are known.
    fn report(
        &self,
        unit: &Unit<'_>,
        kinds: &[Kind],
        extensions: &[String],
        profiles: Vec<(Kind, String)>,
        artifacts: BTreeMap<String, Artifact>,
        checks: Vec<(String, String)>,
    ) -> anyhow::Result<Report> {
        let project = self.project;
        let lock = project.lock()?;
        Ok(Report {
            talos_version: lock.talos_version.clone(),
            arch: unit.arch.to_string(),
            variant: unit.variant.name.clone(),
            role: unit.variant.role.clone(),
            kinds: kinds.to_vec(),
            git_revision: self.git_revision.clone(),
            git_dirty: self.git_dirty.clone(),
            config_sha256: crate::chart_repo::sha256_hex(project.config_text.as_bytes()),
            lock_sha256: crate::chart_repo::sha256_hex(
                project.lock.as_ref().map(|(_, text)| text.as_bytes()).unwrap_or_default(),
            ),
            imager: self.imager.clone(),
            base_installer: lock.installer.clone(),
            extensions_index: lock.extensions_index.clone(),
            tools: self.tools.clone(),
            extensions: extensions
                .iter()
                .map(|name| Ok((name.clone(), lock.extension(name)?.reference.clone())))
                .collect::<anyhow::Result<_>>()?,
            profiles,
            artifacts,
            checks,
            notes: unit
                .variant
                .requires
                .iter()
                .map(|r| ("requires".to_owned(), r.clone()))
                .collect(),
            generated_at: self.generated_at.clone(),
        })
    }

    /// One imager run: profile on stdin, the single output file unpacked from stdout into
    /// `target`, stderr into the kind's log. Returns (sha256, size), or `None` under --dry-run.
    #[allow(clippy::too_many_arguments)]
    fn imager_run(
        &self,
        ctx: &Ctx,
        name: &str,
        kind: Kind,
        profile: &str,
        expected_name: &str,
        target: &Path,
        logs: &Path,
    ) -> anyhow::Result<Option<(String, u64)>> {
        let config = &self.project.config;
        let runner = ctx.runner("");
        let mut call = runner.cmd(Tool::Docker).args(["run", "--rm", "-i", "--name", name]);
        if config.build.privileged == crate::talos::config::Privileged::All || kind.is_disk_image()
        {
            call = call.args(["-v", "/dev:/dev", "--privileged"]);
        }
        if let Some(epoch) = &self.source_date_epoch {
            call = call.args(["-e".to_owned(), format!("SOURCE_DATE_EPOCH={epoch}")]);
        }
        for var in &config.build.pass_env {
            call = call.args(["-e", var]);
        }
        let call = call
            .args([self.imager.as_str(), "--tar-to-stdout", "-"])
            .stdin(profile.as_bytes().to_vec())
            .mutates();
        let display = call.display();
        if ctx.dry_run {
            call.stream(|_| Ok(()), std::io::sink())?;
            return Ok(None);
        }
        std::fs::create_dir_all(logs)
            .with_context(|| format!("cannot create {}", logs.display()))?;
        let log_path = logs.join(format!("{kind}.log"));
        let log = File::create(&log_path)
            .with_context(|| format!("cannot create {}", log_path.display()))?;
        let sink = Tee { log: BufWriter::new(log), echo: ctx.printer.echoes_commands() };
        if !self.interrupt.started(name) {
            anyhow::bail!("interrupted");
        }
        let outcome = call.stream(|stdout| unpack_one(stdout, expected_name, target), sink);
        self.interrupt.finished(name);
        let outcome = outcome?;
        let Some((status, unpacked)) = outcome else { return Ok(None) };
        let log_hint = self.project.show(&log_path);
        if !status.success() {
            let _ = std::fs::remove_file(target);
            let code = status.code().map_or("a signal".to_owned(), |c| format!("exit status {c}"));
            anyhow::bail!("the imager failed ({code}) for {kind}: `{display}`; see {log_hint}");
        }
        unpacked
            .with_context(|| format!("the imager output for {kind} is not usable; see {log_hint}"))
            .map(Some)
    }
}

/// Copies stderr into the log, and to cozy's stderr under `-v`.
struct Tee<W: Write> {
    log: W,
    echo: bool,
}

impl<W: Write> Write for Tee<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.log.write_all(buf)?;
        if self.echo {
            let _ = std::io::stderr().write_all(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.log.flush()
    }
}

/// Reads the imager's stdout (gzip of a tar) and accepts exactly one regular file named
/// `expected`, streaming it to `target` while hashing it (spec §4.3).
pub fn unpack_one(
    stdout: &mut dyn Read,
    expected: &str,
    target: &Path,
) -> anyhow::Result<(String, u64)> {
    let gzip = flate2::read::MultiGzDecoder::new(stdout);
    let mut archive = tar::Archive::new(gzip);
    let mut entries = archive.entries().context("the imager output is not a gzip tar stream")?;
    let first = entries
        .next()
        .ok_or_else(|| anyhow::anyhow!("the imager output is empty; expected `{expected}`"))?
        .context("the imager output is not a readable gzip tar stream")?;
    let what = describe(&first);
    let path = first.path_bytes().into_owned();
    let name = String::from_utf8_lossy(&path).into_owned();
    if first.header().entry_type() != tar::EntryType::Regular {
        anyhow::bail!("the imager output holds {what}; expected the regular file `{expected}`");
    }
    if name != expected {
        anyhow::bail!("the imager output holds `{name}`; expected `{expected}`");
    }
    let temp_dir = target.parent().unwrap_or(Path::new("."));
    let temp = crate::fsx::temp_file_in(temp_dir)?;
    let mut hashing = HashingWriter {
        inner: BufWriter::new(temp.as_file().try_clone()?),
        hasher: sha2::Sha256::default(),
        size: 0,
    };
    let mut entry = first;
    std::io::copy(&mut entry, &mut hashing)
        .with_context(|| format!("the imager output was cut short inside `{expected}`"))?;
    let HashingWriter { inner, hasher, size } = hashing;
    inner.into_inner().map_err(std::io::IntoInnerError::into_error)?.sync_all()?;
    drop(entry);
    let digest = {
        use sha2::Digest as _;
        format!("{:x}", hasher.finalize())
    };
    if let Some(next) = entries.next() {
        let next = next.context("the imager output is corrupt after the first file")?;
        anyhow::bail!(
            "the imager output holds a second entry, {}; expected only `{expected}`",
            describe(&next)
        );
    }
    // Read the gzip stream to its end, so its CRC and length trailer are checked too.
    std::io::copy(&mut archive.into_inner(), &mut std::io::sink())
        .context("the imager output's gzip stream is corrupt or cut short")?;
    temp.persist(target).with_context(|| format!("cannot write {}", target.display()))?;
    Ok((digest, size))
}

fn describe<R: Read>(entry: &tar::Entry<'_, R>) -> String {
    let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
    let kind = match entry.header().entry_type() {
        tar::EntryType::Regular => "the file",
        tar::EntryType::Directory => "a directory",
        tar::EntryType::Symlink => "a symlink",
        tar::EntryType::Link => "a hard link",
        _ => "a special file",
    };
    format!("{kind} `{name}`")
}

struct HashingWriter<W: Write> {
    inner: W,
    hasher: sha2::Sha256,
    size: u64,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        use sha2::Digest as _;
        let written = self.inner.write(buf)?;
        self.hasher.update(&buf[..written]);
        self.size += written as u64;
        Ok(written)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The previous build of a unit, for incremental rebuilds (spec §4.5).
struct Previous {
    imager: String,
    kinds: Vec<Kind>,
    sums: BTreeMap<String, String>,
}

impl Previous {
    fn read(dir: &Path) -> Option<Previous> {
        let report =
            Report::parse(&std::fs::read_to_string(dir.join(checksums::REPORT)).ok()?).ok()?;
        let sums =
            checksums::parse(&std::fs::read_to_string(dir.join(checksums::FILE)).ok()?).ok()?;
        Some(Previous { imager: report.imager, kinds: report.kinds, sums })
    }

    /// Same profile bytes, same imager, and the artifact still matches its checksum: then the
    /// artifact's (sha256, size), read once.
    fn reusable(
        &self,
        dir: &Path,
        profile_path: &str,
        artifact_path: &str,
        profile: &str,
        imager: &str,
    ) -> Option<(String, u64)> {
        let same_inputs = self.imager == imager
            && std::fs::read(dir.join(profile_path)).is_ok_and(|old| old == profile.as_bytes());
        let recorded = self.sums.get(artifact_path).filter(|_| same_inputs)?;
        checksums::hash_file(&dir.join(artifact_path)).ok().filter(|(real, _)| real == recorded)
    }
}

fn link_or_copy(from: &Path, to: &Path) -> anyhow::Result<()> {
    if std::fs::hard_link(from, to).is_err() {
        std::fs::copy(from, to)
            .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
    }
    Ok(())
}

/// `to` becomes a hard link to (or a copy of) `from`, replaced atomically.
fn link_atomic(from: &Path, to: &Path) -> anyhow::Result<()> {
    let dir = to.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    // Already the same file (a reused artifact): nothing to do. (rename(2) between two links of
    // one inode succeeds without doing anything, which would leave the temporary link behind.)
    if let (Ok(a), Ok(b)) = (std::fs::metadata(from), std::fs::metadata(to)) {
        use std::os::unix::fs::MetadataExt as _;
        if (a.dev(), a.ino()) == (b.dev(), b.ino()) {
            return Ok(());
        }
    }
    let temp = dir.join(format!(".cozy-link-{:08x}", fastrand::u32(..)));
    link_or_copy(from, &temp)?;
    let renamed = std::fs::rename(&temp, to);
    let _ = std::fs::remove_file(&temp);
    renamed.with_context(|| format!("cannot write {}", to.display()))
}

/// Replaces `final_dir` with `staged`: the old unit is renamed aside, the new one renamed in,
/// then the old one deleted, so a reader sees either the whole old or the whole new unit.
fn swap_in(staged: &Path, final_dir: &Path) -> anyhow::Result<()> {
    let parent = final_dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let name = final_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let old = parent.join(format!(".{name}.old-{:08x}", fastrand::u32(..)));
    let had_old = final_dir.exists();
    if had_old {
        std::fs::rename(final_dir, &old)
            .with_context(|| format!("cannot move {} aside", final_dir.display()))?;
    }
    if let Err(err) = std::fs::rename(staged, final_dir) {
        if had_old {
            let _ = std::fs::rename(&old, final_dir);
        }
        return Err(err)
            .with_context(|| format!("cannot move the new unit into {}", final_dir.display()));
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

/// Builds the fixed-width summary lines printed after a matrix.
#[must_use]
pub fn summary(results: &[UnitResult]) -> Vec<String> {
    let width = results.iter().map(|r| r.name.len()).max().unwrap_or(0);
    results
        .iter()
        .map(|result| {
            let list =
                |kinds: &[Kind]| kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(",");
            match &result.error {
                None if result.built.is_empty()
                    && result.reused.is_empty()
                    && result.dropped.is_empty() =>
                {
                    format!(
                        "{:width$}  ok  nothing to build (not among the variant's kinds)",
                        result.name
                    )
                }
                None => {
                    let mut text = format!("{:width$}  ok", result.name);
                    if !result.built.is_empty() {
                        let _ = write!(text, "  built {}", list(&result.built));
                    }
                    if !result.reused.is_empty() {
                        let _ = write!(text, "  reused {}", list(&result.reused));
                    }
                    if !result.dropped.is_empty() {
                        let _ = write!(
                            text,
                            "  dropped {} (changed; rebuild with --kind)",
                            list(&result.dropped)
                        );
                    }
                    text
                }
                Some(err) => format!(
                    "{:width$}  FAILED  {}",
                    result.name,
                    format!("{err:#}").lines().next().unwrap_or("")
                ),
            }
        })
        .collect()
}
