//! A small Makefile reader: simple variables, includes, targets and their recipe lines.

use std::collections::BTreeMap;

/// One logical line (continuations joined) with the 1-based number of its first physical line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number in the Makefile.
    pub number: usize,
    /// The text, `\`-continuations joined with single spaces, variables not yet expanded.
    pub text: String,
}

/// A rule: `name: prerequisites` and its recipe.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Target {
    /// The target name.
    pub name: String,
    /// Where the rule starts.
    pub number: usize,
    /// Prerequisites as written.
    pub prerequisites: Vec<String>,
    /// Recipe lines (comments dropped).
    pub recipe: Vec<Line>,
}

/// What the reader keeps of a Makefile.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Makefile {
    /// Variables by name, raw (unexpanded) values; later assignments win, `?=` only sets unset ones.
    pub vars: BTreeMap<String, String>,
    /// `include` lines.
    pub includes: Vec<Line>,
    /// Rules in file order (`.PHONY` and other special targets left out).
    pub targets: Vec<Target>,
    /// Top-level lines the reader did not understand (conditionals, `define`, …).
    pub unknown: Vec<Line>,
}

impl Makefile {
    /// Reads Makefile text. Never fails: what it cannot read lands in [`Makefile::unknown`].
    #[must_use]
    pub fn parse(text: &str) -> Makefile {
        let mut makefile = Makefile::default();
        let mut current: Option<Target> = None;
        for line in logical_lines(text) {
            if let Some(recipe) = line.text.strip_prefix('\t') {
                let recipe = recipe.trim();
                if let Some(target) = current.as_mut()
                    && !recipe.is_empty()
                    && !recipe.starts_with('#')
                {
                    target.recipe.push(Line { number: line.number, text: recipe.to_owned() });
                }
                continue;
            }
            let trimmed = line.text.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if let Some(target) = current.take() {
                makefile.targets.push(target);
            }
            if let Some(rest) =
                trimmed.strip_prefix("include ").or_else(|| trimmed.strip_prefix("-include "))
            {
                makefile.includes.push(Line { number: line.number, text: rest.trim().to_owned() });
            } else if let Some((name, op, value)) = assignment(trimmed) {
                if op != "?=" || !makefile.vars.contains_key(name) {
                    makefile.vars.insert(name.to_owned(), value.to_owned());
                }
            } else if let Some((names, prerequisites)) = rule(trimmed) {
                if names.starts_with('.') {
                    continue;
                }
                for name in names.split_whitespace() {
                    if let Some(target) = current.take() {
                        makefile.targets.push(target);
                    }
                    current = Some(Target {
                        name: name.to_owned(),
                        number: line.number,
                        prerequisites: prerequisites
                            .split_whitespace()
                            .map(str::to_owned)
                            .collect(),
                        recipe: Vec::new(),
                    });
                }
            } else {
                makefile.unknown.push(Line { number: line.number, text: trimmed.to_owned() });
            }
        }
        if let Some(target) = current {
            makefile.targets.push(target);
        }
        makefile
    }

    /// The rule for `name`, if the Makefile defines it.
    #[must_use]
    pub fn target(&self, name: &str) -> Option<&Target> {
        self.targets.iter().find(|target| target.name == name)
    }

    /// `text` with `$(VAR)`/`${VAR}` of this Makefile's simple variables expanded (recursively,
    /// bounded); unknown variables, functions and `$$` stay as written.
    #[must_use]
    pub fn expand(&self, text: &str) -> String {
        self.expand_depth(text, 0)
    }

    fn expand_depth(&self, text: &str, depth: usize) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find('$') {
            out.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            if let Some(tail) = after.strip_prefix('$') {
                out.push_str("$$");
                rest = tail;
                continue;
            }
            let close = match after.chars().next() {
                Some('(') => ')',
                Some('{') => '}',
                _ => {
                    out.push('$');
                    rest = after;
                    continue;
                }
            };
            let Some(end) = after[1..].find(close) else {
                out.push_str(&rest[at..]);
                rest = "";
                break;
            };
            let name = &after[1..=end];
            let whole = &rest[at..at + end + 3];
            match self.vars.get(name) {
                Some(value) if depth < 8 && is_simple_name(name) && !value.contains("$(shell") => {
                    out.push_str(&self.expand_depth(value, depth + 1));
                }
                _ => out.push_str(whole),
            }
            rest = &rest[at + end + 3..];
        }
        out.push_str(rest);
        out
    }
}

fn is_simple_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// `[export] NAME (=|:=|?=|::=) value`.
fn assignment(line: &str) -> Option<(&str, &str, &str)> {
    let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
    let name_end = line.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
    let name = &line[..name_end];
    if name.is_empty() {
        return None;
    }
    let rest = line[name_end..].trim_start();
    for op in ["::=", ":=", "?=", "="] {
        if let Some(value) = rest.strip_prefix(op) {
            return Some((name, op, value.trim()));
        }
    }
    None
}

/// `names: prerequisites` (not `name := value`).
fn rule(line: &str) -> Option<(&str, &str)> {
    let (names, rest) = line.split_once(':')?;
    if rest.starts_with('=') || names.trim().is_empty() || names.contains('=') {
        return None;
    }
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    let rest = rest.split_once(';').map_or(rest, |(before, _)| before);
    Some((names.trim(), rest.trim()))
}

/// Physical lines joined at trailing backslashes; recipe continuation lines lose their leading tab.
fn logical_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut pending: Option<Line> = None;
    for (index, raw) in text.lines().enumerate() {
        let (body, continues) = match raw.strip_suffix('\\') {
            Some(body) => (body, true),
            None => (raw, false),
        };
        match pending.as_mut() {
            Some(line) => {
                let body = body.trim();
                if !body.is_empty() {
                    if !line.text.ends_with(' ') && !line.text.ends_with('\t') {
                        line.text.push(' ');
                    }
                    line.text.push_str(body);
                }
            }
            None => pending = Some(Line { number: index + 1, text: body.trim_end().to_owned() }),
        }
        if !continues && let Some(line) = pending.take() {
            lines.push(line);
        }
    }
    lines.extend(pending);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_targets_continuations() {
        let makefile = Makefile::parse(
            "export NAME=demo\nNAMESPACE := cozy-$(NAME)\nX ?= a\nX ?= b\n\ninclude ../../../hack/package.mk\n\n.PHONY: update\nupdate: clean\n\trm -rf charts\n\t# comment\n\thelm pull a/b \\\n\t\t--untar\n\ntest:\n\thelm unittest .\n",
        );
        assert_eq!(makefile.vars["NAME"], "demo");
        assert_eq!(
            makefile.expand("$(NAMESPACE)/$(X)/$(REGISTRY)/$$x"),
            "cozy-demo/a/$(REGISTRY)/$$x"
        );
        assert_eq!(makefile.includes[0].text, "../../../hack/package.mk");
        let update = makefile.target("update").unwrap();
        assert_eq!(update.prerequisites, ["clean"]);
        assert_eq!(
            update.recipe,
            [
                Line { number: 10, text: "rm -rf charts".into() },
                Line { number: 12, text: "helm pull a/b --untar".into() }
            ]
        );
        assert_eq!(makefile.target("test").unwrap().recipe[0].number, 16);
    }

    #[test]
    fn unknown_lines_and_self_reference() {
        let makefile = Makefile::parse("ifeq ($(A),b)\nA = $(A)\n");
        assert_eq!(makefile.unknown[0].number, 1);
        assert_eq!(makefile.expand("$(A)"), "$(A)");
    }
}
