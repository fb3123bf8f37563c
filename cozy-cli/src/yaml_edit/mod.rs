//! Surgical edits of YAML text: change one scalar (or delete one key) and keep every other
//! byte — comments, quoting style, indentation, flow or block layout, anchors, line endings, a
//! missing final line break — as it was. The API is the contract with `pkg update`
//! (`yaml-set`, `yaml-delete`) and `pkg image` (write-backs), replacing
//! `yq -i '.path = strenv(X)'`.
//!
//! How it works: `saphyr-parser` events give each node's position; the edit replaces only the
//! target's bytes (or inserts/removes whole lines); then the old and new texts are parsed with
//! `serde_yaml`, the intended change is applied to the old documents in memory, and the new
//! documents must equal them exactly — otherwise the edit is refused with an error instead of
//! a corrupt file.
//!
//! Rules where YAML leaves a choice:
//! - Quoting: a double-quoted scalar stays double-quoted, a single-quoted one single-quoted
//!   (switching to double quotes when the value has line breaks or non-printable characters),
//!   a plain one plain unless the value would read as something else (null, bool — YAML 1.1's
//!   `yes`/`on`/`y` included —, number, timestamp, merge key) or is not a valid plain scalar
//!   (empty, leading/trailing space, `: `, ` #`, a leading indicator, control characters,
//!   flow indicators inside a flow collection); then it is double-quoted, as yq's `strenv`
//!   would. `-`, `?` and `:` followed by a non-space stay valid plain starts in block context,
//!   so `--migrate-image=…` stays plain (as yq keeps it). A block scalar (`|`, `>`) becomes a
//!   double-quoted scalar on the header's line; its content lines go, a comment after the
//!   header and blank lines after the content stay. Anchors and tags in front of the scalar
//!   stay.
//! - An empty value (`key:`, `- `) gets ` value` after the colon, dash or anchor.
//! - Created keys (`create = true`) are block mapping lines inserted at the end of the line
//!   holding the end of the parent mapping's last entry (after that line's comment; comment
//!   lines below stay below the new key), at the column of the existing keys; deeper new
//!   levels are indented by the document's step (the first nested block mapping's offset, else
//!   2). A bare null value (`key:`, `key: ~`, `key: null`) becomes a mapping the same way. In a
//!   flow mapping the new entry goes inside the braces after the last entry (`{a: 1, b: v}`,
//!   deeper levels nested as `b: {c: v}`). List items are never created. Line breaks match
//!   the text's first line (`\r\n` or `\n`).
//! - `delete_key` removes the key's lines through its value's last line, plus the comment lines
//!   right below that are indented deeper than the key (they belong to its value); comments
//!   above the key and at its column below stay. A key sharing its line with `- ` is removed up
//!   to the next key, which moves behind the `- `. Deleting the only entry leaves `{}`. In a
//!   flow mapping the entry and one separator go. A missing key is an error, not a no-op.
//! - Multi-document text: only the first document is edited (a leading `---` or `%YAML`
//!   directive is fine); the later ones must stay equal. A text with no document at all
//!   (empty, only comments) gets the created keys appended.
//! - Refused rather than guessed: aliases as target or on the way, explicit `?` keys for
//!   deletion, keys below an empty list item, and every edit whose re-parse differs from the
//!   intended change anywhere (an anchor that aliases elsewhere read, a custom tag, a keep
//!   `|+` block scalar losing its trailing lines to a new key).

mod delete;
mod locate;
mod path;
mod render;
mod scan;
mod set;
mod splice;
mod tree;
mod verify;

#[cfg(test)]
mod tests;

pub use path::{Segment, display_path, parse_path};

/// A path into a YAML document: `a.b[0].c`, with `"quoted.keys"` for keys that contain dots.
/// See [`parse_path`].
pub type Path = str;

/// Why an edit was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    /// 1-based line of the problem, when known.
    pub line: Option<usize>,
    /// What is wrong, naming the path.
    pub message: String,
}

impl Error {
    /// An error at a 1-based line.
    fn at(line: usize, message: String) -> Self {
        Error { line: Some(line), message }
    }

    /// An error without a position.
    fn nowhere(message: String) -> Self {
        Error { line: None, message }
    }

    /// The error with "cannot VERB `PATH`: " in front unless its message names the path.
    fn naming(self, verb: &str, path: &str) -> Self {
        if self.message.contains(&format!("`{path}`")) {
            return self;
        }
        Error { line: self.line, message: format!("cannot {verb} `{path}`: {}", self.message) }
    }
}

/// `text` with the scalar at `path` set to the string `value`.
///
/// The node must be a scalar (an empty or null value counts); only its bytes change, keeping
/// its quoting style where the value allows (see the module doc). Missing mapping keys are an
/// error (`key `a.b` not found`, at the line of the deepest existing parent) unless `create`
/// is set, in which case they are added. Refused: aliases, mappings and lists as the target,
/// list indices out of range, and any edit whose re-parse shows a change beyond the target.
pub fn set_scalar(text: &str, path: &Path, value: &str, create: bool) -> Result<String, Error> {
    set::set_scalar(text, path, value, create).map_err(|err| err.naming("set", path))
}

/// `text` without the key at `path` (and its value). A missing key is an error.
pub fn delete_key(text: &str, path: &Path) -> Result<String, Error> {
    delete::delete_key(text, path).map_err(|err| err.naming("delete", path))
}
