//! Plain scalars under the YAML 1.2 core schema, as the npm `yaml` package resolves them.
//!
//! Tests run in the package's order: null, bool, octal, decimal and hexadecimal integers, then
//! `.inf`/`.nan`, exponent and dotted floats; anything else is a string. Numbers are doubles
//! (`12345678901234567890` loses precision, `1e400` is Infinity).

use super::js::Js;

/// A plain scalar under the YAML 1.2 core schema, tag tests in the npm parser's order.
pub(crate) fn core_scalar(text: &str) -> Js {
    null_scalar(text)
        .or_else(|| bool_scalar(text))
        .or_else(|| int_scalar(text))
        .or_else(|| float_scalar(text))
        .unwrap_or_else(|| Js::Str(text.to_owned()))
}

/// A scalar with an explicit tag: the tag's own tests, else (an unresolved tag) a string.
pub(crate) fn tagged_scalar(tag: &str, text: &str) -> Js {
    let resolved = match tag {
        "!!null" => null_scalar(text),
        "!!bool" => bool_scalar(text),
        "!!int" => int_scalar(text),
        "!!float" => float_scalar(text),
        _ => None,
    };
    resolved.unwrap_or_else(|| Js::Str(text.to_owned()))
}

fn null_scalar(text: &str) -> Option<Js> {
    matches!(text, "" | "~" | "null" | "Null" | "NULL").then_some(Js::Null)
}

fn bool_scalar(text: &str) -> Option<Js> {
    match text {
        "true" | "True" | "TRUE" => Some(Js::Bool(true)),
        "false" | "False" | "FALSE" => Some(Js::Bool(false)),
        _ => None,
    }
}

/// `0o[0-7]+`, `[-+]?[0-9]+`, `0x[0-9a-fA-F]+`.
fn int_scalar(text: &str) -> Option<Js> {
    if let Some(digits) = text.strip_prefix("0o").filter(|d| all_in(d, |c| matches!(c, '0'..='7')))
    {
        return Some(Js::Num(parse_radix(digits, 8)));
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if all_in(unsigned, |c| c.is_ascii_digit()) {
        return Some(Js::Num(parse_float(text)));
    }
    let digits = text.strip_prefix("0x").filter(|d| all_in(d, |c| c.is_ascii_hexdigit()))?;
    Some(Js::Num(parse_radix(digits, 16)))
}

/// `.inf`, `.nan` and the decimal forms with a dot or an exponent.
fn float_scalar(text: &str) -> Option<Js> {
    match text {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Some(Js::Num(f64::INFINITY));
        }
        "-.inf" | "-.Inf" | "-.INF" => return Some(Js::Num(f64::NEG_INFINITY)),
        ".nan" | ".NaN" | ".NAN" => return Some(Js::Num(f64::NAN)),
        _ => {}
    }
    is_core_float(text.strip_prefix(['-', '+']).unwrap_or(text)).then(|| Js::Num(parse_float(text)))
}

/// `parseFloat` of a text the core patterns accepted (`1.`, `.5`, `+1e3`).
fn parse_float(text: &str) -> f64 {
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], &unsigned[at..]),
        None => (unsigned, ""),
    };
    let mantissa = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            format!(
                "{}.{}",
                if whole.is_empty() { "0" } else { whole },
                if fraction.is_empty() { "0" } else { fraction }
            )
        }
        None => mantissa.to_owned(),
    };
    sign * format!("{mantissa}{exponent}").parse::<f64>().unwrap_or(f64::NAN)
}

fn all_in(text: &str, allowed: impl Fn(char) -> bool) -> bool {
    !text.is_empty() && text.chars().all(allowed)
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` with at least a dot or an exponent.
fn is_core_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            (whole.is_empty() && all_in(fraction, |c| c.is_ascii_digit()))
                || (all_in(whole, |c| c.is_ascii_digit())
                    && fraction.chars().all(|c| c.is_ascii_digit()))
        }
        None => exponent.is_some() && all_in(mantissa, |c| c.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|exponent| {
        all_in(exponent.strip_prefix(['-', '+']).unwrap_or(exponent), |c| c.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

/// `parseInt(digits, radix)` for octal and hexadecimal digits.
fn parse_radix(digits: &str, radix: u32) -> f64 {
    if let Ok(value) = u128::from_str_radix(digits, radix) {
        #[allow(clippy::cast_precision_loss)] // JavaScript numbers are doubles.
        return value as f64;
    }
    digits
        .chars()
        .filter_map(|c| c.to_digit(radix))
        .fold(0.0, |acc, digit| acc * f64::from(radix) + f64::from(digit))
}
