//! Property tests: random edits of random small documents succeed with the re-parse check or
//! fail with an error, never panic; edits that must work do, and read back right.

use proptest::prelude::*;
use serde::Deserialize as _;
use serde_yaml::{Mapping, Value};

use super::super::path::{Segment, display_path};
use super::super::render::{double_quoted, plain_ok, printable, single_ok};
use super::{Error, delete_key, set_scalar};

/// A document model: string scalars, mappings with unique keys, lists.
#[derive(Clone, Debug)]
enum Model {
    Leaf(String),
    Map(Vec<(String, Model)>),
    List(Vec<Model>),
}

const KEYS: &[&str] =
    &["a", "b", "image", "tag", "keycloak-operator", "example.com/x", "1", "true", "x y"];

const VALUES: &[&str] = &[
    "x",
    "",
    "v1.2.3",
    "1",
    "1.0",
    "true",
    "null",
    "~",
    "a: b",
    "#c",
    "a #c",
    "it's",
    "say \"hi\"",
    "two\nlines",
    "--migrate-image=repo:v1@sha256:ab",
    "x,y",
    "[x]",
    " lead",
    "ü",
    "- item",
];

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(VALUES).prop_map(str::to_owned),
        1 => "[ -~\n\t]{0,12}",
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop::sample::select(KEYS).prop_map(str::to_owned)
}

fn model() -> impl Strategy<Value = Model> {
    let leaf = value().prop_map(Model::Leaf);
    let tree = leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec((key(), inner.clone()), 0..4)
                .prop_map(|entries| Model::Map(unique(entries))),
            prop::collection::vec(inner, 0..4).prop_map(Model::List),
        ]
    });
    prop::collection::vec((key(), tree), 1..5).prop_map(|entries| Model::Map(unique(entries)))
}

/// Entries without repeated keys (the first wins).
fn unique(entries: Vec<(String, Model)>) -> Vec<(String, Model)> {
    let mut seen = Vec::new();
    entries
        .into_iter()
        .filter(|(key, _)| {
            let new = !seen.contains(key);
            seen.push(key.clone());
            new
        })
        .collect()
}

/// Every node's path and node.
fn paths(model: &Model) -> Vec<(Vec<Segment>, &Model)> {
    let mut out = Vec::new();
    let mut pending = vec![(Vec::new(), model)];
    while let Some((path, node)) = pending.pop() {
        match node {
            Model::Leaf(_) => {}
            Model::Map(entries) => {
                for (key, value) in entries {
                    let mut inner = path.clone();
                    inner.push(Segment::Key(key.clone()));
                    pending.push((inner, value));
                }
            }
            Model::List(items) => {
                for (index, item) in items.iter().enumerate() {
                    let mut inner = path.clone();
                    inner.push(Segment::Index(index));
                    pending.push((inner, item));
                }
            }
        }
        out.push((path, node));
    }
    out
}

/// Writes a model as YAML text in randomly chosen styles.
struct Emitter<'d> {
    lines: Vec<String>,
    dice: &'d [u8],
    rolls: usize,
    anchors: usize,
    aliases: bool,
}

impl Emitter<'_> {
    fn roll(&mut self, sides: u8) -> u8 {
        let die = self.dice.get(self.rolls % self.dice.len().max(1)).copied().unwrap_or(0);
        self.rolls += 1;
        die.wrapping_add(u8::try_from(self.rolls % 251).unwrap_or(0)) % sides
    }

    fn push(&mut self, text: &str) {
        if let Some(line) = self.lines.last_mut() {
            line.push_str(text);
        }
    }

    fn line(&mut self, indent: usize) {
        self.lines.push(" ".repeat(indent));
    }

    fn key(&mut self, key: &str, flow: bool) -> String {
        match self.roll(4) {
            0 if single_ok(key) => format!("'{}'", key.replace('\'', "''")),
            1 => double_quoted(key),
            _ if plain_ok(key, flow) => key.to_owned(),
            _ => double_quoted(key),
        }
    }

    /// A scalar after `key:` or `- ` (leading space included); block scalar lines go at
    /// `indent + 2`.
    fn scalar(&mut self, value: &str, indent: usize) {
        let literal_ok = !value.is_empty()
            && value.split('\n').all(|line| {
                !line.is_empty() && !line.starts_with([' ', '\t']) && line.chars().all(printable)
            });
        let words: Vec<&str> = value.split(' ').collect();
        let foldable = words.len() == 2
            && words.iter().all(|w| !w.is_empty() && w.chars().all(char::is_alphanumeric));
        match self.roll(8) {
            0 if plain_ok(value, false) => self.push(&format!(" {value}")),
            5 if foldable && plain_ok(value, false) => {
                // A plain scalar folded over two lines.
                self.push(&format!(" {}", words[0]));
                self.lines.push(format!("{}{}", " ".repeat(indent + 2), words[1]));
            }
            6 if !value.contains('\n') && literal_ok => {
                self.push(" >-");
                self.lines.push(format!("{}{value}", " ".repeat(indent + 2)));
                return;
            }
            1 if single_ok(value) => self.push(&format!(" '{}'", value.replace('\'', "''"))),
            2 if literal_ok => {
                self.push(" |-");
                for line in value.split('\n') {
                    self.lines.push(format!("{}{line}", " ".repeat(indent + 2)));
                }
                return;
            }
            3 if self.aliases && self.anchors > 0 => {
                let alias = usize::from(self.roll(8)) % self.anchors;
                self.push(&format!(" *a{alias}"));
            }
            4 => {
                self.push(&format!(" &a{} {}", self.anchors, double_quoted(value)));
                self.anchors += 1;
            }
            _ => self.push(&format!(" {}", double_quoted(value))),
        }
        if self.roll(4) == 0 {
            self.push(" # note");
        }
    }

    fn flow_scalar(&mut self, value: &str) -> String {
        if self.roll(2) == 0 && plain_ok(value, true) {
            value.to_owned()
        } else {
            double_quoted(value)
        }
    }

    /// A flow collection for a model whose children are all leaves.
    fn flow(&mut self, model: &Model) -> Option<String> {
        match model {
            Model::Map(entries) if entries.iter().all(|(_, v)| matches!(v, Model::Leaf(_))) => {
                let mut parts = Vec::new();
                for (key, value) in entries {
                    let Model::Leaf(value) = value else { return None };
                    let key = self.key(key, true);
                    parts.push(format!("{key}: {}", self.flow_scalar(value)));
                }
                Some(format!("{{{}}}", parts.join(", ")))
            }
            Model::List(items) if items.iter().all(|v| matches!(v, Model::Leaf(_))) => {
                let mut parts = Vec::new();
                for item in items {
                    let Model::Leaf(value) = item else { return None };
                    parts.push(self.flow_scalar(value));
                }
                Some(format!("[{}]", parts.join(", ")))
            }
            _ => None,
        }
    }

    /// The value of an entry or item whose line is already started; a list may sit at the
    /// same indentation only below a mapping key (`indentless`).
    fn value(&mut self, model: &Model, indent: usize, indentless: bool) {
        if !matches!(model, Model::Leaf(_))
            && self.roll(3) == 0
            && let Some(flow) = self.flow(model)
        {
            self.push(&format!(" {flow}"));
            return;
        }
        match model {
            Model::Leaf(value) => self.scalar(value, indent),
            Model::Map(entries) if entries.is_empty() => self.push(" {}"),
            Model::List(items) if items.is_empty() => self.push(" []"),
            Model::Map(entries) => self.map(entries, indent + 2, false),
            Model::List(items) => {
                let inner = if indentless && self.roll(2) == 0 { indent } else { indent + 2 };
                self.list(items, inner);
            }
        }
    }

    fn map(&mut self, entries: &[(String, Model)], indent: usize, inline_first: bool) {
        for (index, (key, value)) in entries.iter().enumerate() {
            if index > 0 || !inline_first {
                match self.roll(8) {
                    0 => self.lines.push(format!("{}# comment", " ".repeat(indent))),
                    1 => self.lines.push(String::new()),
                    _ => {}
                }
                self.line(indent);
            }
            let key = self.key(key, false);
            self.push(&format!("{key}:"));
            if !matches!(value, Model::Leaf(_)) && self.roll(5) == 0 {
                self.push(" # about the block");
                let value_start = self.lines.len();
                self.value(value, indent, true);
                // A flow or empty collection would land in the comment: start it on a new line.
                if self.lines.len() == value_start {
                    let line = self.lines.pop().unwrap_or_default();
                    let (head, tail) = line.split_once(" # about the block").unwrap_or((&line, ""));
                    self.lines.push(format!("{head} # about the block"));
                    self.lines.push(format!("{}{}", " ".repeat(indent + 2), tail.trim_start()));
                }
                continue;
            }
            self.value(value, indent, true);
        }
    }

    fn list(&mut self, items: &[Model], indent: usize) {
        for item in items {
            self.line(indent);
            self.push("-");
            match item {
                Model::Map(entries) if !entries.is_empty() && self.roll(2) == 0 => {
                    self.push(" ");
                    self.map(entries, indent + 2, true);
                }
                Model::List(inner) if !inner.is_empty() && self.roll(2) == 0 => {
                    self.list(inner, indent + 2);
                }
                _ => self.value(item, indent, false),
            }
        }
    }
}

/// The model written as YAML.
fn emit(model: &Model, dice: &[u8], aliases: bool, crlf: bool, final_break: bool) -> String {
    let mut emitter = Emitter { lines: Vec::new(), dice, rolls: 0, anchors: 0, aliases };
    if let Model::Map(entries) = model {
        if emitter.roll(5) == 0 {
            emitter.lines.push("--- # start".to_owned());
        }
        emitter.map(entries, 0, false);
        if emitter.roll(5) == 0 {
            emitter.lines.push("---".to_owned());
            emitter.lines.push("other: document".to_owned());
        }
    }
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut text = emitter.lines.join(eol);
    if final_break {
        text.push_str(eol);
    }
    text
}

/// The model as a `serde_yaml` value.
fn model_value(model: &Model) -> Value {
    match model {
        Model::Leaf(value) => Value::String(value.clone()),
        Model::Map(entries) => Value::Mapping(
            entries
                .iter()
                .map(|(key, value)| (Value::String(key.clone()), model_value(value)))
                .collect(),
        ),
        Model::List(items) => Value::Sequence(items.iter().map(model_value).collect()),
    }
}

fn documents(text: &str) -> Vec<Value> {
    serde_yaml::Deserializer::from_str(text)
        .map(Value::deserialize)
        .collect::<Result<_, _>>()
        .unwrap_or_else(|err| panic!("{err}: {text:?}"))
}

/// The node at `path`, following keys by name; creating maps when `create`.
fn walk<'v>(mut node: &'v mut Value, path: &[Segment], create: bool) -> Option<&'v mut Value> {
    for segment in path {
        node = match segment {
            Segment::Key(key) => {
                if create && node.is_null() {
                    *node = Value::Mapping(Mapping::new());
                }
                let mapping = node.as_mapping_mut()?;
                let key = Value::String(key.clone());
                if create {
                    mapping.entry(key).or_insert(Value::Null)
                } else {
                    mapping.get_mut(&key)?
                }
            }
            Segment::Index(index) => node.as_sequence_mut()?.get_mut(*index)?,
        };
    }
    Some(node)
}

/// Asserts an error names the path, starts in lowercase and has no final period.
fn assert_well_formed(err: &Error, path: &str) {
    let message = &err.message;
    assert!(message.contains(&format!("`{path}`")), "{message}");
    assert!(message.starts_with(char::is_lowercase) && !message.ends_with('.'), "{message}");
}

/// Operations tried on a document.
#[derive(Clone, Copy, Debug)]
enum Op {
    Set,
    Create,
    Delete,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_edits_of_random_documents(
        model in model(),
        dice in prop::collection::vec(any::<u8>(), 1..64),
        aliases in any::<bool>(),
        crlf in any::<bool>(),
        final_break in any::<bool>(),
        pick in any::<usize>(),
        new_key in key(),
        value in value(),
        op in prop::sample::select(&[Op::Set, Op::Create, Op::Delete][..]),
    ) {
        let text = emit(&model, &dice, aliases, crlf, final_break);
        let old_docs = documents(&text);
        if !aliases {
            prop_assert_eq!(&old_docs[0], &model_value(&model), "emitted {}", text);
        }
        let all = paths(&model);
        let (target, node) = &all[pick % all.len()];
        let mut path = target.clone();
        // Whether the edit must work (no alias can be in the way).
        let must = !aliases && match (op, node) {
            (Op::Set, Model::Leaf(_)) => true,
            (Op::Create, Model::Map(entries)) => {
                let fresh = !entries.iter().any(|(key, _)| *key == new_key);
                path.push(Segment::Key(new_key.clone()));
                fresh
            }
            (Op::Delete, _) => matches!(path.last(), Some(Segment::Key(_))),
            _ => false,
        };
        if path.is_empty() {
            path.push(Segment::Key(new_key.clone()));
        }
        let shown = display_path(&path);
        let result = match op {
            Op::Set | Op::Create => set_scalar(&text, &shown, &value, matches!(op, Op::Create)),
            Op::Delete => delete_key(&text, &shown),
        };
        let new = match result {
            Ok(new) => new,
            Err(err) => {
                prop_assert!(!must, "{op:?} {shown} = {value:?} failed: {err:?}\n{text}");
                assert_well_formed(&err, &shown);
                return Ok(());
            }
        };
        let mut expected = old_docs;
        match op {
            Op::Set | Op::Create => {
                let slot = walk(&mut expected[0], &path, true);
                prop_assert!(slot.is_some(), "{shown} not in the old document");
                if let Some(slot) = slot {
                    *slot = Value::String(value.clone());
                }
            }
            Op::Delete => {
                let (Some(Segment::Key(last)), parent) = (path.last(), &path[..path.len() - 1]) else {
                    return Err(TestCaseError::fail("deleted a non-key"));
                };
                let mapping = walk(&mut expected[0], parent, false).and_then(Value::as_mapping_mut);
                prop_assert!(mapping.is_some_and(|m| m.shift_remove(last.as_str()).is_some()));
            }
        }
        prop_assert_eq!(documents(&new), expected, "{:?} {} = {:?}\n{}\n=>\n{}", op, shown, value, text, new);
        // Line endings and the final line break are as they were.
        let eol = if crlf { "\r\n" } else { "\n" };
        // (A text without any line break gets `\n`.)
        if text.contains('\n') {
            prop_assert_eq!(new.matches('\n').count(), new.matches(eol).count());
        }
        prop_assert_eq!(new.ends_with(eol), final_break, "{:?} {}\n{:?}\n=>\n{:?}", op, shown, text, new);
    }

    #[test]
    fn arbitrary_text_never_panics(
        text in "[a-z0-9:#'\"\\[\\]{}&*!|>?,.~ \n\t-]{0,80}",
        path in prop::sample::select(&["a", "a.b", "a[0]", "b.c[1].d", "[0]", "\"a.b\""][..]),
        value in value(),
        create in any::<bool>(),
    ) {
        if let Err(err) = set_scalar(&text, path, &value, create) {
            assert_well_formed(&err, path);
        }
        if let Err(err) = delete_key(&text, path) {
            assert_well_formed(&err, path);
        }
    }
}
