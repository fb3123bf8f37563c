//! The `/image-digests` file of `ghcr.io/siderolabs/extensions:<version>` (spec §2.5): one
//! `<registry>/<namespace>/<name>:<tag>@sha256:<64 hex>` per line, and selection by name.

use std::collections::BTreeSet;

/// One parsed line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigestLine {
    /// The line verbatim (what the lock and the profiles carry).
    pub reference: String,
    /// The repository path, `registry/namespace/name`.
    pub repository: String,
    /// The tag.
    pub tag: String,
    /// `sha256:<hex>`.
    pub digest: String,
}

impl DigestLine {
    /// The extension name: the last segment of the repository path.
    #[must_use]
    pub fn name(&self) -> &str {
        self.repository.rsplit('/').next().unwrap_or(&self.repository)
    }
}

/// Parses the whole file; blank, malformed or duplicate lines are errors naming the line.
pub fn parse(text: &str) -> anyhow::Result<Vec<DigestLine>> {
    if !text.is_empty() && !text.ends_with('\n') {
        anyhow::bail!("image-digests: the last line is not newline-terminated");
    }
    let mut seen = BTreeSet::new();
    let mut lines = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let parsed = parse_line(line)
            .ok_or_else(|| anyhow::anyhow!("image-digests line {number}: `{line}` is not `<registry>/<namespace>/<name>:<tag>@sha256:<64 hex>`"))?;
        if !seen.insert(line) {
            anyhow::bail!("image-digests line {number}: `{line}` appears twice");
        }
        lines.push(parsed);
    }
    Ok(lines)
}

fn parse_line(line: &str) -> Option<DigestLine> {
    let (name_tag, hex) = line.split_once("@sha256:")?;
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return None;
    }
    let (repository, tag) = name_tag.rsplit_once(':')?;
    let segments: Vec<&str> = repository.split('/').collect();
    let valid_segment = |s: &&str| {
        !s.is_empty()
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
    };
    // The registry may carry a port (`127.0.0.1:5000`, a mirror); the other segments may not.
    let registry_ok = match segments[0].split_once(':') {
        Some((host, port)) => {
            valid_segment(&host) && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())
        }
        None => valid_segment(&segments[0]),
    };
    if segments.len() < 3
        || !registry_ok
        || !segments[1..].iter().all(valid_segment)
        || tag.contains('/')
    {
        return None;
    }
    let tag_ok = !tag.is_empty()
        && tag.len() <= 128
        && tag.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if !tag_ok {
        return None;
    }
    Some(DigestLine {
        reference: line.to_owned(),
        repository: repository.to_owned(),
        tag: tag.to_owned(),
        digest: format!("sha256:{hex}"),
    })
}

/// The one line whose repository path ends in `/<name>` (upstream: `grep -F "/<name>:"`).
pub fn select<'a>(lines: &'a [DigestLine], name: &str) -> anyhow::Result<&'a DigestLine> {
    let matches: Vec<&DigestLine> = lines.iter().filter(|line| line.name() == name).collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => anyhow::bail!(
            "image-digests has no extension `{name}` (no line `…/{name}:<tag>@sha256:…`)"
        ),
        many => {
            let refs: Vec<&str> = many.iter().map(|line| line.reference.as_str()).collect();
            anyhow::bail!(
                "image-digests has {} lines for `{name}`: {}",
                many.len(),
                refs.join(", ")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> String {
        let hex = |c: char| c.to_string().repeat(64);
        format!(
            "ghcr.io/siderolabs/amd-ucode:20260622@sha256:{}\nghcr.io/siderolabs/drbd:9.3.2-v1.13.6@sha256:{}\nghcr.io/siderolabs/gasket-driver:97aeba58-v1.5.3@sha256:{}\nghcr.io/siderolabs/spin:v0.25.1@sha256:{}\n",
            hex('1'),
            hex('2'),
            hex('3'),
            hex('4')
        )
    }

    #[test]
    fn lines_parse_and_select_by_exact_name() {
        let text = fixture();
        let lines = parse(&text).unwrap();
        assert_eq!(lines.len(), 4);
        let drbd = select(&lines, "drbd").unwrap();
        assert_eq!(drbd.tag, "9.3.2-v1.13.6");
        assert_eq!(drbd.repository, "ghcr.io/siderolabs/drbd");
        assert_eq!(drbd.reference, text.lines().nth(1).unwrap());
        // `spin` must not match a name that merely contains it, nor `ucode` match `amd-ucode`.
        assert!(select(&lines, "ucode").is_err());
        assert_eq!(select(&lines, "spin").unwrap().tag, "v0.25.1");
        // A registry with a port (a local mirror) is a registry.
        let mirror =
            format!("127.0.0.1:5000/siderolabs/zfs:2.4.3-v1.13.6@sha256:{}\n", "6".repeat(64));
        let lines = parse(&mirror).unwrap();
        assert_eq!(select(&lines, "zfs").unwrap().repository, "127.0.0.1:5000/siderolabs/zfs");
        assert!(parse(&mirror.replace(":5000/", ":/")).is_err());
        assert!(parse(&mirror.replace("/siderolabs/", "/sider:olabs/")).is_err());
    }

    #[test]
    fn zero_and_several_matches_are_errors() {
        let mut text = fixture();
        text = format!("{text}ghcr.io/other/spin:v1@sha256:{}\n", "5".repeat(64));
        let lines = parse(&text).unwrap();
        let err = select(&lines, "spin").unwrap_err().to_string();
        assert!(err.contains("2 lines for `spin`"), "{err}");
        let err = select(&lines, "tailscale").unwrap_err().to_string();
        assert!(err.contains("no extension `tailscale`"), "{err}");
    }

    #[test]
    fn malformed_blank_and_duplicate_lines_are_rejected_with_their_number() {
        let good = fixture();
        let first = good.lines().next().unwrap().to_owned();
        let cases = [
            (format!("{good}\n"), "line 5"),
            (format!("{good}{first}\n"), "appears twice"),
            (good.replace("@sha256:1111", "@sha256:XXXX"), "line 1"),
            (good.replace("@sha256:", "@sha512:"), "line 1"),
            ("ghcr.io/spin:v1@sha256:".to_owned() + &"a".repeat(64) + "\n", "line 1"),
            (good.trim_end().to_owned(), "newline"),
        ];
        for (text, expected) in cases {
            let err = parse(&text).unwrap_err().to_string();
            assert!(err.contains(expected), "{err}");
        }
    }
}
