//! The regular expressions a config yields, compiled once per config and shared.
//!
//! Every pattern splices config.json fragments into the tool's JavaScript patterns (see
//! [`jsregex`]). Compiling them takes most of a run's time, so the last few configs' patterns
//! are kept; each pattern's error is kept too and only reported where the tool would hit it.

use std::sync::{Arc, Mutex};

use regex::Regex;

use super::config::Config;
use super::jsregex::{self, DOT};
use crate::values::Error;

/// All patterns of one config.
pub(crate) struct Patterns {
    /// The metadata comment patterns (values.yaml).
    pub(crate) comments: Result<CommentPatterns, Error>,
    /// The `default:` modifier patterns.
    pub(crate) default: Result<DefaultModifier, Error>,
    /// `^(##+) <paramsSectionTitle>` (README).
    pub(crate) header: Result<Regex, Error>,
}

/// One pattern per tag; captures numbered as in the tool.
pub(crate) struct CommentPatterns {
    pub(crate) param: Regex,
    pub(crate) section: Regex,
    pub(crate) description_start: Regex,
    pub(crate) description_content: Regex,
    pub(crate) description_end: Regex,
    pub(crate) skip: Regex,
    pub(crate) extra: Regex,
}

/// The `default:` modifier: `${default}:.*` (unanchored) tells it apart, `${default}:\s*` is
/// removed once to leave the value.
pub(crate) struct DefaultModifier {
    pub(crate) matches: Regex,
    pub(crate) prefix: Regex,
}

/// How many configs' patterns are kept.
const CACHED_CONFIGS: usize = 8;

static CACHE: Mutex<Vec<(Config, Arc<Patterns>)>> = Mutex::new(Vec::new());

/// The patterns of `config`, compiled or from the cache.
pub(crate) fn for_config(config: &Config) -> Arc<Patterns> {
    if let Ok(cache) = CACHE.lock()
        && let Some((_, patterns)) = cache.iter().find(|(cached, _)| cached == config)
    {
        return Arc::clone(patterns);
    }
    let patterns = Arc::new(Patterns {
        comments: comment_patterns(config),
        default: default_modifier(config),
        header: fragment(&config.regexp.params_section_title)
            .and_then(|title| compile(&format!("^(##+) {title}"))),
    });
    if let Ok(mut cache) = CACHE.lock() {
        if cache.len() >= CACHED_CONFIGS {
            cache.remove(0);
        }
        cache.push((config.clone(), Arc::clone(&patterns)));
    }
    patterns
}

fn comment_patterns(config: &Config) -> Result<CommentPatterns, Error> {
    let (s, non_space) = (jsregex::space(), jsregex::non_space());
    let prefix = format!(r"^{s}*{}{s}*", fragment(&config.comments.format)?);
    let tags = &config.tags;
    let named = |tag: &str| -> Result<Regex, Error> {
        let tag = fragment(tag)?;
        compile(&format!(r"{prefix}{tag}{s}*({non_space}+){s}*(\[{DOT}*?\])?{s}*({DOT}*)$"))
    };
    Ok(CommentPatterns {
        param: named(&tags.param)?,
        section: compile(&format!(r"{prefix}{}{s}*({DOT}*)$", fragment(&tags.section)?))?,
        description_start: compile(&format!(
            r"{prefix}{}{s}*({DOT}*)",
            fragment(&tags.description_start)?
        ))?,
        description_content: compile(&format!(r"{prefix}({DOT}*)"))?,
        description_end: compile(&format!(
            r"{prefix}{}{s}*({DOT}*)",
            fragment(&tags.description_end)?
        ))?,
        skip: compile(&format!(
            r"{prefix}{}{s}*({non_space}+){s}*({DOT}*)$",
            fragment(&tags.skip)?
        ))?,
        extra: named(&tags.extra)?,
    })
}

fn default_modifier(config: &Config) -> Result<DefaultModifier, Error> {
    let name = fragment(&config.modifiers.default.text)?;
    Ok(DefaultModifier {
        matches: compile(&format!("{name}:{DOT}*"))?,
        prefix: compile(&format!("{name}:{}*", jsregex::space()))?,
    })
}

fn fragment(text: &str) -> Result<String, Error> {
    jsregex::translate(text).map_err(config_error)
}

fn compile(pattern: &str) -> Result<Regex, Error> {
    jsregex::compile(pattern).map_err(config_error)
}

fn config_error(err: String) -> Error {
    Error::values(None, None, format!("config.json: {err}"))
}
