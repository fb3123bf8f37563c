//! The `image` target: the standard buildx recipe and its yq / `.tag` write-backs.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::Migrator;
use super::makefile::{Line, Target};
use super::shell;
use crate::manifest::{Image, OneOrMany, Write};

/// `$$(yq e '."containerimage.digest"' images/x.json -o json -r)` in any flag order.
static DIGEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\$\$\(yq\s[^()]*containerimage\.digest[^()]*\)").expect("valid regex")
});

/// `.a.b[0] = strenv(VAR)`.
static STRENV: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\.(\S+)\s*=\s*strenv\((\w+)\)$").expect("valid regex"));

struct Built {
    image: Image,
    metadata: Option<String>,
}

impl Migrator<'_> {
    pub(super) fn image(&mut self, target: &Target) {
        let mut built: Vec<Built> = Vec::new();
        // A write-back after a build line that was left belongs to that build: say so.
        let mut left_build: Option<usize> = None;
        for line in &target.recipe {
            match self.image_line(line, &mut built) {
                Ok(()) => {}
                Err(reason) => {
                    let is_build = line.text.trim_start().starts_with("docker buildx build");
                    let reason = match left_build {
                        Some(number) if !is_build => {
                            format!(
                                "belongs to the `docker buildx build` of line {number}, which was left"
                            )
                        }
                        _ => reason,
                    };
                    if is_build {
                        left_build = Some(line.number);
                    }
                    self.leave("image", line, &reason);
                }
            }
        }
        self.manifest.images.extend(built.into_iter().map(|b| b.image));
    }

    fn image_line(&mut self, line: &Line, built: &mut Vec<Built>) -> Result<(), String> {
        let raw = DIGEST.replace_all(&line.text, "{digest}").replace("$(call ", "$(call_");
        let words = shell::words(&raw).ok_or("unbalanced quotes")?;
        let args: Vec<&str> = words.iter().map(String::as_str).collect();
        match args.as_slice() {
            ["docker", "buildx", "build", rest @ ..] => {
                built.push(self.buildx(rest)?);
                Ok(())
            }
            ["rm", "-f", paths @ ..]
                if !paths.is_empty()
                    && paths
                        .iter()
                        .all(|p| built.iter().any(|b| b.metadata.as_deref() == Some(*p))) =>
            {
                Ok(())
            }
            ["echo", value, ">", file] => {
                let current =
                    built.last_mut().ok_or("a write-back before any `docker buildx build`")?;
                let name = current.image.name.clone();
                let text = self.image_template(value, &name)?;
                current.image.write.push(Write::Text {
                    file: (*file).to_owned(),
                    text,
                    create: None,
                });
                Ok(())
            }
            _ => {
                let yq = args
                    .iter()
                    .position(|w| *w == "yq")
                    .ok_or("not part of the standard image recipe")?;
                let (env, call) = args.split_at(yq);
                let ["yq", "-i", expr, file] = call else {
                    return Err("yq call is not `yq -i '.path = strenv(VAR)' FILE`".into());
                };
                let captures =
                    STRENV.captures(expr).ok_or("yq expression is not `.path = strenv(VAR)`")?;
                let env: BTreeMap<&str, &str> =
                    env.iter().filter_map(|w| w.split_once('=')).collect();
                let value = *env
                    .get(&captures[2])
                    .ok_or(format!("`{}` is not set on this line", &captures[2]))?;
                let current =
                    built.last_mut().ok_or("a write-back before any `docker buildx build`")?;
                let name = current.image.name.clone();
                let value = self.image_template(value, &name)?;
                current.image.write.push(Write::Key {
                    file: (*file).to_owned(),
                    key: captures[1].to_owned(),
                    value,
                    create: None,
                });
                Ok(())
            }
        }
    }

    fn buildx(&mut self, args: &[&str]) -> Result<Built, String> {
        let mut image = Image::default();
        let mut metadata = None;
        let mut context = None;
        let mut iter = args.iter();
        while let Some(&arg) = iter.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with('-') => (flag, Some(value)),
                _ => (arg, None),
            };
            let mut value = || {
                inline.or_else(|| iter.next().copied()).ok_or(format!("`{flag}` without a value"))
            };
            if let Some(call) =
                arg.strip_prefix("$(call_image-tags,").and_then(|a| a.strip_suffix(')'))
            {
                let (name, versioned) = call.split_once(',').unwrap_or((call, ""));
                image.name = self.template(name.trim(), &BTreeMap::new())?;
                let versioned = versioned.trim();
                if !versioned.is_empty() {
                    image.version_tag = Some(self.template(versioned, &BTreeMap::new())?);
                }
                continue;
            }
            if let Some(call) =
                arg.strip_prefix("$(call_cache-args,").and_then(|a| a.strip_suffix(')'))
            {
                if call.contains(',') {
                    return Err("cache-args with a custom cache tag has no [[image]] field".into());
                }
                continue;
            }
            match flag {
                "$(BUILDX_ARGS)" => {}
                "--metadata-file" => metadata = Some(value()?.to_owned()),
                "-f" | "--file" => image.file = Some(value()?.to_owned()),
                "--target" => image.target = Some(value()?.to_owned()),
                "--platform" => image.platform = Some(OneOrMany::One(value()?.to_owned())),
                "--build-arg" => {
                    let (key, val) = value()?.split_once('=').ok_or("`--build-arg` without `=`")?;
                    let val = self.template(val, &BTreeMap::new())?;
                    image.build_args.insert(key.to_owned(), val);
                }
                flag if flag.starts_with('-') || flag.starts_with('$') => {
                    return Err(format!(
                        "`{arg}` is not part of the standard buildx recipe (image-tags, cache-args, BUILDX_ARGS)"
                    ));
                }
                _ if context.is_none() => context = Some(arg.to_owned()),
                _ => return Err("docker buildx build with two contexts".into()),
            }
        }
        if image.name.is_empty() {
            return Err("docker buildx build without `$(call image-tags,NAME,VERSION)`".into());
        }
        let context = context.ok_or("docker buildx build without a context")?;
        image.context = Some(match context.trim_end_matches('/').strip_prefix("../../..") {
            Some(rest) => format!("//{}", rest.trim_start_matches('/')),
            None => context,
        });
        Ok(Built { image, metadata })
    }

    /// A write-back value as an image template: `{repository}`, `{tag}`, `{digest}`, `{ref}`.
    fn image_template(&mut self, value: &str, name: &str) -> Result<String, String> {
        let value = self.template(value, &BTreeMap::new())?;
        let value = replace_name(&value, &format!("{{registry}}/{name}"), "{repository}");
        let value = value.replace("{image_tag}", "{tag}");
        Ok(value.replace("{repository}:{tag}@{digest}", "{ref}"))
    }
}

/// Replaces `from` where it is followed by the end, `:` or `@` (a whole image name).
fn replace_name(text: &str, from: &str, to: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let after = &rest[at + from.len()..];
        out.push_str(&rest[..at]);
        if after.is_empty() || after.starts_with(':') || after.starts_with('@') {
            out.push_str(to);
        } else {
            out.push_str(from);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}
