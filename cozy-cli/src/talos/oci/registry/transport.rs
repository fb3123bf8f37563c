//! The HTTP transport under the registry client: the plain-http policy, manual redirects that
//! keep `Authorization` on its own origin, retries with backoff, body limits, status errors.

use std::net::IpAddr;
use std::time::Duration;

use anyhow::{anyhow, bail};
use reqwest::header::{self, HeaderMap};
use reqwest::{Method, StatusCode, Url};

use super::Client;
use super::auth::CREDENTIALS_HINT;

const MAX_REDIRECTS: usize = 10;
const RETRIES: u32 = 4;
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);
const MAX_ERROR_BODY: u64 = 64 << 10;

/// The registry's digest of what it served or stored.
pub(super) const DOCKER_CONTENT_DIGEST: header::HeaderName =
    header::HeaderName::from_static("docker-content-digest");

/// One HTTP exchange to make, redirects and retries included.
pub(super) struct Call<'a> {
    pub(super) method: Method,
    pub(super) url: Url,
    pub(super) accept: Option<&'a str>,
    pub(super) content_type: Option<&'a str>,
    pub(super) body: Option<&'a [u8]>,
    /// The `Authorization` value and the URL whose origin it may be sent to.
    pub(super) auth: Option<(Url, String)>,
    /// The largest successful body accepted.
    pub(super) limit: Option<u64>,
}

/// The final answer of a [`Call`].
pub(super) struct Reply {
    /// The URL that answered, after redirects.
    pub(super) url: Url,
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Vec<u8>,
}

impl Reply {
    pub(super) fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

/// Why one attempt failed: worth retrying or not.
enum Failure {
    Transient(anyhow::Error),
    Fatal(anyhow::Error),
}

impl Client {
    pub(super) fn plain_http_allowed(&self, host: &str, authority: &str) -> bool {
        is_loopback(host) || self.options.insecure_hosts.iter().any(|h| h == authority || h == host)
    }

    pub(super) fn check_url(&self, url: &Url) -> anyhow::Result<()> {
        match url.scheme() {
            "https" => Ok(()),
            "http" => {
                let host = url.host_str().unwrap_or("");
                let authority = match url.port() {
                    Some(port) => format!("{host}:{port}"),
                    None => host.to_owned(),
                };
                if self.plain_http_allowed(host_of(&authority), &authority) {
                    Ok(())
                } else {
                    bail!(
                        "refusing plain http to `{url}`: only loopback hosts and `--insecure-registry` hosts may use http"
                    )
                }
            }
            other => bail!("`{url}`: unsupported URL scheme `{other}`"),
        }
    }

    /// `call` with retries on 429, 5xx, timeouts and broken connections; the error after the
    /// last attempt reads `GET <url>: gave up after 5 attempts`, caused by the last failure.
    pub(super) fn exchange(&self, call: &Call<'_>) -> anyhow::Result<Reply> {
        let mut delay = self.retry_delay;
        let mut attempt = 0;
        loop {
            let (why, wait) = match self.follow(call) {
                Ok(reply)
                    if reply.status == StatusCode::TOO_MANY_REQUESTS
                        || reply.status.is_server_error() =>
                {
                    let wait = retry_after(&reply)
                        .map_or(delay, |after| after.clamp(delay, MAX_RETRY_AFTER));
                    (anyhow!("HTTP {}", reply.status), wait)
                }
                Ok(reply) => return Ok(reply),
                Err(Failure::Transient(err)) => (err, delay),
                Err(Failure::Fatal(err)) => return Err(err),
            };
            if attempt >= RETRIES {
                let attempts = attempt + 1;
                return Err(why.context(format!(
                    "{} {}: gave up after {attempts} attempts",
                    call.method, call.url
                )));
            }
            attempt += 1;
            std::thread::sleep(wait);
            delay *= 2;
        }
    }

    /// One attempt of `call`, following redirects; `Authorization` only to its own origin.
    fn follow(&self, call: &Call<'_>) -> Result<Reply, Failure> {
        let mut url = call.url.clone();
        let mut method = call.method.clone();
        let mut body = call.body;
        for _ in 0..=MAX_REDIRECTS {
            self.check_url(&url).map_err(|err| {
                Failure::Fatal(err.context(format!("{} {}", call.method, call.url)))
            })?;
            let mut request = self.http.request(method.clone(), url.clone());
            if let Some(accept) = call.accept {
                request = request.header(header::ACCEPT, accept);
            }
            if let Some(content_type) = call.content_type.filter(|_| body.is_some()) {
                request = request.header(header::CONTENT_TYPE, content_type);
            }
            if let Some(bytes) = body {
                request = request.body(bytes.to_vec());
            }
            if let Some((origin, value)) = &call.auth
                && origin.origin() == url.origin()
            {
                request = request.header(header::AUTHORIZATION, value);
            }
            let response = request.send().map_err(|err| classify(err, &method, &url))?;
            let status = response.status();
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                let location = response
                    .headers()
                    .get(header::LOCATION)
                    .and_then(|value| value.to_str().ok())
                    .ok_or_else(|| {
                        Failure::Fatal(anyhow!(
                            "{method} {url}: HTTP {status} without a `Location`"
                        ))
                    })?;
                let next = url.join(location).map_err(|err| {
                    Failure::Fatal(anyhow!("{method} {url}: bad redirect `{location}`: {err}"))
                })?;
                let keeps_method = matches!(
                    status,
                    StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT
                ) || method == Method::GET
                    || method == Method::HEAD;
                if status == StatusCode::SEE_OTHER || !keeps_method {
                    method = Method::GET;
                    body = None;
                }
                url = next;
                continue;
            }
            let limit = if status.is_success() { call.limit } else { Some(MAX_ERROR_BODY) };
            let headers = response.headers().clone();
            let bytes = if method == Method::HEAD {
                Vec::new()
            } else {
                read_body(response, limit, &method, &url)?
            };
            return Ok(Reply { url, status, headers, body: bytes });
        }
        Err(Failure::Fatal(anyhow!(
            "{} {}: more than {MAX_REDIRECTS} redirects",
            call.method,
            call.url
        )))
    }
}

fn read_body(
    response: reqwest::blocking::Response,
    limit: Option<u64>,
    method: &Method,
    url: &Url,
) -> Result<Vec<u8>, Failure> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    let mut reader = response.take(limit.map_or(u64::MAX, |limit| limit + 1));
    reader.read_to_end(&mut bytes).map_err(|err| {
        Failure::Transient(anyhow::Error::new(err).context(format!("reading the body of {url}")))
    })?;
    if let Some(limit) = limit
        && bytes.len() as u64 > limit
    {
        return Err(Failure::Fatal(anyhow!(
            "{method} {url}: the answer is larger than {limit} bytes"
        )));
    }
    Ok(bytes)
}

fn classify(err: reqwest::Error, method: &Method, url: &Url) -> Failure {
    // Transient errors get the call's URL when they are reported (after the last retry).
    if err.is_timeout() || err.is_connect() || err.is_request() || err.is_body() {
        Failure::Transient(anyhow::Error::new(err))
    } else {
        Failure::Fatal(anyhow::Error::new(err).context(format!("{method} {url}")))
    }
}

/// `reply` when successful, else an error naming the call, the status and the registry's
/// own error message.
pub(super) fn check_status(call: &Call<'_>, reply: Reply, registry: &str) -> anyhow::Result<Reply> {
    if reply.status.is_success() {
        return Ok(reply);
    }
    let mut message = format!("{} {}: HTTP {}", call.method, call.url, reply.status);
    if let Some(detail) = registry_error(&reply.body) {
        message = format!("{message}: {detail}");
    }
    if matches!(reply.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
        message = format!("{message} (credentials for `{registry}`: {CREDENTIALS_HINT})");
    }
    Err(anyhow!(message))
}

/// The first `errors[]` entry of a distribution-spec error body, as `CODE: message`.
fn registry_error(body: &[u8]) -> Option<String> {
    let json: serde_json::Value = serde_json::from_slice(body).ok()?;
    let first = json.get("errors")?.get(0)?;
    let code = first.get("code").and_then(serde_json::Value::as_str).unwrap_or("");
    let message = first.get("message").and_then(serde_json::Value::as_str).unwrap_or("");
    match (code.is_empty(), message.is_empty()) {
        (true, true) => None,
        (false, true) => Some(code.to_owned()),
        (true, false) => Some(message.to_owned()),
        (false, false) => Some(format!("{code}: {message}")),
    }
}

fn retry_after(reply: &Reply) -> Option<Duration> {
    reply.header(header::RETRY_AFTER)?.trim().parse::<u64>().ok().map(Duration::from_secs)
}
/// The host of `host[:port]` or `[v6]:port`, brackets removed.
pub(super) fn host_of(authority: &str) -> &str {
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match authority.split_once(':') {
        Some((host, port)) if !port.contains(':') => host,
        _ => authority,
    }
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::talos::oci::registry::{Options, Reference};

    #[test]
    fn plain_http_only_for_loopback_and_insecure_hosts() {
        let client = Client::new(Options {
            insecure_hosts: vec!["lab.internal:5000".into()],
            ..Options::default()
        })
        .unwrap();
        let scheme = |text: &str| {
            client.url(&Reference::parse(text).unwrap(), "tags/list").unwrap().scheme().to_owned()
        };
        assert_eq!(scheme("ghcr.io/a/b"), "https");
        assert_eq!(scheme("127.0.0.1:5000/a/b"), "http");
        assert_eq!(scheme("localhost:5000/a/b"), "http");
        assert_eq!(scheme("[::1]:5000/a/b"), "http");
        assert_eq!(scheme("lab.internal:5000/a/b"), "http");
        assert_eq!(scheme("lab.internal:5001/a/b"), "https");
        assert!(client.check_url(&Url::parse("http://127.0.0.1:1/x").unwrap()).is_ok());
        assert!(client.check_url(&Url::parse("http://[::1]:1/x").unwrap()).is_ok());
        let err =
            client.check_url(&Url::parse("http://192.0.2.1/x").unwrap()).unwrap_err().to_string();
        assert!(err.starts_with("refusing plain http to `http://192.0.2.1/x`"), "{err}");
        assert!(client.check_url(&Url::parse("ftp://127.0.0.1/x").unwrap()).is_err());
    }

    #[test]
    fn registry_errors_are_quoted() {
        let body =
            br#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{}}]}"#;
        assert_eq!(registry_error(body).as_deref(), Some("MANIFEST_UNKNOWN: manifest unknown"));
        assert_eq!(registry_error(b"<html>"), None);
    }
}
