//! The command line, as clap types only: doc comments are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::output::ColorChoice;

/// One CLI for a Cozystack-style Helm monorepo: discover packages, update upstream charts, build
/// images, render, diff and apply releases, generate values docs, build Talos images.
#[derive(Debug, Parser)]
#[command(name = "cozy", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Run as if cozy was started in DIR.
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub directory: Option<PathBuf>,
    /// Echo every external command before it runs (`-vv`: also debug lines).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Print only errors on stderr.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print the commands that would change a cluster, a registry or files instead of running them.
    #[arg(long, global = true)]
    pub dry_run: bool,
    /// When to use color.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Work with packages: list, update, image, show, diff, apply, …
    #[command(subcommand)]
    Pkg(PkgCommand),
    /// Write README `## Parameters` tables and values.schema.json from annotated values.yaml.
    ///
    /// With packages (or `--all`, `--changed-since`) it works on the workspace, reading each
    /// package's `[generate]`. With `-v/--values` it works on files alone, taking the replaced
    /// tools' flags: `cozy generate -v values.yaml -s values.schema.json -r README.md`. In
    /// this command `-v` means `--values`; use `--verbose` (or `cozy -v generate`) to echo.
    Generate(GenerateArgs),
    /// Refresh the Grafana dashboards listed in `dashboards/dashboards.toml`.
    #[command(subcommand)]
    Dashboards(DashboardsCommand),
    /// Build, verify and publish Talos boot assets and installer images (packages/core/talos).
    #[command(subcommand)]
    Talos(TalosCommand),
    /// Manage remote BuildKit builders for `pkg image` and Talos builds.
    #[command(subcommand)]
    Builder(BuilderCommand),
    /// Print the JSON Schema of `cozy.toml` (or, with `--talos`, of `talos.toml`).
    Schema(SchemaArgs),
    /// Print a shell completion script: `cozy completions bash > /etc/bash_completion.d/cozy`.
    Completions(CompletionsArgs),
    /// Helm post-renderer: add Flux's labels to the manifests on stdin (used by `pkg apply`).
    #[command(name = "__post-render", hide = true)]
    PostRender(PostRenderArgs),
}

/// `cozy __post-render`.
#[derive(Debug, Args)]
pub struct PostRenderArgs {
    /// HelmRelease name.
    #[arg(long)]
    pub name: String,
    /// HelmRelease namespace.
    #[arg(long)]
    pub namespace: String,
}

/// `cozy pkg …`.
#[derive(Debug, Subcommand)]
pub enum PkgCommand {
    /// List packages with their kind, release identity and chart version.
    List(ListArgs),
    /// Run the packages' declared `[[update.step]]`s: fetch upstream charts and sources, edit,
    /// patch. A package changes only when all its steps succeed.
    Update(UpdateArgs),
    /// Render the release as Flux would install it: `helm template` with the HelmRelease's
    /// values and Flux's labels (`--plain`: the package alone, no cluster).
    Show(Box<ShowArgs>),
    /// Show what an apply would change: against the installed release (default), or between
    /// two git revisions with `--rev A[..B]` and no cluster at all.
    Diff(Box<DiffArgs>),
    /// Install or upgrade the release: suspend its HelmRelease, then `helm upgrade --install`
    /// with the HelmRelease's values and Flux's labels.
    Apply(Box<ApplyArgs>),
    /// Suspend the HelmRelease, so Flux stops reconciling it.
    Suspend(ClusterArgs),
    /// Resume the HelmRelease, handing the release back to Flux.
    Resume(ClusterArgs),
    /// Suspend the HelmRelease and uninstall the Helm release (the HelmRelease stays).
    Delete(ClusterArgs),
    /// Show each HelmRelease's suspend flag and Ready condition.
    Status(ClusterArgs),
    /// Start a package from a template in `templates/`: `cozy pkg new apps/cache`.
    New(NewArgs),
    /// Build the packages' `[[image]]`s with `docker buildx` and write the new references back.
    Image(ImageArgs),
    /// Check the manifests: one producer per image reference, write-backs only to the allowed
    /// shapes. Exit 1 when something is wrong.
    Lint(LintArgs),
    /// Write `cozy.toml` from the package's Makefile and report every recipe line it could not
    /// express. Exit 1 when a package is only partly (or not) migrated.
    Migrate(MigrateArgs),
}

/// `cozy pkg image`. The environment names of hack/common-envs.mk (REGISTRY, IMAGE_TAG,
/// PUSH, LOAD, OCI_EXPORT_DIR, …) keep their meaning; these flags override them.
#[derive(Debug, Args)]
pub struct ImageArgs {
    /// Which packages (default: the one the current directory is in).
    #[command(flatten)]
    pub select: SelectArgs,
    /// Where the image goes.
    #[command(flatten)]
    pub target: PublishArgs,
    /// Push the image (`PUSH=1`).
    #[arg(long, overrides_with = "no_push")]
    pub push: bool,
    /// Do not push the image (`PUSH=0`).
    #[arg(long)]
    pub no_push: bool,
    /// Load the image into the local docker (`LOAD=1`).
    #[arg(long)]
    pub load: bool,
    /// buildx builder (`BUILDER`).
    #[arg(long, value_name = "NAME")]
    pub builder: Option<String>,
    /// Target platforms (`PLATFORM`), e.g. `linux/amd64,linux/arm64`.
    #[arg(long, value_name = "PLATFORMS")]
    pub platform: Option<String>,
    /// The platform version (`COZYSTACK_VERSION`; default from `git describe`).
    #[arg(long, value_name = "VERSION")]
    pub cozystack_version: Option<String>,
}

/// Where images are pushed: the flags over REGISTRY and IMAGE_TAG of hack/common-envs.mk.
#[derive(Debug, Clone, Args)]
pub struct PublishArgs {
    /// Image repository prefix (`REGISTRY`).
    #[arg(long, value_name = "REGISTRY")]
    pub registry: Option<String>,
    /// The tag to push (`IMAGE_TAG`).
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
}

/// `cozy completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `cozy dashboards …`.
#[derive(Debug, Subcommand)]
pub enum DashboardsCommand {
    /// Fetch every dashboard, apply its edits, write pretty-printed JSON.
    Update(DashboardsUpdateArgs),
}

/// `cozy dashboards update`.
#[derive(Debug, Args)]
pub struct DashboardsUpdateArgs {
    /// Write nothing: print a diff of every dashboard that would change; exit 1 if any would.
    #[arg(long)]
    pub check: bool,
}

/// `cozy builder …`.
#[derive(Debug, Subcommand)]
pub enum BuilderCommand {
    /// Create a buildx builder (`docker buildx create`), e.g. BuildKit pods in a Kubernetes
    /// cluster with the kubernetes driver; use it with `--builder NAME` or `BUILDER=NAME`.
    Create(BuilderCreateArgs),
}

/// `cozy builder create`.
#[derive(Debug, Args)]
pub struct BuilderCreateArgs {
    /// Builder name.
    #[arg(long, default_value = "cozy")]
    pub name: String,
    /// buildx driver.
    #[arg(long, default_value = "kubernetes")]
    pub driver: String,
    /// Namespace of the BuildKit pods (kubernetes driver).
    #[arg(long, value_name = "NAMESPACE")]
    pub namespace: Option<String>,
    /// Number of BuildKit pods (kubernetes driver).
    #[arg(long, value_name = "N")]
    pub replicas: Option<u16>,
    /// Platforms the builder serves, e.g. `linux/amd64,linux/arm64`.
    #[arg(long, value_name = "PLATFORMS")]
    pub platform: Option<String>,
    /// Make it the default builder (`docker buildx create --use`).
    #[arg(long = "use")]
    pub use_builder: bool,
}

/// `cozy pkg new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// `KIND/NAME`, e.g. `apps/cache` (created as `packages/apps/cache`).
    #[arg(value_name = "KIND/NAME")]
    pub package: String,
    /// Template directory under `templates/` (default: `app` for apps and extra, else `system`).
    #[arg(long, value_name = "NAME")]
    pub template: Option<String>,
}

/// `cozy pkg migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// Which packages (default: the one the current directory is in).
    #[command(flatten)]
    pub select: SelectArgs,
    /// Overwrite an existing `cozy.toml` (without it, an existing file is left alone).
    #[arg(long)]
    pub force: bool,
}

/// `cozy pkg lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Which packages (default: all).
    #[command(flatten)]
    pub select: SelectArgs,
}

/// Package selection and the release, for the simple cluster verbs.
#[derive(Debug, Args)]
pub struct ClusterArgs {
    /// Which packages (default: the one the current directory is in).
    #[command(flatten)]
    pub select: SelectArgs,
    /// The release.
    #[command(flatten)]
    pub release: ReleaseArgs,
}

/// `cozy pkg apply`.
#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// Which packages (default: the one the current directory is in).
    #[command(flatten)]
    pub select: SelectArgs,
    /// The release.
    #[command(flatten)]
    pub release: ReleaseArgs,
    /// Values and capabilities.
    #[command(flatten)]
    pub render: RenderArgs,
    /// Resume the HelmRelease afterwards (otherwise it stays suspended).
    #[arg(long)]
    pub resume: bool,
    /// Let helm adopt existing objects (`--take-ownership`).
    #[arg(long)]
    pub take_ownership: bool,
    /// Act without confirmation: skip the guards on the kube context and non-interactive runs.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// `cozy pkg diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Which packages (default: the one the current directory is in; with `--rev`, the
    /// packages changed since A).
    #[command(flatten)]
    pub select: SelectArgs,
    /// The release.
    #[command(flatten)]
    pub release: ReleaseArgs,
    /// Values and capabilities.
    #[command(flatten)]
    pub render: RenderArgs,
    /// Compare renders of two git revisions: `A..B`, or `A` for A against the working tree.
    #[arg(long, value_name = "A[..B]")]
    pub rev: Option<String>,
    /// Show Secret data instead of its digests.
    #[arg(long)]
    pub show_secrets: bool,
    /// Lines of context around changes, as `diff -U`; -1 shows whole objects.
    #[arg(short = 'U', long, value_name = "N", default_value_t = 3, allow_negative_numbers = true)]
    pub unified: i64,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = DiffFormat::Text)]
    pub output: DiffFormat,
}

/// The release to act on and how to reach the cluster.
#[derive(Debug, Default, Args)]
pub struct ReleaseArgs {
    /// Release name (required for apps, which are instantiated per tenant).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Release namespace (required for apps).
    #[arg(long, value_name = "NAMESPACE")]
    pub namespace: Option<String>,
    /// kubeconfig file for kubectl.
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<String>,
    /// kube context for kubectl.
    #[arg(long, value_name = "CONTEXT")]
    pub context: Option<String>,
    /// How many packages to work on at once.
    #[arg(short = 'j', long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: u16,
}

/// Values and capabilities for a render.
#[derive(Debug, Default, Args)]
pub struct RenderArgs {
    /// Render from the package alone: no HelmRelease, no cluster, no Flux labels.
    #[arg(long)]
    pub plain: bool,
    /// Extra values files, merged last.
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    pub values: Vec<PathBuf>,
    /// Extra `--set` values for helm.
    #[arg(long, value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Kubernetes version to render against (default: the cluster's, or `[render] kube_version`).
    #[arg(long, value_name = "VERSION")]
    pub kube_version: Option<String>,
    /// API versions to render against (default: the cluster's, or `[render] api_versions`).
    #[arg(long = "api-versions", value_name = "GROUP/VERSION")]
    pub api_versions: Vec<String>,
}

/// `cozy pkg show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Which packages (default: the one the current directory is in).
    #[command(flatten)]
    pub select: SelectArgs,
    /// The release.
    #[command(flatten)]
    pub release: ReleaseArgs,
    /// Values and capabilities.
    #[command(flatten)]
    pub render: RenderArgs,
    /// Only templates matching this glob (`templates/deployment.yaml`); repeatable.
    #[arg(short = 's', long = "show-only", value_name = "GLOB")]
    pub show_only: Vec<String>,
}

/// `cozy pkg update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// Which packages (default: the one the current directory is in).
    #[command(flatten)]
    pub select: SelectArgs,
    /// Fetch exactly the sources recorded in each package's cozy.lock (and check their sha256).
    #[arg(long)]
    pub locked: bool,
    /// Refuse archives larger than this many bytes once decompressed.
    #[arg(long, value_name = "BYTES", default_value_t = crate::archive::DEFAULT_MAX_BYTES)]
    pub max_archive_size: u64,
}

/// Package selection, shared by every `pkg` verb.
#[derive(Clone, Debug, Default, Args)]
pub struct SelectArgs {
    /// Packages by name (`cilium`) or path (`packages/system/cilium`, `system/cilium`, `.`).
    #[arg(value_name = "PKG")]
    pub packages: Vec<String>,
    /// Select every package.
    #[arg(long, conflicts_with_all = ["packages", "changed_since"])]
    pub all: bool,
    /// Only packages of this kind (the directory under `packages/`); repeatable.
    #[arg(long, value_name = "KIND")]
    pub kind: Vec<String>,
    /// Packages with files changed since the merge base with REF (plus uncommitted and untracked
    /// files), and every package that depends on them.
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,
    /// With `--changed-since`: only committed changes.
    #[arg(long, requires = "changed_since")]
    pub committed: bool,
    /// The verb the selection is for, whose `[select.<verb>] full_rebuild` globs also apply.
    #[arg(skip)]
    pub verb: Option<String>,
}

/// `cozy pkg list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Which packages (all when none is given).
    #[command(flatten)]
    pub select: SelectArgs,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ListFormat::Table)]
    pub output: ListFormat,
    /// Only packages that a verb would act on: `image` (packages with `[[image]]` and
    /// `[build] ci = true`, in `[build] units` order), `update`, `generate`.
    #[arg(long = "for", value_enum, value_name = "VERB")]
    pub for_verb: Option<ForVerb>,
}

/// `cozy pkg list --output`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// An aligned table for people.
    Table,
    /// A JSON array of objects for scripts.
    Json,
    /// A one-line JSON array of package paths (a CI build matrix, `[]` when empty).
    Paths,
}

/// `cozy pkg diff --output`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// helm-diff style report with unified diffs.
    Text,
    /// A JSON array of `{package, key, change, diff}`.
    Json,
}

/// `cozy pkg list --for`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ForVerb {
    /// `cozy pkg image`.
    Image,
    /// `cozy pkg update`.
    Update,
    /// `cozy generate`.
    Generate,
}

/// `cozy generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Which packages (default: the one the current directory is in).
    #[command(flatten)]
    pub select: SelectArgs,
    /// Write nothing: print a diff of every file that would change; exit 1 if any would.
    #[arg(long)]
    pub check: bool,
    /// Annotation dialect, instead of detecting it from values.yaml.
    #[arg(long, value_enum, value_name = "DIALECT")]
    pub dialect: Option<DialectArg>,
    /// Standalone: the annotated values file (`-v` in this command).
    #[arg(long, value_name = "FILE")]
    pub values: Option<PathBuf>,
    /// Standalone: write values.schema.json here.
    #[arg(short = 's', long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// Standalone: update the Parameters section of this README.
    #[arg(short = 'r', long, value_name = "FILE")]
    pub readme: Option<PathBuf>,
    /// Standalone: write Go types here (cozyvalues dialect).
    #[arg(short = 'g', long = "go-types", alias = "debug-go", value_name = "FILE")]
    pub go_types: Option<PathBuf>,
    /// Standalone: Go package name for `-g`.
    #[arg(short = 'm', long, value_name = "NAME", default_value = "values")]
    pub module: String,
    /// Standalone: API group in the `-g` header marker.
    #[arg(long, value_name = "GROUP", default_value = "apps.cozystack.io")]
    pub group_name: String,
    /// Standalone: API version in the `-g` header marker.
    #[arg(long, value_name = "VERSION", default_value = "v1alpha1")]
    pub version_name: String,
    /// Standalone: readme-generator config.json (bitnami dialect).
    #[arg(short = 'c', long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

impl GenerateArgs {
    /// Whether any file flag was given, which selects standalone mode.
    #[must_use]
    pub fn is_standalone(&self) -> bool {
        self.values.is_some()
            || self.schema.is_some()
            || self.readme.is_some()
            || self.go_types.is_some()
    }
}

/// `--dialect`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DialectArg {
    /// cozyvalues-gen: `## @param {type} name - description`.
    Cozyvalues,
    /// bitnami readme-generator: `## @param a.b description`.
    Bitnami,
}

/// Rewrites `-v FILE` after `generate` into `--values FILE`, so the replaced tools' short flag
/// works although `-v` is cozy's global verbose flag elsewhere.
#[must_use]
pub fn rewrite_generate_values_flag(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    // Find the subcommand: the first argument (after the program name) that is neither an
    // option nor the value of `-C`.
    let mut subcommand = None;
    let mut skip_value = false;
    for (index, arg) in args.iter().enumerate().skip(1) {
        if std::mem::take(&mut skip_value) {
            continue;
        }
        match arg.to_str() {
            Some("-C") => skip_value = true,
            Some(text) if text.starts_with('-') => {}
            _ => {
                subcommand = Some(index);
                break;
            }
        }
    }
    let Some(generate) = subcommand.filter(|&index| args[index] == "generate") else { return args };
    args.into_iter()
        .enumerate()
        .map(|(index, arg)| {
            if index <= generate {
                return arg;
            }
            match arg.to_str() {
                Some("-v") => "--values".into(),
                Some(text) if text.starts_with("-v=") => format!("--values={}", &text[3..]).into(),
                _ => arg,
            }
        })
        .collect()
}

/// `cozy schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Print the schema of the root `cozy.toml` (the one with `[workspace]`) instead of a package's.
    #[arg(long, conflicts_with = "talos")]
    pub workspace: bool,
    /// Print the schema of `packages/core/talos/talos.toml` (Talos builds) instead of a package's.
    #[arg(long)]
    pub talos: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(args: &[&str]) -> Vec<String> {
        let args = args.iter().map(std::ffi::OsString::from).collect();
        rewrite_generate_values_flag(args)
            .into_iter()
            .map(|arg| arg.into_string().unwrap())
            .collect()
    }

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory as _;
        Cli::command().debug_assert();
    }

    #[test]
    fn only_generate_takes_v_as_values() {
        assert_eq!(
            rewrite(&["cozy", "generate", "-v", "values.yaml", "-s", "s.json"]),
            ["cozy", "generate", "--values", "values.yaml", "-s", "s.json"]
        );
        assert_eq!(
            rewrite(&["cozy", "-v", "-C", "x", "generate", "-v=a.yaml"]),
            ["cozy", "-v", "-C", "x", "generate", "--values=a.yaml"]
        );
        assert_eq!(
            rewrite(&["cozy", "pkg", "list", "generate", "-v"]),
            ["cozy", "pkg", "list", "generate", "-v"]
        );
        assert_eq!(
            rewrite(&["cozy", "-C", "generate", "pkg", "-v"]),
            ["cozy", "-C", "generate", "pkg", "-v"]
        );
    }
}

/// `cozy talos …`.
#[derive(Debug, Subcommand)]
pub enum TalosCommand {
    /// Resolve extension references from the extensions image's `/image-digests` and write
    /// `talos.lock` (and, with `--write-profiles`, the checked-in imager profiles).
    Update(TalosUpdateArgs),
    /// Print the imager profile of one (arch, variant, kind); pure, no network.
    Render(TalosRenderArgs),
    /// Run the Talos imager for every selected (arch, variant, kind) and lay the assets out under
    /// `_out/assets/talos/<arch>/<variant>/` with checksums and a build report.
    Build(TalosBuildArgs),
    /// Check built units natively: layout, checksums, kernel architecture, extensions.
    Verify(TalosVerifyArgs),
    /// Look inside an image without a container: docker-archive:, oci-archive:, oci:, docker://.
    Inspect(TalosInspectArgs),
    /// Push the installer images of built units with skopeo (REGISTRY, IMAGE_TAG, PUBLISH_*,
    /// OCI_EXPORT_DIR); without `--arch`, the architectures whose installer was built.
    Push(TalosPushArgs),
    /// Build and push the matchbox PXE image of built units with docker buildx (REGISTRY,
    /// IMAGE_TAG, BUILDER).
    Matchbox(TalosMatchboxArgs),
    /// Print the lock as shell variables: `TALOS_VERSION=…` and `<NAME>_IMAGE=…` lines.
    Lock(TalosLockArgs),
}

/// Which units (arch × variant) a Talos command works on.
#[derive(Debug, Clone, Args)]
pub struct TalosUnitArgs {
    /// Architectures, comma-separated (default: `[build] arches`).
    #[arg(long, value_delimiter = ',', value_name = "ARCH")]
    pub arch: Vec<String>,
    /// Variants or aliases, comma-separated, or `all` (default: `default`).
    #[arg(long, value_delimiter = ',', value_name = "VARIANT")]
    pub variant: Vec<String>,
}

/// `cozy talos update`.
#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools, reason = "independent command-line switches")]
pub struct TalosUpdateArgs {
    /// Resolve this Talos version instead of `[talos] version`.
    #[arg(long, value_name = "vX.Y.Z", conflicts_with = "latest")]
    pub talos_version: Option<String>,
    /// Resolve the newest `vX.Y.Z` tag of the imager.
    #[arg(long)]
    pub latest: bool,
    /// Also write `images/talos/profiles/<kind>.yaml` for (amd64, default).
    #[arg(long)]
    pub write_profiles: bool,
    /// Pin the imager by digest in the lock.
    #[arg(long)]
    pub pin_tools: bool,
    /// Write nothing; exit 1 if the lock or a checked-in profile would change.
    #[arg(long)]
    pub check: bool,
    /// Allow plain HTTP to this registry host (loopback hosts always are).
    #[arg(long, value_name = "HOST")]
    pub insecure_registry: Vec<String>,
}

/// `cozy talos render`.
#[derive(Debug, Args)]
pub struct TalosRenderArgs {
    /// The architecture: amd64 or arm64.
    #[arg(long)]
    pub arch: String,
    /// The variant (or an alias).
    #[arg(long, default_value = "default")]
    pub variant: String,
    /// The kind: initramfs, kernel, iso, installer, metal, nocloud, openstack.
    #[arg(long)]
    pub kind: String,
}

/// `cozy talos build`.
#[derive(Debug, Args)]
pub struct TalosBuildArgs {
    /// Which units.
    #[command(flatten)]
    pub units: TalosUnitArgs,
    /// Kinds, comma-separated, or `all` (default: `[build] kinds`, or the variant's own).
    #[arg(long, value_delimiter = ',', value_name = "KIND")]
    pub kind: Vec<String>,
    /// Units built at the same time (each image kind needs ~1.3 GB of scratch).
    #[arg(short = 'j', long, default_value_t = 1, value_name = "N")]
    pub jobs: u16,
    /// Rebuild kinds whose profile and imager did not change.
    #[arg(long)]
    pub force: bool,
    /// Stop at the first failed unit.
    #[arg(long)]
    pub fail_fast: bool,
    /// `json`: one object per unit on stdout (unit, arch, variant, status, built, reused,
    /// dropped, path, error), for CI; the summary table goes to stderr either way.
    #[arg(short, long, value_enum, default_value_t = BuildFormat::Table)]
    pub output: BuildFormat,
}

/// `cozy talos build --output`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BuildFormat {
    /// The summary table on stderr only.
    Table,
    /// Also a JSON array on stdout.
    Json,
}

/// `cozy talos verify`.
#[derive(Debug, Args)]
pub struct TalosVerifyArgs {
    /// Unit directories (default: every unit under `<out_dir>/assets/talos`).
    pub units: Vec<PathBuf>,
    /// Also decompress the disk images (the xz stream check); the ISO 9660 signature is always
    /// checked.
    #[arg(long)]
    pub deep: bool,
    /// Re-render the profiles from the current talos.toml and talos.lock and report drift.
    #[arg(long)]
    pub against_config: bool,
}

/// `cozy talos inspect`.
#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools, reason = "clap flags of one required group")]
#[command(group(clap::ArgGroup::new("what").required(true)
    .args(["list", "export", "cat", "config", "talos"])))]
pub struct TalosInspectArgs {
    /// `docker-archive:PATH[:REF]`, `oci-archive:PATH[:REF]`, `oci:DIR[:REF]` or `docker://REF`.
    pub source: String,
    /// Platform to pick from an index (default: linux/amd64).
    #[arg(long, value_name = "OS/ARCH")]
    pub platform: Option<String>,
    /// List the merged filesystem: `type size path` per line, sorted; type is f (file),
    /// d (directory), l (symlink), h (hard link), c/b (devices) or p (FIFO).
    #[arg(long)]
    pub list: bool,
    /// Write the merged filesystem as a tar to stdout (like `crane export`).
    #[arg(long)]
    pub export: bool,
    /// Print one file of the merged filesystem.
    #[arg(long, value_name = "PATH")]
    pub cat: Option<String>,
    /// Print the image config JSON.
    #[arg(long)]
    pub config: bool,
    /// Check a Talos installer: config, boot files, kernel arch, extensions.
    #[arg(long)]
    pub talos: bool,
    /// Allow plain HTTP to this registry host (loopback hosts always are).
    #[arg(long, value_name = "HOST")]
    pub insecure_registry: Vec<String>,
}

/// `cozy talos push`.
#[derive(Debug, Args)]
pub struct TalosPushArgs {
    /// Which units.
    #[command(flatten)]
    pub units: TalosUnitArgs,
    /// Where the images go.
    #[command(flatten)]
    pub target: PublishArgs,
    /// Allow plain HTTP to this registry host (loopback hosts always are).
    #[arg(long, value_name = "HOST")]
    pub insecure_registry: Vec<String>,
}

/// `cozy talos matchbox`.
#[derive(Debug, Args)]
pub struct TalosMatchboxArgs {
    /// Which units.
    #[command(flatten)]
    pub units: TalosUnitArgs,
    /// Where the images go.
    #[command(flatten)]
    pub target: PublishArgs,
    /// buildx builder (`BUILDER`).
    #[arg(long, value_name = "NAME")]
    pub builder: Option<String>,
}

/// `cozy talos lock`.
#[derive(Debug, Args)]
pub struct TalosLockArgs {
    /// Print `TALOS_VERSION=` and `<NAME>_IMAGE=` lines.
    #[arg(long, required = true)]
    pub print_env: bool,
}
