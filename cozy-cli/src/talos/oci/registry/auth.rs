//! Registry auth: `WWW-Authenticate` challenges, the token endpoint, and credentials from the
//! docker config or the GitHub token.

use std::path::Path;

use anyhow::{Context as _, anyhow, bail};
use base64::Engine as _;
use reqwest::header;
use reqwest::{Method, Url};

use super::reference::DOCKER_HUB;
use super::transport::{Call, Reply, check_status};
use super::{Client, MAX_MANIFEST_BYTES, Reference};

/// What a 401 or 403 error adds, so the user knows where credentials come from.
pub(super) const CREDENTIALS_HINT: &str = "credentials come from `~/.docker/config.json` (`auths.<host>.auth`), or GITHUB_TOKEN for ghcr.io";

impl Client {
    /// The `Authorization` value that answers the `401` in `reply`.
    pub(super) fn authorize(
        &self,
        r: &Reference,
        call: &Call<'_>,
        reply: &Reply,
        scope: &str,
    ) -> anyhow::Result<String> {
        let challenges: Vec<&str> = reply
            .headers
            .get_all(header::WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let parsed: Vec<Challenge> =
            challenges.iter().filter_map(|c| Challenge::parse(c)).collect();
        let what = format!("{} {}", call.method, call.url);
        if let Some(bearer) = parsed.iter().find(|c| c.scheme.eq_ignore_ascii_case("bearer")) {
            return self
                .fetch_token(r, bearer, scope)
                .with_context(|| format!("{what}: HTTP 401, and no token"));
        }
        if parsed.iter().any(|c| c.scheme.eq_ignore_ascii_case("basic")) {
            let Some((user, password)) = self.credentials(&r.registry)? else {
                bail!(
                    "{what}: HTTP 401: `{}` wants a user name and password; {}",
                    r.registry,
                    CREDENTIALS_HINT
                );
            };
            return Ok(basic(&user, &password));
        }
        bail!(
            "{what}: HTTP 401 without a usable `WWW-Authenticate` challenge (got {})",
            if challenges.is_empty() { "none".to_owned() } else { challenges.join(" | ") }
        )
    }

    fn fetch_token(
        &self,
        r: &Reference,
        challenge: &Challenge,
        scope: &str,
    ) -> anyhow::Result<String> {
        let realm =
            challenge.param("realm").ok_or_else(|| anyhow!("the Bearer challenge has no realm"))?;
        let mut url = Url::parse(realm).with_context(|| format!("bad token realm `{realm}`"))?;
        {
            let mut query = url.query_pairs_mut();
            if let Some(service) = challenge.param("service") {
                query.append_pair("service", service);
            }
            for scope in
                challenge.param("scope").unwrap_or(scope).split(' ').filter(|s| !s.is_empty())
            {
                query.append_pair("scope", scope);
            }
        }
        // A broken docker config only matters when the token endpoint wants credentials.
        let (credentials, config_error) = match self.credentials(&r.registry) {
            Ok(found) => (found, None),
            Err(err) => (None, Some(err)),
        };
        let call = Call {
            method: Method::GET,
            url: url.clone(),
            accept: Some("application/json"),
            content_type: None,
            body: None,
            auth: credentials.map(|(user, password)| (url.clone(), basic(&user, &password))),
            limit: Some(MAX_MANIFEST_BYTES),
        };
        let reply = match check_status(&call, self.exchange(&call)?, &r.registry) {
            Ok(reply) => reply,
            Err(err) => match config_error {
                Some(why) => return Err(err.context(format!("no credentials were sent: {why:#}"))),
                None => return Err(err),
            },
        };
        let answer: TokenAnswer = serde_json::from_slice(&reply.body)
            .with_context(|| format!("GET {url}: the token answer is not JSON"))?;
        let token =
            answer.token.or(answer.access_token).filter(|t| !t.is_empty()).ok_or_else(|| {
                anyhow!("GET {url}: the answer has neither `token` nor `access_token`")
            })?;
        Ok(format!("Bearer {token}"))
    }

    /// User name and password for `registry`: the docker config's `auths`, else the GitHub
    /// token for `ghcr.io`.
    pub(super) fn credentials(&self, registry: &str) -> anyhow::Result<Option<(String, String)>> {
        if let Some(home) = &self.options.docker_config
            && let Some(found) = docker_config_credentials(home, registry)?
        {
            return Ok(Some(found));
        }
        if registry == "ghcr.io"
            && let Some(token) = self.options.github_token.as_ref().filter(|t| !t.is_empty())
        {
            return Ok(Some(("cozy".to_owned(), token.clone())));
        }
        Ok(None)
    }
}

fn basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

#[derive(serde::Deserialize)]
struct TokenAnswer {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    access_token: Option<String>,
}

/// One `WWW-Authenticate` challenge: a scheme and its parameters.
#[derive(Debug, PartialEq, Eq)]
struct Challenge {
    scheme: String,
    params: Vec<(String, String)>,
}

impl Challenge {
    /// Parses `Scheme key="value", key=token, …` (quoted values may hold commas and `\"`).
    fn parse(text: &str) -> Option<Challenge> {
        let text = text.trim();
        let (scheme, mut rest) = text.split_once(' ').unwrap_or((text, ""));
        if scheme.is_empty() {
            return None;
        }
        let mut params = Vec::new();
        loop {
            rest = rest.trim_start_matches([' ', ',', '\t']);
            if rest.is_empty() {
                break;
            }
            let (key, after) = rest.split_once('=')?;
            let after = after.trim_start();
            let (value, remaining) = if let Some(quoted) = after.strip_prefix('"') {
                let mut value = String::new();
                let mut chars = quoted.char_indices();
                let mut end = None;
                while let Some((i, c)) = chars.next() {
                    match c {
                        '\\' => value.extend(chars.next().map(|(_, c)| c)),
                        '"' => {
                            end = Some(i + 1);
                            break;
                        }
                        c => value.push(c),
                    }
                }
                (value, &quoted[end?..])
            } else {
                let end = after.find(',').unwrap_or(after.len());
                (after[..end].trim().to_owned(), &after[end..])
            };
            params.push((key.trim().to_ascii_lowercase(), value));
            rest = remaining;
        }
        Some(Challenge { scheme: scheme.to_owned(), params })
    }

    fn param(&self, key: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// Credentials for `registry` from the docker config under `home` (see
/// [`Options::docker_config`]); `None` when there is no config or no entry.
fn docker_config_credentials(
    home: &Path,
    registry: &str,
) -> anyhow::Result<Option<(String, String)>> {
    let path = home.join(".docker/config.json");
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("`{}`: not JSON", path.display()))?;
    let Some(auths) = json.get("auths").and_then(serde_json::Value::as_object) else {
        return Ok(None);
    };
    let aliases: &[&str] = if registry == DOCKER_HUB {
        &[DOCKER_HUB, "docker.io", "index.docker.io"]
    } else {
        &[registry]
    };
    for (key, entry) in auths {
        let host = key.trim_start_matches("https://").trim_start_matches("http://");
        let host = host.split('/').next().unwrap_or(host);
        if !aliases.contains(&host) {
            continue;
        }
        let field = |name: &str| {
            entry.get(name).and_then(serde_json::Value::as_str).filter(|s| !s.is_empty())
        };
        if let Some(auth) = field("auth") {
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(auth.trim())
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or_else(|| {
                    anyhow!(
                        "`{}`: `auths.{key}.auth` is not base64 of `user:password`",
                        path.display()
                    )
                })?;
            let (user, password) = decoded.split_once(':').ok_or_else(|| {
                anyhow!("`{}`: `auths.{key}.auth` is not base64 of `user:password`", path.display())
            })?;
            return Ok(Some((user.to_owned(), password.to_owned())));
        }
        if let (Some(user), Some(password)) = (field("username"), field("password")) {
            return Ok(Some((user.to_owned(), password.to_owned())));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::talos::oci::registry::Options;

    #[test]
    fn challenges_keep_commas_inside_quotes() {
        let c = Challenge::parse(
            r#"Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:a/b:pull,push""#,
        )
        .unwrap();
        assert_eq!(c.scheme, "Bearer");
        assert_eq!(c.param("realm"), Some("https://ghcr.io/token"));
        assert_eq!(c.param("service"), Some("ghcr.io"));
        assert_eq!(c.param("scope"), Some("repository:a/b:pull,push"));
        let c = Challenge::parse(r#"Basic realm="Registry \"x\"", charset=UTF-8"#).unwrap();
        assert_eq!(c.param("realm"), Some(r#"Registry "x""#));
        assert_eq!(c.param("charset"), Some("UTF-8"));
        assert_eq!(Challenge::parse(r#"Bearer realm="unterminated"#), None);
    }

    #[test]
    fn docker_config_credentials_by_host() {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(home.path().join(".docker")).unwrap();
        let auth = base64::engine::general_purpose::STANDARD.encode("me:secret");
        let config = format!(
            r#"{{"auths": {{"https://index.docker.io/v1/": {{"auth": "{auth}"}}, "ghcr.io": {{"username": "u", "password": "p"}}}}}}"#
        );
        #[allow(clippy::disallowed_methods, reason = "test fixture")]
        std::fs::write(home.path().join(".docker/config.json"), config).unwrap();
        let found = |registry: &str| docker_config_credentials(home.path(), registry).unwrap();
        assert_eq!(found(DOCKER_HUB), Some(("me".into(), "secret".into())));
        assert_eq!(found("ghcr.io"), Some(("u".into(), "p".into())));
        assert_eq!(found("quay.io"), None);
        assert_eq!(
            docker_config_credentials(&home.path().join("missing"), "ghcr.io").unwrap(),
            None
        );
    }

    #[test]
    fn only_home_docker_config_json_is_read() {
        let home = tempfile::tempdir().unwrap();
        let config = r#"{"auths": {"ghcr.io": {"username": "u", "password": "p"}}}"#;
        #[allow(clippy::disallowed_methods, reason = "test fixture")]
        std::fs::write(home.path().join("config.json"), config).unwrap();
        assert_eq!(docker_config_credentials(home.path(), "ghcr.io").unwrap(), None);
        let file = home.path().join("config.json");
        assert_eq!(docker_config_credentials(&file, "ghcr.io").unwrap(), None);
    }

    #[test]
    fn github_token_is_for_ghcr_only() {
        let client =
            Client::new(Options { github_token: Some("ghp_x".into()), ..Options::default() })
                .unwrap();
        assert_eq!(client.credentials("ghcr.io").unwrap(), Some(("cozy".into(), "ghp_x".into())));
        assert_eq!(client.credentials("quay.io").unwrap(), None);
        assert_eq!(basic("cozy", "ghp_x"), "Basic Y296eTpnaHBfeA==");
    }
}
