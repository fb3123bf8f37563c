//! Path lookups as lodash's `_.get` and the tool's `getArrayPath` do them.
//!
//! The tool reads every value back from the parsed YAML through a dotted path string, so keys
//! that contain dots or brackets lead to surprising results; these functions keep them.

use std::borrow::Cow;

use super::js::Js;

/// `_.get(root, path)` with a string path; `None` is `undefined`.
pub(crate) fn get<'a>(root: &'a Js, path: &str) -> Option<Cow<'a, Js>> {
    if is_direct_key(root, path) {
        return root.property(path);
    }
    get_keys(root, &string_to_path(path))
}

/// `_.get(root, keys)` with an array path.
pub(crate) fn get_keys<'a>(root: &'a Js, keys: &[String]) -> Option<Cow<'a, Js>> {
    if keys.is_empty() {
        // `(index && index == length) ? object : undefined` with index 0.
        return None;
    }
    let mut current = Cow::Borrowed(root);
    for key in keys {
        current = match current {
            Cow::Borrowed(value) => value.property(key)?,
            Cow::Owned(value) => Cow::Owned(value.property(key)?.into_owned()),
        };
    }
    Some(current)
}

/// lodash `isKey`: the path names one property rather than a chain.
fn is_direct_key(root: &Js, path: &str) -> bool {
    let plain = path.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    // `path in Object(root)`, for own properties (inherited ones such as `toString` are not
    // modelled).
    plain || !is_deep(path) || root.property(path).is_some()
}

/// lodash `reIsDeepProp`: `/\.|\[(?:[^[\]]*|(["'])(?:(?!\1)[^\\]|\\.)*?\1)\]/`.
fn is_deep(path: &str) -> bool {
    let chars: Vec<char> = path.chars().collect();
    (0..chars.len())
        .any(|i| chars[i] == '.' || (chars[i] == '[' && bracket_end(&chars, i).is_some()))
}

/// End (index of `]`) of a `[...]` group starting at `open` as `reIsDeepProp` accepts it.
fn bracket_end(chars: &[char], open: usize) -> Option<usize> {
    // `[^[\]]*` then `]`.
    let mut i = open + 1;
    while i < chars.len() && chars[i] != '[' && chars[i] != ']' {
        i += 1;
    }
    if chars.get(i) == Some(&']') {
        return Some(i);
    }
    quoted_bracket(chars, open).map(|(_, end)| end)
}

/// `["..."]` or `['...']` at `open`: the raw inner text and the index of the closing `]`.
fn quoted_bracket(chars: &[char], open: usize) -> Option<(String, usize)> {
    let quote = *chars.get(open + 1)?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let mut i = open + 2;
    let mut inner = String::new();
    loop {
        let c = *chars.get(i)?;
        if c == quote {
            return (chars.get(i + 1) == Some(&']')).then_some((inner, i + 1));
        }
        if c == '\\' {
            let escaped = *chars.get(i + 1)?;
            if matches!(escaped, '\n' | '\r' | '\u{2028}' | '\u{2029}') {
                return None;
            }
            inner.push(c);
            inner.push(escaped);
            i += 2;
        } else {
            inner.push(c);
            i += 1;
        }
    }
}

/// lodash `stringToPath`.
pub(crate) fn string_to_path(path: &str) -> Vec<String> {
    let chars: Vec<char> = path.chars().collect();
    let mut keys = Vec::new();
    if chars.first() == Some(&'.') {
        keys.push(String::new());
    }
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '.' && c != '[' && c != ']' {
            let start = i;
            while i < chars.len() && !matches!(chars[i], '.' | '[' | ']') {
                i += 1;
            }
            keys.push(chars[start..i].iter().collect());
            continue;
        }
        if c == '['
            && let Some((key, end)) = number_bracket(&chars, i)
                .or_else(|| quoted_bracket(&chars, i).map(|(inner, end)| (unescape(&inner), end)))
        {
            keys.push(key);
            i = end + 1;
            continue;
        }
        // `(?=(?:\.|\[\])(?:\.|\[\]|$))`: an empty key between separators.
        if separator_len(&chars, i)
            .is_some_and(|len| i + len == chars.len() || separator_len(&chars, i + len).is_some())
        {
            keys.push(String::new());
        }
        i += 1;
    }
    keys
}

/// `[-?\d+(\.\d+)?]` at `open`: the number text and the index of `]`.
fn number_bracket(chars: &[char], open: usize) -> Option<(String, usize)> {
    let mut i = open + 1;
    let start = i;
    if chars.get(i) == Some(&'-') {
        i += 1;
    }
    let digits = i;
    while chars.get(i).is_some_and(char::is_ascii_digit) {
        i += 1;
    }
    if i == digits {
        return None;
    }
    if chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
        i += 1;
        while chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
    }
    (chars.get(i) == Some(&']')).then(|| (chars[start..i].iter().collect(), i))
}

/// Length of a `.` or `[]` separator at `i`.
fn separator_len(chars: &[char], i: usize) -> Option<usize> {
    match chars.get(i) {
        Some('.') => Some(1),
        Some('[') if chars.get(i + 1) == Some(&']') => Some(2),
        _ => None,
    }
}

/// `subString.replace(/\\(\\)?/g, '$1')`.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if chars.peek() == Some(&'\\') {
                chars.next();
                out.push('\\');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The tool's `getArrayPath(obj, path)`: the keys that spell `path` when keys contain dots.
/// `None` where JavaScript throws (`Object.keys(null)`), or past a nesting depth no YAML
/// document reaches.
pub(crate) fn array_path(object: &Js, path: &str) -> Option<Vec<String>> {
    array_path_at(object, path, 0)
}

fn array_path_at(object: &Js, path: &str, depth: usize) -> Option<Vec<String>> {
    const MAX_DEPTH: usize = 1024;
    if depth > MAX_DEPTH {
        return None;
    }
    let mut full = Vec::new();
    for key in object.own_keys()? {
        if path == key {
            full.push(key);
        } else {
            let prefix = format!("{key}.");
            if path.starts_with(&prefix) {
                // `path.split(prefix)[1]`: the text up to the next occurrence of the prefix.
                let rest = &path[prefix.len()..];
                let sub = rest.find(&prefix).map_or(rest, |end| &rest[..end]);
                let child = object.property(&key)?;
                let child_keys = array_path_at(&child, sub, depth + 1)?;
                full.push(key);
                full.extend(child_keys);
            }
        }
    }
    Some(full)
}
