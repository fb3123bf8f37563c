//! The per-package manifest `PKG/cozy.toml` (lifecycle.md §10): serde types with
//! `deny_unknown_fields` and a JSON Schema.
//!
//! Pure: parsing takes text and returns a manifest or an [`Error`] with the line and column of
//! the offending key. The file is optional; an absent file means [`PackageManifest::default`].

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The manifest format this cozy reads.
pub const SCHEMA_VERSION: u32 = 1;

/// `PKG/cozy.toml`: how cozy updates, builds, renders, generates and tests one package.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "cozy package manifest (PKG/cozy.toml)")]
pub struct PackageManifest {
    /// Manifest format version; `1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<u32>,
    /// Release identity for the cluster verbs (show, diff, apply, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<Release>,
    /// Named values used as `{var:NAME}` in templates, evaluated lazily against the current tree.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub vars: BTreeMap<String, VarSource>,
    /// `cozy pkg update`: ordered steps, applied to the package only when all succeed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<Update>,
    /// Membership in the image build set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<Build>,
    /// `cozy pkg image`: images built with `docker buildx` and written back into the tree.
    #[serde(default, rename = "image", skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<Image>,
    /// `cozy generate`: README parameters and values.schema.json from values.yaml.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate: Option<Generate>,
    /// `cozy pkg test`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test: Option<Test>,
    /// Offline render profiles for revision diffs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub render: Option<Render>,
    /// Extra inputs whose change selects this package (`--changed-since`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deps: Option<Deps>,
}

/// `[release]`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// How the package is released; defaults by kind (apps and extra: `app`; library charts:
    /// `none`; everything else: `helmrelease`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<ReleaseMode>,
    /// Release name (HelmRelease `metadata.name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Release namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Which platform-source variant to take the identity from when variants disagree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// How `plain` releases are applied with kubectl.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apply: Option<ApplyMode>,
}

/// `[release] mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReleaseMode {
    /// A Flux HelmRelease with a fixed name and namespace (system components).
    Helmrelease,
    /// Instantiated per tenant: the caller passes `--name` and `--namespace`.
    App,
    /// Rendered with defaults and applied with kubectl (installer, flux-aio).
    Plain,
    /// Not installable (library and test charts): cluster verbs refuse.
    None,
}

impl ReleaseMode {
    /// The spelling used in `cozy.toml` and in `cozy pkg list`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ReleaseMode::Helmrelease => "helmrelease",
            ReleaseMode::App => "app",
            ReleaseMode::Plain => "plain",
            ReleaseMode::None => "none",
        }
    }
}

impl fmt::Display for ReleaseMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `[release] apply`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ApplyMode {
    /// `kubectl apply -f -`.
    Client,
    /// `kubectl apply --server-side --force-conflicts -f -`.
    ServerSide,
}

/// `[vars] NAME = …`: a literal or a value read from the tree.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(
    untagged,
    expecting = "a string, or a table with one of `chart`, `yaml`, `dockerfile`, `file`"
)]
pub enum VarSource {
    /// A literal string.
    Literal(String),
    /// A field of a chart's Chart.yaml.
    Chart {
        /// The chart directory, relative to the package (`.` for the package itself).
        chart: String,
        /// Which field.
        field: ChartField,
    },
    /// A scalar in a YAML file.
    Yaml {
        /// The file, relative to the package.
        yaml: String,
        /// A dot path (`a.b[0].c`).
        path: String,
    },
    /// An `ARG NAME=value` default in a Dockerfile.
    Dockerfile {
        /// The Dockerfile, relative to the package.
        dockerfile: String,
        /// The ARG name.
        arg: String,
    },
    /// The first capture group of a regex over a file.
    File {
        /// The file, relative to the package.
        file: String,
        /// A regex with one capture group.
        regex: String,
    },
}

/// A Chart.yaml field a variable can read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum ChartField {
    /// `version`.
    #[serde(rename = "version")]
    Version,
    /// `appVersion`.
    #[serde(rename = "appVersion")]
    AppVersion,
}

/// `[update]`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Update {
    /// Verbs to run after a successful update, e.g. `["generate"]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub then: Vec<Verb>,
    /// Printed instead of running anything (packages with nothing to update).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The ordered steps (`[[update.step]]`).
    #[serde(default, rename = "step", skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
}

/// A verb another verb can chain to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Verb {
    /// `cozy generate`.
    Generate,
    /// `cozy pkg test`.
    Test,
}

/// A version: a literal (exact version or constraint) or a source resolved at update time.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(
    untagged,
    expecting = "a version string, or a table with one of `git_tags`, `git_branch_head`, `github_latest_release`, `var`"
)]
pub enum VersionSource {
    /// A literal version, constraint, tag or branch.
    Literal(String),
    /// The last tag of a git remote (`git ls-remote --tags --sort=v:refname`) that matches.
    GitTags {
        /// The remote URL.
        git_tags: String,
        /// Only tags matching this regex.
        #[serde(default, rename = "match", skip_serializing_if = "Option::is_none")]
        match_: Option<String>,
        /// A regex whose first group is the version taken from the tag.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        capture: Option<String>,
    },
    /// The head commit of a branch.
    GitBranchHead {
        /// The remote URL.
        git_branch_head: String,
        /// The branch; `main` when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        branch: Option<String>,
    },
    /// The latest GitHub release.
    GithubLatestRelease {
        /// `owner/repo`.
        github_latest_release: String,
        /// `tag_name` (default) or `name`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        field: Option<String>,
    },
    /// The value of a `[vars]` entry or of an earlier step's `as`.
    Var {
        /// The variable name.
        var: String,
    },
}

/// An expected match count: a number, or a comparison such as `">=1"`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(untagged, expecting = "a count, or a comparison string such as \">=1\"")]
pub enum Expect {
    /// Exactly this many.
    Count(u32),
    /// A comparison: `">=1"`, `"<=3"`, `"==2"`.
    Compare(String),
}

/// One value or a list of values.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany {
    /// A single value.
    One(String),
    /// Several values.
    Many(Vec<String>),
}

/// A scalar a YAML edit can write.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Scalar {
    /// A string (templates allowed).
    String(String),
    /// An integer.
    Integer(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Bool(bool),
}

/// One `[[update.step]]` (lifecycle.md §10.2), chosen by `kind`.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Step {
    /// Pull a chart from an HTTP chart repository or an OCI registry into `dest`.
    HelmPull {
        /// HTTP(S) chart repository URL.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        repo: Option<String>,
        /// `oci://` reference of the chart (without version).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        oci: Option<String>,
        /// Chart name in the repository.
        chart: String,
        /// Exact version or constraint (`1.16`, `^1.16`, `>=1.2 <2`); latest stable when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<VersionSource>,
        /// Pull by manifest digest (OCI).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        digest: Option<String>,
        /// Destination, relative to the package; `charts/<chart>` when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dest: Option<String>,
        /// Fail unless the pulled Chart.yaml has exactly this version.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expect_version: Option<String>,
        /// Paths inside `dest` removed after the pull (subcharts, tests).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        remove: Vec<String>,
        /// Paths removed just before the result is moved in (never through symlinks).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        clean: Vec<String>,
        /// Store the resolved version as this variable for later steps.
        #[serde(default, rename = "as", skip_serializing_if = "Option::is_none")]
        as_var: Option<String>,
    },
    /// Fetch a source archive (a GitHub repository at a tag or branch, or a URL).
    Archive {
        /// `owner/repo` on GitHub.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        github: Option<String>,
        /// Archive URL template.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        url: Option<String>,
        /// Tag or branch.
        #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
        git_ref: Option<VersionSource>,
        /// Directory inside the archive to take.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subpath: Option<String>,
        /// Destination, relative to the package.
        dest: String,
        /// Only these paths (relative to `subpath`) are kept.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        keep: Vec<String>,
        /// Branch to fetch when no tag matches.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fallback_branch: Option<String>,
        /// Paths removed just before the result is moved in.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        clean: Vec<String>,
        /// Store the resolved ref as this variable.
        #[serde(default, rename = "as", skip_serializing_if = "Option::is_none")]
        as_var: Option<String>,
    },
    /// Download one file.
    Download {
        /// URL template (`{version}` is the resolved `version`).
        url: String,
        /// Version used in the URL.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<VersionSource>,
        /// Destination file, relative to the package.
        dest: String,
        /// Paths removed just before the result is moved in.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        clean: Vec<String>,
        /// Store the resolved version as this variable.
        #[serde(default, rename = "as", skip_serializing_if = "Option::is_none")]
        as_var: Option<String>,
    },
    /// Render a kustomization into one file.
    Kustomize {
        /// Remote (`…?ref=`) or a fetched tree (`@fetch/…`).
        source: String,
        /// Image overrides, name = new reference.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        images: BTreeMap<String, String>,
        /// Destination file, relative to the package.
        dest: String,
        /// Paths removed just before the result is moved in.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        clean: Vec<String>,
    },
    /// Apply patch files.
    Patch {
        /// One patch file, relative to the package.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        file: Option<String>,
        /// Patch files by glob, applied in sorted order.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        glob: Option<String>,
        /// `-pN`; 1 when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        strip: Option<u32>,
        /// Skip patches that are already applied (`--forward`); true when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        forward: Option<bool>,
        /// Directory the patch applies in, relative to the package.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dir: Option<String>,
        /// A single file to patch.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        target: Option<String>,
        /// `patch` (default) or `git-apply`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tool: Option<PatchTool>,
    },
    /// Check that a patch still applies to an upstream file, without changing anything.
    CheckPatch {
        /// URL of the upstream file.
        url: String,
        /// Path the file takes inside the check tree.
        #[serde(rename = "as")]
        as_path: String,
        /// The patch, relative to the package.
        patch: String,
        /// `-pN`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        strip: Option<u32>,
    },
    /// Literal or regex replacement, and line deletion.
    Replace {
        /// One file, relative to the package.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        file: Option<String>,
        /// Files by glob.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        glob: Option<String>,
        /// Text to find.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        literal: Option<String>,
        /// Regex to find (`(?s)` allowed).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        regex: Option<String>,
        /// Replacement.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        with: Option<String>,
        /// Lines matching any of these regexes are deleted.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        delete_lines: Vec<String>,
        /// How many matches there must be.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expect: Option<Expect>,
    },
    /// Insert text once, next to an anchor.
    EnsureText {
        /// The file, relative to the package.
        file: String,
        /// Text to insert.
        text: String,
        /// Insert after the line matching this regex.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after: Option<String>,
        /// Insert before the line matching this regex.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before: Option<String>,
        /// Do nothing when the file already contains this.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unless_contains: Option<String>,
    },
    /// Set the default of a Dockerfile `ARG`.
    DockerfileArg {
        /// The Dockerfile, relative to the package.
        file: String,
        /// ARG name.
        arg: String,
        /// New default (template).
        value: String,
    },
    /// Set a scalar in a YAML file, keeping comments and style.
    YamlSet {
        /// The file, relative to the package.
        file: String,
        /// Dot path.
        path: String,
        /// New value.
        value: Scalar,
        /// Create missing keys.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        create: Option<bool>,
    },
    /// Delete a key from a YAML file.
    YamlDelete {
        /// The file, relative to the package.
        file: String,
        /// Dot path.
        path: String,
    },
    /// Drop documents of a kind from a multi-document YAML file.
    DropDocs {
        /// The file, relative to the package.
        file: String,
        /// Kind or kinds.
        match_kind: OneOrMany,
    },
    /// Keep only documents of a kind.
    KeepDocs {
        /// The file, relative to the package.
        file: String,
        /// Kind or kinds.
        match_kind: OneOrMany,
    },
    /// Stamp `helm.sh/resource-policy: keep` on every CRD.
    CrdKeep {
        /// One file.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        file: Option<String>,
        /// Files by glob.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        glob: Option<String>,
        /// Insert after the line matching this regex.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        anchor: Option<String>,
        /// Stamps expected per CRD.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expect_per_crd: Option<u32>,
    },
    /// Copy files (may point into another package or the fetched tree `@fetch/…`).
    Copy {
        /// Source path or glob.
        from: String,
        /// Destination.
        to: String,
    },
    /// Move files.
    Move {
        /// Source path or glob.
        from: String,
        /// Destination.
        to: String,
    },
    /// Remove paths (never through symlinks).
    Remove {
        /// Paths, relative to the package.
        paths: Vec<String>,
    },
    /// `gzip -nc SRC > DEST`.
    Gzip {
        /// Source file.
        src: String,
        /// Destination file.
        dest: String,
    },
    /// Fail unless a file contains (or lacks) a text, or a variable has a value.
    Assert {
        /// The file, relative to the package.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        file: Option<String>,
        /// Text that must be present.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        contains: Option<String>,
        /// Text that must be absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        absent: Option<String>,
        /// A variable to check.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        var: Option<String>,
        /// The value the variable must have.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        equals: Option<String>,
    },
    /// Run a program (the escape hatch), in the staging copy of the package.
    Run {
        /// Program and arguments.
        argv: Vec<String>,
        /// Extra environment.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        env: BTreeMap<String, String>,
    },
}

/// `[[update.step]] tool` for patches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PatchTool {
    /// GNU `patch --no-backup-if-mismatch`.
    Patch,
    /// `git apply`.
    GitApply,
}

/// `[build]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Build {
    /// Member of the CI build set.
    #[serde(default)]
    pub ci: bool,
    /// `main` (default) or `finalize` (after every other unit, like the installer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<Phase>,
}

/// `[build] phase`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// With the other units.
    Main,
    /// After all other units.
    Finalize,
}

/// One `[[image]]`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Image {
    /// Pushed as `{registry}/{name}`.
    pub name: String,
    /// Build context relative to the package; a leading `//` means the repository root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// Dockerfile, relative to the context's base like `context`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// `--target`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// `--platform`: one or several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<OneOrMany>,
    /// `--build-arg` values (templates).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub build_args: BTreeMap<String, String>,
    /// The extra tag pushed with `PUBLISH_VERSIONED=1` (template; `""` = none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_tag: Option<String>,
    /// Overrides IMAGE_TAG for component-versioned images (template).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// Cache policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<CacheMode>,
    /// Steps before the build (copy into the context), undone afterwards with `cleanup`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prepare: Vec<Prepare>,
    /// Write-backs after a successful build.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub write: Vec<Write>,
    /// Steps after the write-backs (e.g. `gzip`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<Step>,
}

/// `[[image]] cache`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CacheMode {
    /// `--cache-from type=registry,ref=…:buildcache` (and `--cache-to` with WRITE_CACHE=1).
    Registry,
    /// `--cache-from …:latest --cache-to type=inline`.
    InlineLatest,
    /// No cache flags.
    None,
}

/// One `[[image]] prepare` step.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Prepare {
    /// `copy` or `remove`.
    pub kind: PrepareKind,
    /// Source path or glob (copy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Destination (copy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Paths (remove).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// Undo the step after the build.
    #[serde(default)]
    pub cleanup: bool,
}

/// `prepare` kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PrepareKind {
    /// Copy files into the context.
    Copy,
    /// Remove files.
    Remove,
}

/// One write-back after an image build. Templates: `{repository} {tag} {digest} {ref} {registry}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(
    untagged,
    expecting = "a write: `{file, key, value}`, `{file, text}` or `{file, regex, replace}`, with optional `create`"
)]
pub enum Write {
    /// A YAML scalar at a dot path (`a.b[0]`, `"key.with.dots"`).
    Key {
        /// The file, relative to the package.
        file: String,
        /// The dot path.
        key: String,
        /// The value (template).
        value: String,
        /// Create missing keys.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        create: Option<bool>,
    },
    /// A whole text file (one line plus a newline), e.g. `images/x.tag`.
    Text {
        /// The file, relative to the package.
        file: String,
        /// The content (template).
        text: String,
        /// Create the file when missing.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        create: Option<bool>,
    },
    /// Each line matching `regex` becomes `replace`.
    Regex {
        /// The file, relative to the package.
        file: String,
        /// Line regex.
        regex: String,
        /// Replacement line (template).
        replace: String,
        /// Create the file when missing.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        create: Option<bool>,
    },
}

/// `[generate]`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Generate {
    /// Annotation dialect; detected from values.yaml when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialect: Option<Dialect>,
    /// Input values file; `values.yaml` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<String>,
    /// Schema output; `values.schema.json` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// README to update: `true` (README.md), `false`, or a path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readme: Option<ReadmeSetting>,
    /// Go package name for the Go types (`-m`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
    /// Go types output (`-g`), relative to the package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub go_types: Option<String>,
    /// Also write the ApplicationDefinition (`hack/update-crd.sh`).
    #[serde(default)]
    pub rd: bool,
    /// Post-processing steps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<GenerateStep>,
}

/// Annotation dialects of values.yaml.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// cozyvalues-gen: `## @param {type} name - description`.
    Cozyvalues,
    /// bitnami readme-generator: `## @param a.b description`.
    Bitnami,
}

/// `[generate] readme`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum ReadmeSetting {
    /// `true` means README.md.
    Enabled(bool),
    /// A path relative to the package.
    Path(String),
}

/// A `[generate] steps` entry.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum GenerateStep {
    /// Set a value in a JSON output (e.g. `.properties = {}` in values.schema.json).
    JsonSet {
        /// The file, relative to the package.
        file: String,
        /// Dot path.
        path: String,
        /// The JSON value.
        value: serde_json::Value,
    },
}

/// `[test]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Test {
    /// Run `helm unittest .` (suites under `tests/`).
    #[serde(default)]
    pub unittest: bool,
    /// Extra programs, each an argv list, run in the package.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub run: Vec<Vec<String>>,
    /// Renders that must fail.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub render_must_fail: Vec<RenderMustFail>,
    /// Run another package's tests instead (path relative to this package).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegate: Option<String>,
}

/// A negative render check.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RenderMustFail {
    /// Release name.
    pub release: String,
    /// Namespace.
    pub namespace: String,
    /// `--set` values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<String>,
    /// Render with `--is-upgrade`.
    #[serde(default)]
    pub is_upgrade: bool,
    /// Text the error must contain.
    pub expect_error: String,
}

/// `[render]`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Render {
    /// `[[render.profile]]`.
    #[serde(default, rename = "profile", skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<RenderProfile>,
}

/// One offline render profile.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RenderProfile {
    /// Profile name.
    pub name: String,
    /// Values files applied as chart defaults, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values_files: Vec<String>,
    /// Inline values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<serde_json::Value>,
    /// Release name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    /// Namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// `[deps]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deps {
    /// Globs relative to the package; a change to a matching file selects this package.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<String>,
}

/// A manifest that could not be read, with the position of the problem.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{}{message}", position.map(|(line, column)| format!("{line}:{column}: ")).unwrap_or_default())]
pub struct Error {
    /// 1-based line and column, when the parser knows them.
    pub position: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
}

impl Error {
    /// `PATH:LINE:COLUMN: message`, or `PATH: message` without a position.
    #[must_use]
    pub fn at(&self, path: &str) -> String {
        match self.position {
            Some((line, column)) => format!("{path}:{line}:{column}: {}", self.message),
            None => format!("{path}: {}", self.message),
        }
    }
}

impl PackageManifest {
    /// Parses `cozy.toml` text.
    pub fn parse(text: &str) -> Result<PackageManifest, Error> {
        let manifest: PackageManifest = parse_toml(text)?;
        if let Some(schema) = manifest.schema
            && schema != SCHEMA_VERSION
        {
            let position = find_key(text, "schema");
            return Err(Error {
                position,
                message: format!(
                    "unsupported `schema = {schema}`; this cozy reads schema {SCHEMA_VERSION}"
                ),
            });
        }
        Ok(manifest)
    }

    /// The `[deps] inputs` globs.
    #[must_use]
    pub fn dep_inputs(&self) -> &[String] {
        self.deps.as_ref().map_or(&[], |deps| deps.inputs.as_slice())
    }
}

/// Parses TOML into `T`, turning the parser's byte span into a line and column.
pub fn parse_toml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Error> {
    toml::from_str(text).map_err(|err| {
        let message = err.message().trim_end().to_owned();
        let start = err.span().map(|span| span.start);
        // Inside internally tagged tables (`[[update.step]]`) the parser only knows where the
        // table starts; point at the unknown key itself when it can be found after that.
        let unknown_key =
            message.strip_prefix("unknown field `").and_then(|rest| rest.split('`').next());
        let position = match (start, unknown_key) {
            (Some(start), Some(key)) => {
                find_key_from(text, key, start).or_else(|| Some(line_column(text, start)))
            }
            (Some(start), None) => Some(line_column(text, start)),
            (None, _) => None,
        };
        Error { position, message }
    })
}

/// 1-based line and column (in characters) of a byte offset.
#[must_use]
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |index| index + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn find_key(text: &str, key: &str) -> Option<(usize, usize)> {
    find_key_from(text, key, 0)
}

/// The position of the first `key = …` line at or after byte `from`.
fn find_key_from(text: &str, key: &str, from: usize) -> Option<(usize, usize)> {
    let line_start =
        text[..text.floor_char_boundary(from.min(text.len()))].rfind('\n').map_or(0, |i| i + 1);
    let mut offset = line_start;
    for line in text[line_start..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        let is_key = trimmed.strip_prefix(key).is_some_and(|rest| {
            let rest = rest.trim_start();
            rest.starts_with('=') || rest.starts_with('.')
        });
        if is_key {
            return Some(line_column(text, offset + (line.len() - trimmed.len())));
        }
        offset += line.len();
    }
    None
}

/// The JSON Schema of `PKG/cozy.toml`, pretty-printed with a trailing newline.
#[must_use]
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(PackageManifest);
    let mut text = serde_json::to_string_pretty(&schema).expect("a JSON Schema always serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_err(text: &str, expected: &str) {
        let err = PackageManifest::parse(text).unwrap_err();
        assert_eq!(err.to_string(), expected);
    }

    #[test]
    fn empty_manifest_is_default() {
        assert_eq!(PackageManifest::parse("").unwrap(), PackageManifest::default());
    }

    #[test]
    fn spec_cilium_example_parses() {
        let text = r#"
schema = 1
[vars]
cilium_version = { chart = "charts/cilium", field = "version" }
[build]
ci = true
[[update.step]]
kind = "helm-pull"
repo = "https://helm.cilium.io/"
chart = "cilium"
version = "1.19"
[[update.step]]
kind = "replace"
file = "charts/cilium/values.yaml"
delete_lines = ["Used in iptables", "SYS_MODULE"]
[[update.step]]
kind = "check-patch"
url = "https://example.invalid/bpf_host.c"
as = "bpf/bpf_host.c"
patch = "images/cilium/patches/x.diff"
strip = 1
[[image]]
name = "cilium"
context = "images/cilium"
version_tag = "{var:cilium_version}"
write = [
  { file = "values.yaml", key = "cilium.image.repository", value = "{repository}" },
  { file = "images/cilium.tag", text = "{ref}" },
  { file = "templates/x.yml", regex = 'image: .*', replace = "image: {ref}" },
]
[test]
unittest = true
"#;
        let manifest = PackageManifest::parse(text).unwrap();
        assert_eq!(manifest.update.unwrap().steps.len(), 3);
        let image = &manifest.images[0];
        assert!(matches!(image.write[1], Write::Text { .. }));
        assert!(matches!(image.write[2], Write::Regex { .. }));
        assert_eq!(
            manifest.vars["cilium_version"],
            VarSource::Chart { chart: "charts/cilium".into(), field: ChartField::Version }
        );
    }

    #[test]
    fn unknown_top_level_key_names_line_and_column() {
        check_err(
            "schema = 1\n\n[[imagez]]\nname = \"x\"\n",
            "3:3: unknown field `imagez`, expected one of `schema`, `release`, `vars`, `update`, `build`, `image`, `generate`, `test`, `render`, `deps`",
        );
    }

    #[test]
    fn unknown_key_in_table() {
        check_err(
            "[release]\nname = \"a\"\n    namespce = \"b\"\n",
            "3:5: unknown field `namespce`, expected one of `mode`, `name`, `namespace`, `variant`, `apply`",
        );
    }

    #[test]
    fn bad_enum_value() {
        check_err(
            "[release]\nmode = \"tenant\"\n",
            "2:8: unknown variant `tenant`, expected one of `helmrelease`, `app`, `plain`, `none`",
        );
    }

    #[test]
    fn unknown_step_kind_and_field() {
        let err = PackageManifest::parse("[[update.step]]\nkind = \"helm-pul\"\nchart = \"x\"\n")
            .unwrap_err();
        assert_eq!(err.position, Some((2, 8)), "{err}");
        assert!(
            err.message
                .starts_with("unknown variant `helm-pul`, expected one of `helm-pull`, `archive`"),
            "{err}"
        );
        let err = PackageManifest::parse(
            "[[update.step]]\nkind = \"helm-pull\"\nchart = \"x\"\nrepoo = \"y\"\n",
        )
        .unwrap_err();
        assert_eq!(err.position.map(|p| p.0), Some(4), "{err}");
        assert!(
            err.message.starts_with("unknown field `repoo`, expected one of `repo`, `oci`"),
            "{err}"
        );
    }

    #[test]
    fn unsupported_schema_version() {
        check_err("\nschema = 2\n", "2:1: unsupported `schema = 2`; this cozy reads schema 1");
    }

    #[test]
    fn invalid_toml_syntax() {
        let err = PackageManifest::parse("[release\n").unwrap_err();
        assert_eq!(err.position.map(|p| p.0), Some(1));
    }

    #[test]
    fn schema_lists_every_capability() {
        let schema = json_schema();
        for key in [
            "release",
            "vars",
            "update",
            "build",
            "image",
            "generate",
            "test",
            "render",
            "deps",
            "helm-pull",
            "yaml-set",
            "version_tag",
        ] {
            assert!(schema.contains(&format!("\"{key}\"")), "schema lacks {key}");
        }
    }
}
