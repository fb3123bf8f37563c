//! `{…}` placeholders in manifest strings: `{version}`, `{var:NAME}`, `{package}`, `{group}`.
//!
//! Only `{name}` and `{var:name}` with identifier characters are placeholders, so Helm
//! template text such as `{{ .Release.Namespace }}` passes through unchanged. An unknown
//! placeholder is an error rather than a silent literal.

use std::sync::LazyLock;

use regex::Regex;

static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{(var:[A-Za-z0-9_.-]+|[a-z_]+)\}").expect("valid placeholder regex")
});

/// Replaces every placeholder with `lookup(name)` (`name` is `version` or `var:NAME`);
/// `lookup` returns `Err` for names it does not know.
pub fn render(
    text: &str,
    mut lookup: impl FnMut(&str) -> Result<String, String>,
) -> Result<String, String> {
    let mut result = String::with_capacity(text.len());
    let mut last = 0;
    for captures in PLACEHOLDER.captures_iter(text) {
        let whole = captures.get(0).expect("a match has group 0");
        result.push_str(&text[last..whole.start()]);
        result.push_str(&lookup(&captures[1])?);
        last = whole.end();
    }
    result.push_str(&text[last..]);
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(name: &str) -> Result<String, String> {
        match name {
            "version" | "var:cilium_version" => Ok("1.16.5".into()),
            other => Err(format!("unknown placeholder `{{{other}}}`")),
        }
    }

    #[test]
    fn placeholders_and_helm_templates() {
        assert_eq!(render("v{var:cilium_version}", lookup).unwrap(), "v1.16.5");
        assert_eq!(
            render("https://x/{version}/a-{version}.yaml", lookup).unwrap(),
            "https://x/1.16.5/a-1.16.5.yaml"
        );
        assert_eq!(
            render("namespace: {{ .Release.Namespace }}", lookup).unwrap(),
            "namespace: {{ .Release.Namespace }}"
        );
        assert_eq!(render("{nope}", lookup).unwrap_err(), "unknown placeholder `{nope}`");
    }
}
