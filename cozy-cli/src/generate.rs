//! The IO around the pure `values` core: which files a package's generation reads and writes,
//! and rendering every output in memory before anything is written.
//!
//! A job renders all of its outputs first; if any fails, none of them is written, so a broken
//! values.yaml never leaves a half-updated package.

use std::path::{Path, PathBuf};

use crate::manifest::{Dialect as ManifestDialect, ReadmeSetting};
use crate::values::{self, Dialect};
use crate::workspace::Package;

/// One generation: one values.yaml and the files made from it.
#[derive(Debug)]
pub struct Job {
    /// Shown in messages: the package path, or the values file in standalone mode.
    pub label: String,
    /// The annotated input.
    pub values: FileRef,
    /// Forced dialect; detected from the values when `None`.
    pub dialect: Option<Dialect>,
    /// values.schema.json to write.
    pub schema: Option<FileRef>,
    /// README whose Parameters section is regenerated.
    pub readme: Option<FileRef>,
    /// Go types (cozyvalues only), with package name, group and version.
    pub go_types: Option<(FileRef, String, String, String)>,
    /// readme-generator config.json (bitnami only).
    pub config: Option<FileRef>,
}

/// A file: where it is, and how messages name it.
#[derive(Clone, Debug)]
pub struct FileRef {
    /// Absolute or cwd-relative path.
    pub path: PathBuf,
    /// How messages show it.
    pub shown: String,
}

/// One rendered output.
#[derive(Debug)]
pub struct Output {
    /// The file.
    pub file: FileRef,
    /// Its contents now, `None` when it does not exist.
    pub old: Option<String>,
    /// What it should contain.
    pub new: String,
}

impl Output {
    /// Whether writing would change the file.
    #[must_use]
    pub fn changes(&self) -> bool {
        self.old.as_deref() != Some(self.new.as_str())
    }
}

impl FileRef {
    /// A file inside `package`, at `rel` (which may leave the package, like `../../../api/x.go`).
    #[must_use]
    pub fn in_package(package: &Package, rel: &str) -> FileRef {
        let shown = crate::graph::normalize(&Path::new(&package.rel).join(rel))
            .to_string_lossy()
            .into_owned();
        FileRef { path: package.dir.join(rel), shown }
    }
}

/// The job for a workspace package, or `None` when the package has nothing to generate
/// (no `[generate]` table and no `@param` in its values.yaml).
pub fn plan(package: &Package) -> Result<Option<Job>, String> {
    let settings = package.manifest.generate.clone();
    let configured = settings.is_some();
    let settings = settings.unwrap_or_default();
    let values = FileRef::in_package(package, settings.values.as_deref().unwrap_or("values.yaml"));
    let dialect = settings.dialect.map(|dialect| match dialect {
        ManifestDialect::Cozyvalues => Dialect::Cozyvalues,
        ManifestDialect::Bitnami => Dialect::Bitnami,
    });
    if !configured {
        let annotated =
            std::fs::read_to_string(&values.path).ok().and_then(|text| Dialect::detect(&text));
        if annotated.is_none() {
            return Ok(None);
        }
    }
    if !settings.steps.is_empty() {
        return Err(format!(
            "{}: `[generate] steps` are not supported by this cozy yet",
            package.manifest_rel()
        ));
    }
    let schema =
        FileRef::in_package(package, settings.schema.as_deref().unwrap_or("values.schema.json"));
    let readme = match &settings.readme {
        Some(ReadmeSetting::Enabled(false)) => None,
        Some(ReadmeSetting::Path(path)) => Some(FileRef::in_package(package, path)),
        Some(ReadmeSetting::Enabled(true)) => Some(FileRef::in_package(package, "README.md")),
        // Without a setting, a README that exists is kept fresh.
        None => {
            Some(FileRef::in_package(package, "README.md")).filter(|readme| readme.path.is_file())
        }
    };
    let module = settings.module.clone().unwrap_or_else(|| "values".to_owned());
    let go_types = settings.go_types.as_deref().map(|path| {
        (
            FileRef::in_package(package, path),
            module,
            "apps.cozystack.io".to_owned(),
            "v1alpha1".to_owned(),
        )
    });
    Ok(Some(Job {
        label: package.rel.clone(),
        values,
        dialect,
        schema: Some(schema),
        readme,
        go_types,
        config: None,
    }))
}

/// Renders every output of `job` in memory. The error names the file, line and key.
pub fn render(job: &Job) -> Result<Vec<Output>, String> {
    let values_text =
        read(&job.values)?.ok_or_else(|| format!("{}: no such file", job.values.shown))?;
    let dialect = job.dialect.or_else(|| Dialect::detect(&values_text)).ok_or_else(|| {
        format!("{}: no `@param` annotations; pass `--dialect` to choose one", job.values.shown)
    })?;
    let config = match (&job.config, dialect) {
        (Some(file), Dialect::Bitnami) => {
            let text = read(file)?.ok_or_else(|| format!("{}: no such file", file.shown))?;
            values::bitnami::Config::parse(&text).map_err(|err| err.at(&file.shown))?
        }
        (Some(file), Dialect::Cozyvalues) => {
            return Err(format!(
                "{}: a readme-generator config applies to the bitnami dialect only",
                file.shown
            ));
        }
        (None, _) => values::bitnami::Config::default(),
    };
    let located = |err: values::Error, readme: Option<&FileRef>| match (err.file, readme) {
        (values::Source::Readme, Some(readme)) => err.at(&readme.shown),
        _ => err.at(&job.values.shown),
    };

    let mut outputs = Vec::new();
    if let Some((file, module, group, version)) = &job.go_types {
        if dialect != Dialect::Cozyvalues {
            return Err(format!("{}: Go types come from the cozyvalues dialect only", file.shown));
        }
        let new = values::cozyvalues::go_types(&values_text, module, group, version)
            .map_err(|err| located(err, None))?;
        outputs.push(Output { old: read(file)?, file: file.clone(), new });
    }
    if let Some(file) = &job.schema {
        let new = match dialect {
            Dialect::Cozyvalues => values::cozyvalues::schema(&values_text),
            Dialect::Bitnami => values::bitnami::schema(&values_text, &config),
        }
        .map_err(|err| located(err, None))?;
        outputs.push(Output { old: read(file)?, file: file.clone(), new });
    }
    if let Some(file) = &job.readme {
        let old = read(file)?.ok_or_else(|| {
            format!(
                "{}: no such file; the README must exist with a `## Parameters` heading",
                file.shown
            )
        })?;
        let new = match dialect {
            Dialect::Cozyvalues => values::cozyvalues::update_readme(&values_text, &old),
            Dialect::Bitnami => values::bitnami::update_readme(&values_text, &old, &config),
        }
        .map_err(|err| located(err, Some(file)))?;
        outputs.push(Output { old: Some(old), file: file.clone(), new });
    }
    Ok(outputs)
}

fn read(file: &FileRef) -> Result<Option<String>, String> {
    match std::fs::read_to_string(&file.path) {
        Ok(text) => Ok(Some(text)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(format!("{}: cannot read: {err}", file.shown)),
    }
}
