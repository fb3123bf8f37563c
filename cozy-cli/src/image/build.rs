//! One image: the `docker buildx build` arguments of the standard recipe (lifecycle.md §1.2,
//! §5.1) and the write-backs of its reference after the build. Pure: paths are given.

use std::sync::LazyLock;

use regex::Regex;

use crate::image::settings::Settings;
use crate::manifest::{CacheMode, Image, OneOrMany, Write};

static DIGEST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("^sha256:[0-9a-f]{64}$").expect("valid digest regex"));

/// What the build of one image needs besides the settings.
#[derive(Clone, Debug)]
pub struct Plan {
    /// `{registry}/{name}`.
    pub repository: String,
    /// The tag pushed for this build (IMAGE_TAG, or the image's own `tag`).
    pub tag: String,
    /// The buildx arguments after `docker`.
    pub args: Vec<String>,
}

/// The buildx arguments for `image`. `context` and `file` are already resolved (relative to
/// the directory docker runs in); `render` expands templates; `metadata` is the metadata file.
pub fn plan(
    image: &Image,
    settings: &Settings,
    context: &str,
    file: Option<&str>,
    metadata: &str,
    render: &dyn Fn(&str) -> Result<String, String>,
) -> Result<Plan, String> {
    let repository = format!("{}/{}", settings.registry, image.name);
    let tag = match &image.tag {
        Some(tag) => render(tag)?,
        None => settings.image_tag.clone(),
    };
    let mut args: Vec<String> = vec!["buildx".into(), "build".into(), context.to_owned()];
    if let Some(file) = file {
        args.extend(["--file".into(), file.to_owned()]);
    }
    if let Some(target) = &image.target {
        args.extend(["--target".into(), target.clone()]);
    }
    for (key, value) in &image.build_args {
        args.extend(["--build-arg".into(), format!("{key}={}", render(value)?)]);
    }
    match &image.platform {
        Some(OneOrMany::One(platform)) => args.push(format!("--platform={platform}")),
        Some(OneOrMany::Many(platforms)) => {
            args.push(format!("--platform={}", platforms.join(",")));
        }
        None => {}
    }
    args.extend(["--tag".into(), format!("{repository}:{tag}")]);
    match &settings.oci_export_dir {
        None => {
            let versioned =
                image.version_tag.as_deref().map(render).transpose()?.unwrap_or_default();
            if settings.publish_versioned && !versioned.is_empty() && versioned != tag {
                args.extend(["--tag".into(), format!("{repository}:{versioned}")]);
            }
            if settings.publish_floating {
                args.extend(["--tag".into(), format!("{repository}:latest")]);
            }
        }
        Some(dir) => args.extend([
            "--output".into(),
            format!(
                "type=oci,dest={}/{}.oci.tar",
                dir.trim_end_matches('/'),
                image.name.replace('/', "-")
            ),
        ]),
    }
    let cache_ref = format!("{}/{}", settings.cache_registry, image.name);
    match image.cache.unwrap_or(CacheMode::Registry) {
        CacheMode::Registry => {
            args.extend([
                "--cache-from".into(),
                format!("type=registry,ref={cache_ref}:buildcache"),
            ]);
            if settings.write_cache {
                args.extend(["--cache-to".into(), format!("type=registry,ref={cache_ref}:buildcache,mode=max,oci-mediatypes=true,image-manifest=true")]);
            }
        }
        CacheMode::InlineLatest => {
            args.extend(["--cache-from".into(), format!("type=registry,ref={repository}:latest")]);
            if settings.oci_export_dir.is_none() {
                args.extend(["--cache-to".into(), "type=inline".into()]);
            }
        }
        CacheMode::None => {}
    }
    args.extend(["--metadata-file".into(), metadata.to_owned()]);
    args.extend([
        "--provenance=false".into(),
        format!("--push={}", u8::from(settings.push)),
        format!("--load={}", u8::from(settings.load)),
        "--label".into(),
        format!("org.opencontainers.image.source={}", settings.source_label),
    ]);
    if settings.sbom {
        args.push("--sbom=true".into());
    }
    if let Some(builder) = &settings.builder {
        args.push(format!("--builder={builder}"));
    }
    if let Some(platform) = &settings.platform {
        args.push(format!("--platform={platform}"));
    }
    args.extend(settings.extra_args.iter().cloned());
    Ok(Plan { repository, tag, args })
}

/// The digest buildx recorded, which must be a real one (never `null`).
pub fn digest_from_metadata(metadata: &str) -> Result<String, String> {
    let value: serde_json::Value = serde_json::from_str(metadata)
        .map_err(|err| format!("buildx metadata is not JSON: {err}"))?;
    match value.get("containerimage.digest").and_then(serde_json::Value::as_str) {
        Some(digest) if DIGEST.is_match(digest) => Ok(digest.to_owned()),
        Some(other) => Err(format!("buildx recorded the digest `{other}`, which is not `sha256:` and 64 hex digits")),
        None => Err("buildx recorded no `containerimage.digest`: nothing was pushed, loaded or exported (see PUSH, LOAD, OCI_EXPORT_DIR)".to_owned()),
    }
}

/// `text` after one write-back, or why it cannot be applied. `value` is already rendered.
pub fn apply_write(write: &Write, text: Option<&str>, value: &str) -> Result<String, String> {
    match write {
        Write::Key { key, create, .. } => {
            let text = text.ok_or("the file does not exist")?;
            crate::yaml_edit::set_scalar(text, key, value, create.unwrap_or(false)).map_err(|err| {
                match err.line {
                    Some(line) => format!("line {line}: {}", err.message),
                    None => err.message,
                }
            })
        }
        Write::Text { create, .. } => {
            if text.is_none() && !create.unwrap_or(true) {
                return Err("the file does not exist".to_owned());
            }
            Ok(format!("{value}\n"))
        }
        Write::Regex { regex, .. } => {
            let text = text.ok_or("the file does not exist")?;
            let pattern =
                Regex::new(regex).map_err(|err| format!("invalid regex `{regex}`: {err}"))?;
            let mut matched = 0;
            let replaced: String = text
                .split_inclusive('\n')
                .map(|line| {
                    let (body, end) =
                        line.strip_suffix('\n').map_or((line, ""), |body| (body, "\n"));
                    if let Some(found) = pattern.find(body) {
                        matched += 1;
                        // Like sed's `s/REGEX/…/`: the match is replaced, the rest of the line stays.
                        format!("{}{value}{}{end}", &body[..found.start()], &body[found.end()..])
                    } else {
                        line.to_owned()
                    }
                })
                .collect();
            if matched == 0 {
                return Err(format!("no line matches `{regex}`"));
            }
            Ok(replaced)
        }
    }
}

/// The file a write-back targets.
#[must_use]
pub fn write_file(write: &Write) -> &str {
    match write {
        Write::Key { file, .. } | Write::Text { file, .. } | Write::Regex { file, .. } => file,
    }
}

/// The template a write-back renders.
#[must_use]
pub fn write_template(write: &Write) -> &str {
    match write {
        Write::Key { value, .. } => value,
        Write::Text { text, .. } => text,
        Write::Regex { replace, .. } => replace,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            registry: "ghcr.io/cozystack/cozystack".into(),
            cache_registry: "ghcr.io/cozystack/cozystack".into(),
            image_tag: "pr-42-abc".into(),
            publish_versioned: true,
            publish_floating: true,
            write_cache: true,
            push: true,
            load: false,
            oci_export_dir: None,
            builder: Some("remote".into()),
            platform: Some("linux/amd64,linux/arm64".into()),
            extra_args: vec!["--progress=plain".into()],
            sbom: true,
            cozystack_version: Some("1.6.0".into()),
            source_label: "https://github.com/cozystack/cozystack".into(),
        }
    }

    fn image(toml: &str) -> Image {
        let manifest = crate::manifest::PackageManifest::parse(toml).unwrap();
        manifest.images[0].clone()
    }

    #[test]
    fn the_standard_recipe() {
        let image = image(
            "[[image]]\nname = \"cilium\"\ncontext = \"images/cilium\"\nversion_tag = \"{var:v}\"\nbuild_args = { VERSION = \"v{var:v}\" }\n",
        );
        let render = |text: &str| Ok(text.replace("{var:v}", "1.16.5"));
        let plan =
            plan(&image, &settings(), "images/cilium", None, "/tmp/m.json", &render).unwrap();
        assert_eq!(
            plan.args.join(" "),
            "buildx build images/cilium --build-arg VERSION=v1.16.5 --tag ghcr.io/cozystack/cozystack/cilium:pr-42-abc --tag ghcr.io/cozystack/cozystack/cilium:1.16.5 --tag ghcr.io/cozystack/cozystack/cilium:latest --cache-from type=registry,ref=ghcr.io/cozystack/cozystack/cilium:buildcache --cache-to type=registry,ref=ghcr.io/cozystack/cozystack/cilium:buildcache,mode=max,oci-mediatypes=true,image-manifest=true --metadata-file /tmp/m.json --provenance=false --push=1 --load=0 --label org.opencontainers.image.source=https://github.com/cozystack/cozystack --sbom=true --builder=remote --platform=linux/amd64,linux/arm64 --progress=plain"
        );
    }

    #[test]
    fn oci_export_replaces_extra_tags_with_an_archive() {
        let mut settings = settings();
        settings.oci_export_dir = Some("/out".into());
        settings.push = false;
        let image = image(
            "[[image]]\nname = \"objectstorage/sidecar\"\ncache = \"inline-latest\"\ntarget = \"sidecar\"\nfile = \"x\"\n",
        );
        let plan = plan(
            &image,
            &settings,
            "../../..",
            Some("images/objectstorage/Dockerfile"),
            "m.json",
            &|t| Ok(t.to_owned()),
        )
        .unwrap();
        let args = plan.args.join(" ");
        assert!(args.starts_with("buildx build ../../.. --file images/objectstorage/Dockerfile --target sidecar --tag ghcr.io/cozystack/cozystack/objectstorage/sidecar:pr-42-abc --output type=oci,dest=/out/objectstorage-sidecar.oci.tar --cache-from type=registry,ref=ghcr.io/cozystack/cozystack/objectstorage/sidecar:latest --metadata-file m.json --provenance=false --push=0"), "{args}");
    }

    #[test]
    fn digests_must_be_real() {
        let digest = format!("sha256:{}", "ab".repeat(32));
        assert_eq!(
            digest_from_metadata(&format!("{{\"containerimage.digest\":\"{digest}\"}}")).unwrap(),
            digest
        );
        assert!(
            digest_from_metadata("{\"containerimage.digest\":null}")
                .unwrap_err()
                .starts_with("buildx recorded no")
        );
        assert!(digest_from_metadata("{\"containerimage.digest\":\"sha256:abc\"}").is_err());
    }

    #[test]
    fn regex_writes_replace_the_match_like_sed() {
        let write = Write::Regex {
            file: "t.yml".into(),
            regex: "image: .*multus-cni.*".into(),
            replace: "image: {ref}".into(),
            create: None,
        };
        let text =
            "    - name: a\n      image: ghcr.io/x/multus-cni:old@sha256:1\n      image: other\n";
        assert_eq!(
            apply_write(&write, Some(text), "image: R").unwrap(),
            "    - name: a\n      image: R\n      image: other\n"
        );
        assert_eq!(
            apply_write(&write, Some("nothing\n"), "x").unwrap_err(),
            "no line matches `image: .*multus-cni.*`"
        );
    }
}
