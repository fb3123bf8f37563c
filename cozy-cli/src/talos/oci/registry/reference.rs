//! Image references: `registry/namespace/name[:tag][@sha256:…]`, parsed the way Docker does.

use anyhow::anyhow;

/// Docker Hub's registry host, what `docker.io` and `index.docker.io` mean.
pub(super) const DOCKER_HUB: &str = "registry-1.docker.io";

/// `registry/namespace/name[:tag][@sha256:…]`; `docker.io` normalised (registry-1.docker.io, `library/`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// Registry host, with its port when given (`ghcr.io`, `127.0.0.1:5000`).
    pub registry: String,
    /// Repository path inside the registry (`siderolabs/installer`).
    pub repository: String,
    /// Tag, when given.
    pub tag: Option<String>,
    /// `sha256:<64 lowercase hex>`, when given.
    pub digest: Option<String>,
}

impl Reference {
    /// Parses an image reference the way Docker does: the first path component is the
    /// registry when it contains `.` or `:` or is `localhost`, else the image is on Docker Hub
    /// (`alpine` → `registry-1.docker.io/library/alpine`). No `docker://` prefix.
    ///
    /// # Errors
    /// When the text is not a valid reference; the message quotes it and says why.
    pub fn parse(text: &str) -> anyhow::Result<Reference> {
        parse_reference(text).map_err(|why| anyhow!("`{text}`: invalid image reference: {why}"))
    }

    /// The tag or digest to put in a URL (digest wins; `latest` when neither).
    #[must_use]
    pub fn reference(&self) -> &str {
        self.digest.as_deref().or(self.tag.as_deref()).unwrap_or("latest")
    }

    /// The same repository and tag, pinned to `digest`.
    #[must_use]
    pub fn with_digest(&self, digest: &str) -> Reference {
        Reference { digest: Some(digest.to_owned()), ..self.clone() }
    }

    /// The same repository at `tag`, without a digest.
    #[must_use]
    pub fn with_tag(&self, tag: &str) -> Reference {
        Reference { tag: Some(tag.to_owned()), digest: None, ..self.clone() }
    }
}

impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

fn parse_reference(text: &str) -> Result<Reference, String> {
    let (name, digest) = match text.rsplit_once('@') {
        Some((name, digest)) => {
            check_digest(digest)?;
            (name, Some(digest.to_owned()))
        }
        None => (text, None),
    };
    let (registry, rest) = match name.split_once('/') {
        Some((first, rest))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            (first, rest)
        }
        _ => ("docker.io", name),
    };
    let (repository, tag) = match rest.rsplit_once(':') {
        Some((repository, tag)) => (repository, Some(tag.to_owned())),
        None => (rest, None),
    };
    check_registry(registry)?;
    check_repository(repository)?;
    if let Some(tag) = &tag {
        check_tag(tag)?;
    }
    let (registry, repository) = match registry {
        "docker.io" | "index.docker.io" | DOCKER_HUB if !repository.contains('/') => {
            (DOCKER_HUB.to_owned(), format!("library/{repository}"))
        }
        "docker.io" | "index.docker.io" => (DOCKER_HUB.to_owned(), repository.to_owned()),
        other => (other.to_owned(), repository.to_owned()),
    };
    Ok(Reference { registry, repository, tag, digest })
}

pub(super) fn check_digest(digest: &str) -> Result<(), String> {
    let hex = digest
        .strip_prefix("sha256:")
        .ok_or_else(|| format!("digest `{digest}` is not `sha256:<hex>`"))?;
    if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        Ok(())
    } else {
        Err(format!("digest `{digest}` does not have 64 lowercase hex digits"))
    }
}

fn check_registry(registry: &str) -> Result<(), String> {
    let valid = !registry.is_empty()
        && registry.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
    if valid { Ok(()) } else { Err(format!("registry `{registry}` is not a host name")) }
}

fn check_repository(repository: &str) -> Result<(), String> {
    let component_ok = |component: &str| {
        let bytes = component.as_bytes();
        let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
        !bytes.is_empty()
            && bytes.first().is_some_and(alnum)
            && bytes.last().is_some_and(alnum)
            && bytes.iter().all(|b| alnum(b) || b"._-".contains(b))
            && !component.contains("..")
            && !component.contains("___")
    };
    if repository.split('/').all(component_ok) {
        Ok(())
    } else {
        Err(format!(
            "repository `{repository}` must be lowercase letters, digits and `._-` separators, in `/`-separated parts"
        ))
    }
}

fn check_tag(tag: &str) -> Result<(), String> {
    let bytes = tag.as_bytes();
    let word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    let valid = (1..=128).contains(&bytes.len())
        && bytes.first().is_some_and(word)
        && bytes.iter().all(|b| word(b) || b".-".contains(b));
    if valid {
        Ok(())
    } else {
        Err(format!("tag `{tag}` must be 1 to 128 of `A-Za-z0-9_.-`, not starting with `.` or `-`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_parse_like_docker() {
        type Case<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, Option<&'a str>);
        let cases: &[Case<'_>] = &[
            (
                "ghcr.io/siderolabs/installer:v1.13.6",
                "ghcr.io",
                "siderolabs/installer",
                Some("v1.13.6"),
                None,
            ),
            ("alpine", DOCKER_HUB, "library/alpine", None, None),
            ("docker.io/alpine:3.20", DOCKER_HUB, "library/alpine", Some("3.20"), None),
            ("index.docker.io/siderolabs/x", DOCKER_HUB, "siderolabs/x", None, None),
            ("user/app:1", DOCKER_HUB, "user/app", Some("1"), None),
            ("localhost/app", "localhost", "app", None, None),
            (
                "127.0.0.1:5000/cozy/talos:v1-amd64",
                "127.0.0.1:5000",
                "cozy/talos",
                Some("v1-amd64"),
                None,
            ),
            ("[::1]:5000/a/b", "[::1]:5000", "a/b", None, None),
        ];
        for (text, registry, repository, tag, digest) in cases {
            let r = Reference::parse(text).unwrap();
            assert_eq!(
                (r.registry.as_str(), r.repository.as_str(), r.tag.as_deref(), r.digest.as_deref()),
                (*registry, *repository, *tag, *digest),
                "{text}"
            );
            assert_eq!(Reference::parse(&r.to_string()).unwrap(), r, "{text} round-trips");
        }
        let hex = "ab".repeat(32);
        let pinned = format!("ghcr.io/siderolabs/spin:v0.25.1@sha256:{hex}");
        let r = Reference::parse(&pinned).unwrap();
        assert_eq!(r.tag.as_deref(), Some("v0.25.1"));
        assert_eq!(r.digest, Some(format!("sha256:{hex}")));
        assert_eq!(r.reference(), format!("sha256:{hex}"));
        assert_eq!(r.to_string(), pinned);
        assert_eq!(r.with_tag("v2").reference(), "v2");
        assert_eq!(Reference::parse("ghcr.io/a/b").unwrap().reference(), "latest");
        assert_eq!(
            Reference::parse("ghcr.io/a/b").unwrap().with_digest("sha256:x").reference(),
            "sha256:x"
        );
    }

    #[test]
    fn bad_references_say_why() {
        let cases = [
            ("ghcr.io/Siderolabs/x", "repository `Siderolabs/x`"),
            ("ghcr.io/a/b@sha256:abc", "64 lowercase hex"),
            ("ghcr.io/a/b@md5:abc", "is not `sha256:<hex>`"),
            ("ghcr.io/a/b:", "tag ``"),
            ("ghcr.io/a/b:-x", "tag `-x`"),
            ("", "repository ``"),
            ("ghcr.io//b", "repository `/b`"),
            ("a b", "repository `a b`"),
        ];
        for (text, why) in cases {
            let err = Reference::parse(text).unwrap_err().to_string();
            assert!(err.starts_with(&format!("`{text}`: invalid image reference: ")), "{err}");
            assert!(err.contains(why), "{text}: {err}");
        }
    }
}
