//! JavaScript values as the tool sees them: key order, property access, `typeof`, `String(x)`.
//!
//! The tool is a node program, so its output follows JavaScript semantics: objects list
//! array-index keys (`"0"`, `"8080"`) first in ascending order and every other key in insertion
//! order, and numbers print in the shortest round-trip form with JavaScript's exponent rules.

use std::borrow::Cow;
use std::collections::HashMap;

/// A JavaScript value as produced by the YAML parser or the tool itself.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Js {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(JsArray),
    Obj(JsObject),
}

/// An array, with the values.yaml line of every element when it came from YAML.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct JsArray {
    pub(crate) items: Vec<Js>,
    // Invariant: same length as `items`.
    pub(crate) lines: Vec<Option<usize>>,
}

/// A plain object: keys in insertion order, enumerated in JavaScript order by [`JsObject::keys`].
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct JsObject {
    entries: Vec<(String, Js, Option<usize>)>,
    // Invariant: maps every key of `entries` to its position.
    index: HashMap<String, usize>,
}

impl JsArray {
    pub(crate) fn push(&mut self, value: Js, line: Option<usize>) {
        self.items.push(value);
        self.lines.push(line);
    }
}

impl JsObject {
    /// `object[key] = value`: a new key goes last, an existing one keeps its place.
    pub(crate) fn insert(&mut self, key: &str, value: Js) {
        self.insert_at_line(key, value, None);
    }

    /// Like [`JsObject::insert`], remembering the values.yaml line of the key.
    pub(crate) fn insert_at_line(&mut self, key: &str, value: Js, line: Option<usize>) {
        if let Some(&position) = self.index.get(key) {
            self.entries[position].1 = value;
            self.entries[position].2 = line;
        } else {
            self.index.insert(key.to_owned(), self.entries.len());
            self.entries.push((key.to_owned(), value, line));
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Js> {
        self.index.get(key).map(|&position| &self.entries[position].1)
    }

    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut Js> {
        self.index.get(key).map(|&position| &mut self.entries[position].1)
    }

    pub(crate) fn line(&self, key: &str) -> Option<usize> {
        self.index.get(key).and_then(|&position| self.entries[position].2)
    }

    pub(crate) fn contains(&self, key: &str) -> bool {
        self.index.contains_key(key)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// `Object.keys(object)`: array indices ascending, then the other keys in insertion order.
    pub(crate) fn keys(&self) -> Vec<&str> {
        let mut indices: Vec<(u32, &str)> = Vec::new();
        let mut others: Vec<&str> = Vec::new();
        for (key, _, _) in &self.entries {
            match array_index(key) {
                Some(number) => indices.push((number, key)),
                None => others.push(key),
            }
        }
        indices.sort_unstable_by_key(|&(number, _)| number);
        indices.into_iter().map(|(_, key)| key).chain(others).collect()
    }
}

impl Js {
    /// `typeof value`.
    pub(crate) fn type_of(&self) -> &'static str {
        match self {
            Js::Null | Js::Arr(_) | Js::Obj(_) => "object",
            Js::Bool(_) => "boolean",
            Js::Num(_) => "number",
            Js::Str(_) => "string",
        }
    }

    /// `value[key]` for own properties (`length` of strings and arrays included).
    pub(crate) fn property(&self, key: &str) -> Option<Cow<'_, Js>> {
        match self {
            Js::Obj(object) => object.get(key).map(Cow::Borrowed),
            Js::Arr(array) => {
                if key == "length" {
                    return Some(Cow::Owned(Js::Num(usize_to_f64(array.items.len()))));
                }
                let index = usize::try_from(array_index(key)?).ok()?;
                array.items.get(index).map(Cow::Borrowed)
            }
            Js::Str(text) => {
                let units: Vec<u16> = text.encode_utf16().collect();
                if key == "length" {
                    return Some(Cow::Owned(Js::Num(usize_to_f64(units.len()))));
                }
                let index = usize::try_from(array_index(key)?).ok()?;
                let unit = *units.get(index)?;
                // A lone surrogate half cannot live in a Rust string; U+FFFD stands in for it.
                Some(Cow::Owned(Js::Str(String::from_utf16_lossy(&[unit]))))
            }
            Js::Null | Js::Bool(_) | Js::Num(_) => None,
        }
    }

    /// `Object.keys(value)`; `None` where JavaScript throws (null).
    pub(crate) fn own_keys(&self) -> Option<Vec<String>> {
        match self {
            Js::Null => None,
            Js::Bool(_) | Js::Num(_) => Some(Vec::new()),
            Js::Str(text) => {
                Some((0..text.encode_utf16().count()).map(|i| i.to_string()).collect())
            }
            Js::Arr(array) => Some((0..array.items.len()).map(|i| i.to_string()).collect()),
            Js::Obj(object) => Some(object.keys().into_iter().map(str::to_owned).collect()),
        }
    }

    /// `` `${value}` `` for the values a README cell can hold.
    pub(crate) fn to_js_string(&self) -> String {
        match self {
            Js::Null => "null".to_owned(),
            Js::Bool(value) => value.to_string(),
            Js::Num(number) => number_to_string(*number),
            Js::Str(text) => text.clone(),
            Js::Arr(array) => array
                .items
                .iter()
                .map(
                    |item| {
                        if matches!(item, Js::Null) { String::new() } else { item.to_js_string() }
                    },
                )
                .collect::<Vec<_>>()
                .join(","),
            Js::Obj(_) => "[object Object]".to_owned(),
        }
    }
}

/// The array index a property key denotes (`"0"`, `"42"`, not `"01"` nor `"4294967295"`).
pub(crate) fn array_index(key: &str) -> Option<u32> {
    let bytes = key.as_bytes();
    let canonical = match bytes {
        [b'0'] => true,
        [b'1'..=b'9', rest @ ..] => rest.iter().all(u8::is_ascii_digit),
        _ => false,
    };
    if !canonical || bytes.len() > 10 {
        return None;
    }
    key.parse::<u64>()
        .ok()
        .filter(|&number| number < 4_294_967_295)
        .and_then(|n| u32::try_from(n).ok())
}

/// Length in UTF-16 code units, JavaScript's `string.length`.
pub(crate) fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

#[allow(clippy::cast_precision_loss)] // Lengths of YAML strings are far below 2^53.
fn usize_to_f64(value: usize) -> f64 {
    value as f64
}

/// `String(number)`: the shortest round-trip digits, in JavaScript's layout.
pub(crate) fn number_to_string(number: f64) -> String {
    if number.is_nan() {
        return "NaN".to_owned();
    }
    if number == 0.0 {
        return "0".to_owned();
    }
    if number.is_infinite() {
        return if number > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    let sign = if number < 0.0 { "-" } else { "" };
    // `{:e}` writes the shortest digits that round-trip, e.g. `1.2345e-7`.
    let scientific = format!("{:e}", number.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let count = i64::try_from(digits.len()).unwrap_or(i64::MAX);
    // The value is 0.DIGITS × 10^point.
    let point = exponent + 1;
    let body = if count <= point && point <= 21 {
        let zeros = usize::try_from(point - count).unwrap_or(0);
        format!("{digits}{}", "0".repeat(zeros))
    } else if 0 < point && point <= 21 {
        let split = usize::try_from(point).unwrap_or(0);
        format!("{}.{}", &digits[..split], &digits[split..])
    } else if -6 < point && point <= 0 {
        let zeros = usize::try_from(-point).unwrap_or(0);
        format!("0.{}{digits}", "0".repeat(zeros))
    } else {
        let shown = point - 1;
        let exponent_sign = if shown >= 0 { "+" } else { "-" };
        let (first, rest) = digits.split_at(1);
        if rest.is_empty() {
            format!("{first}e{exponent_sign}{}", shown.abs())
        } else {
            format!("{first}.{rest}e{exponent_sign}{}", shown.abs())
        }
    };
    format!("{sign}{body}")
}
