//! Helm's chart version constraints: the rules of Masterminds semver v3, which `helm pull
//! --version` and `Chart.yaml` dependencies use (lifecycle.md §4.2).
//!
//! A constraint is `||`-separated groups of comparators joined by spaces or commas. A partial
//! version is a wildcard (`1.16` = `1.16.x`), `x`/`X`/`*` stand for any component, `A - B` is a
//! hyphen range, `~` keeps the minor (or the major for `~1`), `^` keeps the first non-zero
//! component. A prerelease version only matches a group that names a prerelease somewhere
//! (`~0.3.0-0` and `>=1.17.0-0 <1.17.0` match prereleases; `0.3` does not). The tests' cases
//! were checked against `helm pull --version` of helm 4.1.4. Pure.

use std::cmp::Ordering;
use std::sync::LazyLock;

use regex::Regex;
use semver::{BuildMetadata, Prerelease, Version};

/// A parsed constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Constraint {
    // Invariant: at least one group; each group has at least one comparator.
    groups: Vec<Vec<Comparator>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Comparator {
    op: Op,
    version: Version,
    wildcard: Wildcard,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    /// No operator, or `=`: exact, or tilde-like when the version is partial.
    Equal,
    NotEqual,
    Greater,
    Less,
    GreaterEqual,
    LessEqual,
    Tilde,
    Caret,
}

/// Which components were left out or written as `x`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Wildcard {
    None,
    Patch,
    Minor,
    Major,
}

const VERSION: &str = r"v?(?:[0-9xX*]+)(?:\.[0-9xX*]+)?(?:\.[0-9xX*]+)?(?:-[0-9A-Za-z\-]+(?:\.[0-9A-Za-z\-]+)*)?(?:\+[0-9A-Za-z\-]+(?:\.[0-9A-Za-z\-]+)*)?";
const OPS: &str = r"!=|>=|=>|<=|=<|~>|=|>|<|~|\^";

static HYPHEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"\s*({VERSION})\s+-\s+({VERSION})\s*")).expect("valid hyphen regex")
});
static GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*(?:{OPS})?\s*{VERSION}\s*(?:(?:\s+|,\s*)(?:{OPS})?\s*{VERSION}\s*)*$"
    ))
    .expect("valid group regex")
});
static COMPARATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"({OPS})?\s*({VERSION})")).expect("valid comparator regex")
});
static PARTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^v?([0-9xX*]+)(?:\.([0-9xX*]+))?(?:\.([0-9xX*]+))?(?:-([0-9A-Za-z\-.]+))?(?:\+([0-9A-Za-z\-.]+))?$")
        .expect("valid parts regex")
});

impl Constraint {
    /// Parses a constraint; the empty string matches any release.
    pub fn parse(text: &str) -> Result<Constraint, String> {
        let rewritten = HYPHEN.replace_all(text, " >= ${1} <= ${2} ");
        let mut groups = Vec::new();
        for group in rewritten.split("||") {
            if group.trim().is_empty() && text.trim().is_empty() {
                groups.push(vec![Comparator {
                    op: Op::Equal,
                    version: Version::new(0, 0, 0),
                    wildcard: Wildcard::Major,
                }]);
                continue;
            }
            if !GROUP.is_match(group) {
                return Err(format!("improper constraint `{}`", group.trim()));
            }
            let comparators = COMPARATOR
                .captures_iter(group)
                .map(|captures| {
                    let op = match captures.get(1).map_or("", |m| m.as_str()) {
                        "" | "=" => Op::Equal,
                        "!=" => Op::NotEqual,
                        ">" => Op::Greater,
                        "<" => Op::Less,
                        ">=" | "=>" => Op::GreaterEqual,
                        "<=" | "=<" => Op::LessEqual,
                        "~" | "~>" => Op::Tilde,
                        _ => Op::Caret,
                    };
                    let (version, wildcard) = partial_version(&captures[2]).ok_or_else(|| {
                        format!(
                            "improper version `{}` in constraint `{}`",
                            &captures[2],
                            text.trim()
                        )
                    })?;
                    Ok(Comparator { op, version, wildcard })
                })
                .collect::<Result<Vec<_>, String>>()?;
            groups.push(comparators);
        }
        Ok(Constraint { groups })
    }

    /// Whether `version` satisfies the constraint.
    #[must_use]
    pub fn matches(&self, version: &Version) -> bool {
        self.groups.iter().any(|group| {
            // A group that names a prerelease anywhere admits prereleases in all its comparators.
            let admits_prereleases =
                group.iter().any(|comparator| !comparator.version.pre.is_empty());
            group.iter().all(|comparator| comparator.matches(version, admits_prereleases))
        })
    }
}

/// Parses a version the way Helm does: an optional `v`, one to three numbers, then an
/// optional prerelease and build (`v1.16`, `1.2.3-rc.1+abc`).
#[must_use]
pub fn parse_version(text: &str) -> Option<Version> {
    match partial_version(text.trim())? {
        (version, Wildcard::None | Wildcard::Patch | Wildcard::Minor)
            if !text.contains(['x', 'X', '*']) =>
        {
            Some(version)
        }
        _ => None,
    }
}

/// The highest of `versions` that satisfies `constraint`, by semver precedence. An exact
/// string match wins, as in Helm's repository index.
pub fn best_match<'a>(
    constraint: &str,
    versions: impl IntoIterator<Item = &'a str>,
) -> Result<Option<&'a str>, String> {
    let parsed = Constraint::parse(constraint)?;
    let mut best: Option<(&str, Version)> = None;
    for text in versions {
        if text == constraint {
            return Ok(Some(text));
        }
        let Some(version) = parse_version(text) else { continue };
        if parsed.matches(&version)
            && best
                .as_ref()
                .is_none_or(|(_, current)| version.cmp_precedence(current) == Ordering::Greater)
        {
            best = Some((text, version));
        }
    }
    Ok(best.map(|(text, _)| text))
}

fn partial_version(text: &str) -> Option<(Version, Wildcard)> {
    let captures = PARTS.captures(text)?;
    let number = |index: usize| -> Option<Option<u64>> {
        match captures.get(index).map(|m| m.as_str()) {
            None | Some("x" | "X" | "*") => Some(None),
            Some(digits) => digits.parse().ok().map(Some),
        }
    };
    let (major, minor, patch) = (number(1)?, number(2)?, number(3)?);
    let (version, wildcard) = match (major, minor, patch) {
        (None, _, _) => (Version::new(0, 0, 0), Wildcard::Major),
        (Some(major), None, _) => (Version::new(major, 0, 0), Wildcard::Minor),
        (Some(major), Some(minor), None) => (Version::new(major, minor, 0), Wildcard::Patch),
        (Some(major), Some(minor), Some(patch)) => {
            (Version::new(major, minor, patch), Wildcard::None)
        }
    };
    let mut version = version;
    if let Some(pre) = captures.get(4) {
        version.pre = Prerelease::new(pre.as_str()).ok()?;
    }
    if let Some(build) = captures.get(5) {
        version.build = BuildMetadata::new(build.as_str()).ok()?;
    }
    Some((version, wildcard))
}

impl Comparator {
    fn matches(&self, v: &Version, admits_prereleases: bool) -> bool {
        let c = &self.version;
        if !v.pre.is_empty() && !admits_prereleases {
            return false;
        }
        let order = v.cmp_precedence(c);
        let dirty = self.wildcard != Wildcard::None;
        match self.op {
            Op::Equal if dirty => self.tilde(v, order),
            Op::Equal => order == Ordering::Equal,
            Op::NotEqual if !dirty => order != Ordering::Equal,
            Op::NotEqual => match self.wildcard {
                Wildcard::Major => false,
                Wildcard::Minor => v.major != c.major,
                _ => v.major != c.major || v.minor != c.minor,
            },
            Op::Greater if !dirty => order == Ordering::Greater,
            Op::Greater => match v.major.cmp(&c.major) {
                Ordering::Greater => true,
                Ordering::Less => false,
                Ordering::Equal => match self.wildcard {
                    Wildcard::Minor => false,
                    Wildcard::Patch => v.minor > c.minor,
                    _ => order == Ordering::Greater,
                },
            },
            Op::Less => order == Ordering::Less,
            Op::GreaterEqual => order != Ordering::Less,
            Op::LessEqual if !dirty => order != Ordering::Greater,
            Op::LessEqual => {
                v.major < c.major
                    || (v.major == c.major
                        && (v.minor <= c.minor || self.wildcard != Wildcard::Patch))
                    || self.wildcard == Wildcard::Major
            }
            Op::Tilde => self.tilde(v, order),
            Op::Caret => self.caret(v, order),
        }
    }

    fn tilde(&self, v: &Version, order: Ordering) -> bool {
        let c = &self.version;
        if order == Ordering::Less {
            return false;
        }
        match self.wildcard {
            Wildcard::Major => true,
            _ if c.major == 0
                && c.minor == 0
                && c.patch == 0
                && self.wildcard == Wildcard::None =>
            {
                true
            }
            Wildcard::Minor => v.major == c.major,
            _ => v.major == c.major && v.minor == c.minor,
        }
    }

    fn caret(&self, v: &Version, order: Ordering) -> bool {
        let c = &self.version;
        if order == Ordering::Less {
            return false;
        }
        match self.wildcard {
            Wildcard::Major => true,
            _ if c.major > 0 || self.wildcard == Wildcard::Minor => v.major == c.major,
            _ if v.major > 0 => false,
            _ if c.minor > 0 || self.wildcard == Wildcard::Patch => v.minor == c.minor,
            _ => v.minor == 0 && v.patch == c.patch,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VERSIONS: &[&str] = &[
        "0.1.0",
        "0.1.7",
        "0.2.0",
        "0.2.5",
        "0.3.0-rc1",
        "1.15.9",
        "1.16.0",
        "1.16.3",
        "1.16.5",
        "1.17.0-rc.1",
        "1.17.0",
        "2.0.0",
        "v2.1.0",
    ];

    #[track_caller]
    fn check(constraint: &str, expected: Option<&str>) {
        assert_eq!(
            best_match(constraint, VERSIONS.iter().copied()).unwrap(),
            expected,
            "constraint `{constraint}`"
        );
    }

    #[test]
    fn partial_versions_are_wildcards() {
        check("0.2", Some("0.2.5"));
        check("1.16", Some("1.16.5"));
        check("1.16.x", Some("1.16.5"));
        check("1", Some("1.17.0"));
        check("1.16.3", Some("1.16.3"));
        check("=1.16.3", Some("1.16.3"));
        check("1.16.4", None);
    }

    #[test]
    fn empty_and_star_take_the_latest_release() {
        check("", Some("v2.1.0"));
        check("*", Some("v2.1.0"));
        check("x", Some("v2.1.0"));
    }

    #[test]
    fn caret_and_tilde() {
        check("^0.1", Some("0.1.7"));
        check("^0.1.2", Some("0.1.7"));
        check("^1.16", Some("1.17.0"));
        check("^0.0.1", None);
        check("~1.16.3", Some("1.16.5"));
        check("~1", Some("1.17.0"));
        check("~>1.15", Some("1.15.9"));
        check("~0.3.0-0", Some("0.3.0-rc1"));
    }

    #[test]
    fn comparisons_and_ranges() {
        check(">=1.2 <2", Some("1.17.0"));
        check(">=1.2, <1.17", Some("1.16.5"));
        check("<1.16", Some("1.15.9"));
        check(">1.16", Some("v2.1.0"));
        check(">1.16 <2 || 0.1.0", Some("1.17.0"));
        check("1.15 - 1.16.3", Some("1.16.3"));
        check("<=1.16", Some("1.16.5"));
        check("!=2.1.0 <3", Some("2.0.0"));
        check(">= 3", None);
    }

    #[test]
    fn prereleases_only_when_asked_for() {
        check("0.3", None);
        check(">=1.17.0-0 <1.17.0", Some("1.17.0-rc.1"));
        check(">=1.17.0-0 <1.17.0-z", Some("1.17.0-rc.1"));
        check("~1.17.0-0", Some("1.17.0"));
        check("1.17.0-rc.1", Some("1.17.0-rc.1"));
    }

    #[test]
    fn exact_string_wins() {
        assert_eq!(best_match("v2.1.0", ["2.1.0", "v2.1.0"]).unwrap(), Some("v2.1.0"));
    }

    #[test]
    fn bad_constraints_are_errors() {
        for bad in ["latest", ">=1.2 <", "1.2.3.4", "^^1"] {
            assert!(Constraint::parse(bad).is_err(), "`{bad}` should not parse");
        }
    }

    #[test]
    fn versions_parse_like_helm() {
        assert_eq!(parse_version("v1.16"), Some(Version::new(1, 16, 0)));
        assert_eq!(
            parse_version("1.2.3-rc.1+b").map(|v| v.to_string()),
            Some("1.2.3-rc.1+b".to_owned())
        );
        assert_eq!(parse_version("1.x"), None);
        assert_eq!(parse_version("latest"), None);
    }
}
