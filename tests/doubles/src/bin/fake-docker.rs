//! `fake-docker`: a test double of the docker CLI that plays the Talos imager (spec 4.1, 7.2).
//!
//! Every call is first recorded like the harness's shell doubles do: `docker` and each argument,
//! each followed by NUL, then `\036`, appended to `$COZY_FAKE_LOG` (skipped when unset).
//!
//! Calls answered (anything else exits 125, docker's own error status, naming the call):
//!
//! - `docker version --format '{{.Client.Version}}'` prints `28.2.2-fake`, with
//!   `'{{.Server.Version}}'` `0.0.0-fake`; without `--format`, a `Client:`/`Server:` summary.
//! - `docker pull [--platform P] [-q] IMAGE` succeeds; `docker image inspect --format
//!   '{{index .RepoDigests 0}}' IMAGE` prints `<repo>@sha256:` + 64 × `f`; with
//!   `'{{range .RepoDigests}}{{println .}}{{end}}'` a mirror's `mirror.example/<repo>@sha256:`
//!   + 64 × `e` comes first.
//! - `docker rm -f NAME…` prints the names and succeeds.
//! - `docker run --rm -i --name cozy-imager-<8 hex>-<arch>-<variant>-<kind> [-v /dev:/dev
//!   --privileged] [-e SOURCE_DATE_EPOCH=<digits>] [-e NAME]… <…/imager:tag[@sha256:…]>
//!   --tar-to-stdout -`, exactly (else 125). The name's arch and kind must agree with the
//!   profile (else 125: cozy named the container after another unit). It reads the profile
//!   from stdin and checks it like Talos's `Profile.Validate` (arch, output kind, disk size for
//!   images, no kernel args for kernel and initramfs; exit 1 with `error: …`), writes
//!   `profile ready:` and the YAML to stderr, and writes to stdout a gzip tar (relative names,
//!   no root entry, mtime `SOURCE_DATE_EPOCH` or 0) with one file named as `Profile.OutputPath`
//!   does (spec 3.2):
//!   - `kernel-<arch>`: a PE whose `Machine` is the arch of `input.kernel.path` (`HdrS` for
//!     amd64, zboot for arm64), the same for every variant;
//!   - `initramfs-<platform>-<arch>.xz`: the `initramfs` builder with the extensions' basenames
//!     and tags (`ghcr.io/siderolabs/drbd:9.3.2-v1.13.6@sha256:…` → `drbd`, version
//!     `9.3.2-v1.13.6`);
//!   - `installer-<arch>.tar`: the `installer` builder's docker-archive with that kernel and
//!     initramfs;
//!   - `<platform>-<arch>.iso`: 36 KiB with `CD001` at 32769;
//!   - `<platform>-<arch>.<diskFormat>[.xz]`: a 64 KiB disk image (MBR and GPT signatures),
//!     xz-compressed when `outFormat` is `.xz`.
//!
//!   The same profile (and environment) always gives the same bytes.
//! - `docker buildx build …` succeeds; with `--metadata-file F` it writes
//!   `{"containerimage.digest":"sha256:<hex of the argv's sha256>"}` to F.
//! - `docker buildx inspect [NAME]` prints a builder with `Platforms: linux/amd64, linux/arm64`.
//!
//! Failure injection for `docker run`, through the environment:
//!
//! - `FAKE_IMAGER_FAIL=exit`: half of the gzip stream on stdout, then exit 1;
//!   `=two-files`: the expected file plus `extra-<arch>.txt`; `=wrong-name`: the file named
//!   `wrong-<expected>`; `=symlink`: the expected name as a symlink to `/etc/passwd`;
//!   `=garbage`: text instead of gzip on stdout, exit 0; `=hang`: half of the stream, then
//!   sleep 60 s (for interrupt tests). Other values exit 2.
//! - `FAKE_IMAGER_DROP_EXTENSION=<basename>`: that extension is left out of the initramfs and
//!   its `extensions.yaml` (also inside the installer's UKI).
//! - `FAKE_IMAGER_WRONG_MACHINE=1`: kernels (alone and in the UKI) get the other arch's `Machine`.

#![allow(clippy::disallowed_methods, clippy::print_stdout, clippy::print_stderr)]

use std::ffi::OsString;
use std::io::{Read as _, Write as _};
use std::process::ExitCode;

use cozy_test_doubles::{initramfs, installer, pe};
use serde_yaml::Value;

const CLIENT_VERSION: &str = "28.2.2-fake";
const SERVER_VERSION: &str = "0.0.0-fake";
const KINDS: [&str; 7] =
    ["initramfs", "kernel", "iso", "installer", "metal", "nocloud", "openstack"];

/// How a call ends: the exit status and a message for stderr.
struct Exit(u8, String);

fn main() -> ExitCode {
    let owned: Vec<String> = std::env::args_os().skip(1).map(lossy).collect();
    record(&owned);
    let args: Vec<&str> = owned.iter().map(String::as_str).collect();
    match dispatch(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Exit(code, message)) => {
            eprintln!("{message}");
            ExitCode::from(code)
        }
    }
}

fn lossy(arg: OsString) -> String {
    arg.to_string_lossy().into_owned()
}

fn record(args: &[String]) {
    let Some(log) = std::env::var_os("COZY_FAKE_LOG") else { return };
    let mut entry = b"docker\0".to_vec();
    for arg in args {
        entry.extend_from_slice(arg.as_bytes());
        entry.push(0);
    }
    entry.push(0x1e);
    let file = std::fs::OpenOptions::new().create(true).append(true).open(&log);
    if let Err(err) = file.and_then(|mut file| file.write_all(&entry)) {
        eprintln!("fake-docker: cannot record the call in {}: {err}", log.to_string_lossy());
    }
}

fn dispatch(argv: &[&str]) -> Result<(), Exit> {
    match argv {
        ["version", rest @ ..] => version(rest),
        ["pull", rest @ ..] => pull(rest),
        ["image", "inspect", rest @ ..] => image_inspect(rest),
        ["rm", "-f", names @ ..] if !names.is_empty() => {
            out(format!("{}\n", names.join("\n")).as_bytes());
            Ok(())
        }
        ["run", rest @ ..] => run(rest),
        ["buildx", "build", rest @ ..] => buildx_build(rest),
        ["buildx", "inspect", rest @ ..] => {
            buildx_inspect(rest);
            Ok(())
        }
        _ => Err(unsupported(argv)),
    }
}

fn unsupported(argv: &[&str]) -> Exit {
    Exit(125, format!("fake-docker: unsupported call `docker {}`", argv.join(" ")))
}

fn out(bytes: &[u8]) {
    let mut stdout = std::io::stdout().lock();
    // A reader that went away is the caller's business; the exit status still tells.
    let _ = stdout.write_all(bytes).and_then(|()| stdout.flush());
}

fn version(rest: &[&str]) -> Result<(), Exit> {
    match rest {
        [] => out(format!("Client:\n Version:           {CLIENT_VERSION}\n\nServer:\n Engine:\n  Version:          {SERVER_VERSION}\n").as_bytes()),
        ["--format" | "-f", format] if format.contains(".Client.Version") => out(format!("{CLIENT_VERSION}\n").as_bytes()),
        ["--format" | "-f", format] if format.contains(".Server.Version") => out(format!("{SERVER_VERSION}\n").as_bytes()),
        _ => return Err(Exit(125, format!("fake-docker: unsupported `docker version {}`", rest.join(" ")))),
    }
    Ok(())
}

fn pull(rest: &[&str]) -> Result<(), Exit> {
    let mut quiet = false;
    let mut images = Vec::new();
    let mut args = rest.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "-q" | "--quiet" => quiet = true,
            "--platform" => {
                args.next();
            }
            flag if flag.starts_with("--platform=") => {}
            image if !image.starts_with('-') => images.push(image),
            _ => {
                return Err(Exit(
                    125,
                    format!("fake-docker: unsupported `docker pull {}`", rest.join(" ")),
                ));
            }
        }
    }
    let [image] = images[..] else {
        return Err(Exit(125, "\"docker pull\" requires exactly 1 argument.".to_owned()));
    };
    if !quiet {
        out(format!(
            "Pulling {image} (fake)\nDigest: {}\nStatus: Image is up to date for {image}\n",
            fake_digest()
        )
        .as_bytes());
    }
    out(format!("{image}\n").as_bytes());
    Ok(())
}

fn image_inspect(rest: &[&str]) -> Result<(), Exit> {
    let mut format = None;
    let mut images = Vec::new();
    let mut args = rest.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--format" | "-f" => format = args.next().copied(),
            flag if flag.starts_with("--format=") => format = flag.strip_prefix("--format="),
            image if !image.starts_with('-') => images.push(image),
            _ => {
                return Err(Exit(
                    125,
                    format!("fake-docker: unsupported `docker image inspect {}`", rest.join(" ")),
                ));
            }
        }
    }
    let every = match format {
        Some("{{index .RepoDigests 0}}") => false,
        Some("{{range .RepoDigests}}{{println .}}{{end}}") => true,
        _ => {
            return Err(Exit(
                125,
                format!("fake-docker: unsupported `docker image inspect {}`", rest.join(" ")),
            ));
        }
    };
    if images.is_empty() {
        return Err(Exit(125, "fake-docker: `docker image inspect` needs an image".to_owned()));
    }
    for image in images {
        if every {
            // A mirror's digest first, as docker lists every repository an image was pulled as.
            out(format!("mirror.example/{}@sha256:{}\n", repository(image), "e".repeat(64))
                .as_bytes());
        }
        out(format!("{}@{}\n", repository(image), fake_digest()).as_bytes());
    }
    Ok(())
}

fn fake_digest() -> String {
    format!("sha256:{}", "f".repeat(64))
}

/// `ghcr.io/siderolabs/imager:v1.13.6@sha256:…` → `ghcr.io/siderolabs/imager`.
fn repository(image: &str) -> &str {
    let image = image.split_once('@').map_or(image, |(name, _)| name);
    let last_slash = image.rfind('/').map_or(0, |at| at + 1);
    match image[last_slash..].find(':') {
        Some(colon) => &image[..last_slash + colon],
        None => image,
    }
}

fn buildx_build(rest: &[&str]) -> Result<(), Exit> {
    let mut metadata_file = None;
    let mut args = rest.iter();
    while let Some(arg) = args.next() {
        if *arg == "--metadata-file" {
            metadata_file = args.next().copied();
        } else if let Some(path) = arg.strip_prefix("--metadata-file=") {
            metadata_file = Some(path);
        }
    }
    let digest = cozy_test_doubles::oci::sha256(rest.join("\0").as_bytes());
    if let Some(path) = metadata_file {
        let metadata = format!("{{\"containerimage.digest\":\"{digest}\"}}");
        std::fs::write(path, metadata)
            .map_err(|err| Exit(1, format!("ERROR: cannot write metadata file {path}: {err}")))?;
    }
    eprintln!("#0 fake buildx build: done, digest {digest}");
    Ok(())
}

fn buildx_inspect(rest: &[&str]) {
    let name = rest.iter().find(|arg| !arg.starts_with('-')).copied().unwrap_or("default");
    out(format!(
        "Name:          {name}\nDriver:        kubernetes\nLast Activity: 1970-01-01 00:00:00 +0000 UTC\n\nNodes:\nName:                  {name}0\nEndpoint:              kubernetes:///{name}?deployment=buildkit-{name}\nStatus:                running\nBuildKit version:      v0.0.0-fake\nPlatforms:             linux/amd64, linux/arm64\n"
    )
    .as_bytes());
}

/// What `docker run` was asked for, from its argv.
struct RunArgs {
    /// From the container name.
    arch: String,
    /// From the container name: a kind of spec 3.2.
    kind: String,
    source_date_epoch: u64,
}

fn run(rest: &[&str]) -> Result<(), Exit> {
    let args = parse_run(rest).map_err(|why| {
        Exit(
            125,
            format!(
                "fake-docker: `docker run {}` is not the imager call of spec 4.1: {why}",
                rest.join(" ")
            ),
        )
    })?;
    let mut yaml = String::new();
    std::io::stdin()
        .read_to_string(&mut yaml)
        .map_err(|err| Exit(1, format!("error: reading the profile from stdin: {err}")))?;
    let profile = Profile::parse(&yaml).map_err(|why| Exit(1, format!("error: {why}")))?;
    profile.matches(&args).map_err(|why| Exit(125, format!("fake-docker: {why}")))?;
    eprint!("profile ready:\n{yaml}");
    let (name, data) = profile.output()?;
    eprintln!("output asset path: /out/{name}");
    let failure = std::env::var("FAKE_IMAGER_FAIL").unwrap_or_default();
    let stream = match failure.as_str() {
        "" | "exit" | "hang" => tar_gz(&[Member::File(&name, &data)], args.source_date_epoch),
        "two-files" => {
            let extra = format!("extra-{}.txt", profile.arch);
            tar_gz(
                &[Member::File(&name, &data), Member::File(&extra, b"unexpected\n")],
                args.source_date_epoch,
            )
        }
        "wrong-name" => {
            tar_gz(&[Member::File(&format!("wrong-{name}"), &data)], args.source_date_epoch)
        }
        "symlink" => tar_gz(&[Member::Symlink(&name, "/etc/passwd")], args.source_date_epoch),
        "garbage" => b"this is not a gzip stream\n".repeat(100),
        other => {
            return Err(Exit(2, format!("fake-docker: unknown FAKE_IMAGER_FAIL value `{other}`")));
        }
    };
    if failure == "hang" {
        out(&stream[..stream.len() / 2]);
        std::thread::sleep(std::time::Duration::from_mins(1));
    }
    if failure == "exit" {
        out(&stream[..stream.len() / 2]);
        return Err(Exit(1, "error: failure injected by FAKE_IMAGER_FAIL=exit".to_owned()));
    }
    out(&stream);
    Ok(())
}

fn parse_run(rest: &[&str]) -> Result<RunArgs, String> {
    let ["--rm", "-i", "--name", name, tail @ ..] = rest else {
        return Err("expected `--rm -i --name <name>` first".to_owned());
    };
    let (arch, kind) = parse_name(name)?;
    let mut rest = tail;
    if let ["-v", "/dev:/dev", "--privileged", after @ ..] = rest {
        rest = after;
    }
    let mut source_date_epoch = 0;
    let mut first_env = true;
    while let ["-e", value, after @ ..] = rest {
        if let Some(epoch) = value.strip_prefix("SOURCE_DATE_EPOCH=") {
            if !first_env {
                return Err("`-e SOURCE_DATE_EPOCH=…` must come before the other `-e`".to_owned());
            }
            source_date_epoch =
                epoch.parse().map_err(|_| format!("bad SOURCE_DATE_EPOCH `{epoch}`"))?;
        } else if !is_env_name(value) {
            return Err(format!("`-e {value}`: pass host variables as `-e NAME`, without a value"));
        }
        first_env = false;
        rest = after;
    }
    let [image, "--tar-to-stdout", "-"] = rest else {
        return Err("expected `<imager image> --tar-to-stdout -` last".to_owned());
    };
    if image.starts_with('-')
        || !repository(image).ends_with("/imager")
        || !image.contains([':', '@'])
    {
        return Err(format!("`{image}` is not a tagged or pinned `…/imager` reference"));
    }
    Ok(RunArgs { arch, kind, source_date_epoch })
}

/// `cozy-imager-<8 lowercase hex>-<arch>-<variant>-<kind>` → (arch, kind).
fn parse_name(name: &str) -> Result<(String, String), String> {
    let bad =
        || format!("container name `{name}` is not `cozy-imager-<8 hex>-<arch>-<variant>-<kind>`");
    let rest = name.strip_prefix("cozy-imager-").ok_or_else(bad)?;
    let (run_id, rest) = rest.split_once('-').ok_or_else(bad)?;
    if run_id.len() != 8 || !run_id.bytes().all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(bad());
    }
    let (arch, rest) = rest.split_once('-').ok_or_else(bad)?;
    let (variant, kind) = rest.rsplit_once('-').ok_or_else(bad)?;
    let variant_ok = !variant.is_empty()
        && !variant.starts_with('-')
        && !variant.ends_with('-')
        && variant
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-');
    if !matches!(arch, "amd64" | "arm64") || !variant_ok || !KINDS.contains(&kind) {
        return Err(bad());
    }
    Ok((arch.to_owned(), kind.to_owned()))
}

fn is_env_name(value: &str) -> bool {
    let mut bytes = value.bytes();
    bytes.next().is_some_and(|first| first.is_ascii_alphabetic() || first == b'_')
        && bytes.all(|byte| byte.is_ascii_alphanumeric() || byte == b'_')
}

/// The fields of the imager profile the fake reads (spec 3.1).
struct Profile {
    arch: String,
    platform: String,
    secureboot: bool,
    version: String,
    /// The arch directory of `input.kernel.path`, which decides the kernel's `Machine`.
    kernel_arch: String,
    base_installer: String,
    extensions: Vec<String>,
    output_kind: String,
    disk_format: String,
    out_format: String,
}

impl Profile {
    fn parse(yaml: &str) -> Result<Profile, String> {
        let doc: Value =
            serde_yaml::from_str(yaml).map_err(|err| format!("failed to parse profile: {err}"))?;
        let text = |path: &[&str]| -> String {
            let mut node = &doc;
            for key in path {
                node = &node[*key];
            }
            match node {
                Value::String(text) => text.clone(),
                Value::Number(number) => number.to_string(),
                _ => String::new(),
            }
        };
        let arch = text(&["arch"]);
        if arch != "amd64" && arch != "arm64" {
            return Err(format!("invalid arch {arch:?}"));
        }
        let version = text(&["version"]);
        if version.is_empty() {
            return Err("version is required".to_owned());
        }
        let platform = text(&["platform"]);
        if platform.is_empty() {
            return Err("platform is required".to_owned());
        }
        let output_kind = text(&["output", "kind"]);
        let kernel_args = doc["customization"]["extraKernelArgs"].as_sequence().map_or(0, Vec::len);
        match output_kind.as_str() {
            "image" => {
                let disk_size = doc["output"]["imageOptions"]["diskSize"].as_u64().unwrap_or(0);
                if disk_size == 0 {
                    return Err("disk size is required for image output".to_owned());
                }
            }
            "kernel" | "initramfs" if kernel_args > 0 => {
                return Err(format!(
                    "customization of kernel args is not supported for {output_kind} output"
                ));
            }
            "iso" | "installer" | "kernel" | "initramfs" => {}
            "" => return Err("unknown output kind".to_owned()),
            other => return Err(format!("unknown output kind {other:?}")),
        }
        let kernel_path = text(&["input", "kernel", "path"]);
        let kernel_arch = ["amd64", "arm64"]
            .into_iter()
            .find(|arch| kernel_path == format!("/usr/install/{arch}/vmlinuz"))
            .ok_or_else(|| {
                format!("open {kernel_path:?}: no such file or directory (input.kernel.path)")
            })?;
        let initramfs_path = text(&["input", "initramfs", "path"]);
        if !["amd64", "arm64"]
            .iter()
            .any(|arch| initramfs_path == format!("/usr/install/{arch}/initramfs.xz"))
        {
            return Err(format!(
                "open {initramfs_path:?}: no such file or directory (input.initramfs.path)"
            ));
        }
        let base_installer = text(&["input", "baseInstaller", "imageRef"]);
        if output_kind == "installer" && base_installer.is_empty() {
            return Err("input.baseInstaller.imageRef is required for installer output".to_owned());
        }
        let mut extensions = Vec::new();
        for (index, item) in
            doc["input"]["systemExtensions"].as_sequence().into_iter().flatten().enumerate()
        {
            let reference = item["imageRef"].as_str().unwrap_or_default();
            if reference.is_empty() {
                return Err(format!("input.systemExtensions[{index}].imageRef is empty"));
            }
            extensions.push(extension_item(reference));
        }
        let disk_format = text(&["output", "imageOptions", "diskFormat"]);
        Ok(Profile {
            arch,
            platform,
            secureboot: doc["secureboot"].as_bool().unwrap_or(false),
            version,
            kernel_arch: kernel_arch.to_owned(),
            base_installer,
            extensions,
            output_kind,
            disk_format: if disk_format.is_empty() { "raw".to_owned() } else { disk_format },
            out_format: text(&["output", "outFormat"]),
        })
    }

    /// The container name says which unit this is; the profile must be that unit's.
    fn matches(&self, args: &RunArgs) -> Result<(), String> {
        let kind = match (self.output_kind.as_str(), self.platform.as_str()) {
            ("image", platform) => platform,
            (kind, _) => kind,
        };
        if args.arch != self.arch || args.kind != kind {
            return Err(format!(
                "the container name is for {}/{} but the profile builds {}/{kind}",
                args.arch, args.kind, self.arch
            ));
        }
        Ok(())
    }

    /// The output file's name and bytes.
    fn output(&self) -> Result<(String, Vec<u8>), Exit> {
        let (arch, platform) = (&self.arch, &self.platform);
        let secureboot = if self.secureboot { "-secureboot" } else { "" };
        let (name, data) = match self.output_kind.as_str() {
            "kernel" => (format!("kernel-{arch}"), self.kernel()),
            "initramfs" => (format!("initramfs-{platform}-{arch}.xz"), self.initramfs()),
            "installer" => (
                format!("installer-{arch}{secureboot}.tar"),
                installer::docker_archive(arch, &self.version, &self.kernel(), &self.initramfs()),
            ),
            "iso" => (format!("{platform}-{arch}{secureboot}.iso"), iso(&self.version)),
            _ => (
                format!("{platform}-{arch}{secureboot}.{}", self.disk_format),
                disk_image(&self.base_installer),
            ),
        };
        match self.out_format.as_str() {
            "" | "raw" => Ok((name, data)),
            ".xz" => Ok((format!("{name}.xz"), initramfs::xz(&data))),
            other => {
                Err(Exit(1, format!("error: outFormat {other:?} is not supported by fake-docker")))
            }
        }
    }

    fn kernel(&self) -> Vec<u8> {
        let wrong = std::env::var("FAKE_IMAGER_WRONG_MACHINE").is_ok_and(|value| value == "1");
        let amd64 = (self.kernel_arch == "amd64") != wrong;
        let machine = if amd64 { pe::MACHINE_AMD64 } else { pe::MACHINE_ARM64 };
        let text =
            format!("fake Linux kernel of Talos {} for {}\n", self.version, self.kernel_arch);
        pe::build(machine, &[(".text", text.as_bytes())], amd64, !amd64)
    }

    fn initramfs(&self) -> Vec<u8> {
        let drop = std::env::var("FAKE_IMAGER_DROP_EXTENSION").ok();
        let opts = initramfs::Options { xz_extensions: false, drop_extension: drop.as_deref() };
        let items: Vec<&str> = self.extensions.iter().map(String::as_str).collect();
        initramfs::build(&items, &self.version, &opts)
    }
}

/// `ghcr.io/siderolabs/drbd:9.3.2-v1.13.6@sha256:…` → `drbd:9.3.2-v1.13.6` (basename, tag).
fn extension_item(reference: &str) -> String {
    let reference = reference.split_once('@').map_or(reference, |(name, _)| name);
    reference.rsplit('/').next().unwrap_or(reference).to_owned()
}

/// 36 KiB: system area, a primary volume descriptor (`CD001` at 32769) and the terminator.
fn iso(version: &str) -> Vec<u8> {
    let mut image = vec![0u8; 36 * 1024];
    image[32768] = 1;
    image[32769..32774].copy_from_slice(b"CD001");
    image[32774] = 1;
    let volume = format!("{:<32}", format!("TALOS_{}", version.replace('.', "_").to_uppercase()));
    image[32808..32840].copy_from_slice(&volume.as_bytes()[..32]);
    image[34816] = 255;
    image[34817..34822].copy_from_slice(b"CD001");
    image[34822] = 1;
    image
}

/// 64 KiB: a protective MBR and the `EFI PART` GPT header signature, then a fixed pattern.
fn disk_image(seed: &str) -> Vec<u8> {
    let mut image: Vec<u8> = (0..64 * 1024u32).map(|index| (index % 97) as u8).collect();
    image[..512].fill(0);
    image[446 + 4] = 0xee;
    image[510..512].copy_from_slice(&[0x55, 0xaa]);
    image[512..520].copy_from_slice(b"EFI PART");
    let tag = format!("fake disk from {seed}");
    image[1024..1024 + tag.len().min(512)].copy_from_slice(&tag.as_bytes()[..tag.len().min(512)]);
    image
}

enum Member<'a> {
    File(&'a str, &'a [u8]),
    Symlink(&'a str, &'a str),
}

/// A gzip tar of `members`, as the imager's `archiver.TarGz` writes `/out` (no root entry).
fn tar_gz(members: &[Member<'_>], mtime: u64) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for member in members {
        let mut header = tar::Header::new_ustar();
        header.set_mtime(mtime);
        header.set_uid(0);
        header.set_gid(0);
        let (name, data): (&str, &[u8]) = match member {
            Member::File(name, data) => {
                header.set_entry_type(tar::EntryType::Regular);
                header.set_mode(0o644);
                header.set_size(data.len() as u64);
                (name, data)
            }
            Member::Symlink(name, target) => {
                header.set_entry_type(tar::EntryType::Symlink);
                header.set_mode(0o777);
                header.set_size(0);
                header.set_link_name(target).expect("a short link target");
                (name, b"")
            }
        };
        builder.append_data(&mut header, name, data).expect("a tar into memory");
    }
    let tar = builder.into_inner().expect("a tar into memory");
    let mut gzip = flate2::GzBuilder::new().mtime(0).write(Vec::new(), flate2::Compression::fast());
    gzip.write_all(&tar).expect("gzip into memory");
    gzip.finish().expect("gzip into memory")
}
