//! Turns a YAML parser error into `line:column: message`.

/// A YAML error as a 1-based position and a message without the parser's own location suffix.
#[must_use]
pub fn split(err: &serde_yaml::Error) -> (Option<(usize, usize)>, String) {
    let message = err.to_string();
    let Some(location) = err.location() else { return (None, message) };
    let (line, column) = (location.line(), location.column());
    let message = message
        .strip_suffix(&format!(" at line {line} column {column}"))
        .map_or(message.clone(), str::to_owned);
    (Some((line, column)), message)
}

/// `PATH:LINE:COLUMN: message`, or `PATH: message` when the parser has no position.
#[must_use]
pub fn describe(path: &str, err: &serde_yaml::Error) -> String {
    match split(err) {
        (Some((line, column)), message) => format!("{path}:{line}:{column}: {message}"),
        (None, message) => format!("{path}: {message}"),
    }
}
