//! The chart repository client against a real HTTP server on 127.0.0.1: retries, errors that
//! name the URL, credentials that never follow a redirect to another host.

use std::time::Duration;

use cozy::chart_repo::Client;

use crate::support::http_server::{HttpServer, Scripted};

fn served(files: &[(&str, &str)]) -> (tempfile::TempDir, HttpServer) {
    let dir = tempfile::tempdir().unwrap();
    for (name, contents) in files {
        std::fs::write(dir.path().join(name), contents).unwrap();
    }
    let server = HttpServer::serve(dir.path().to_owned());
    (dir, server)
}

fn url(server: &HttpServer, path: &str) -> reqwest::Url {
    reqwest::Url::parse(&format!("{}{path}", server.url())).unwrap()
}

fn client(retries: u32, credentials: Option<(&str, &str)>) -> Client {
    let credentials = credentials.map(|(user, password)| (user.to_owned(), password.to_owned()));
    Client::new(retries, Duration::from_millis(1), credentials).unwrap()
}

#[test]
fn server_errors_are_retried_a_bounded_number_of_times() {
    let (_dir, server) = served(&[("index.yaml", "entries: {}\n")]);
    server.script("/index.yaml", vec![Scripted::Status(503), Scripted::Status(500)]);
    assert_eq!(client(2, None).get(&url(&server, "/index.yaml")).unwrap(), b"entries: {}\n");
    assert_eq!(server.requests().len(), 3);

    server.script(
        "/index.yaml",
        vec![Scripted::Status(502), Scripted::Status(502), Scripted::Status(502)],
    );
    let err = client(1, None).get(&url(&server, "/index.yaml")).unwrap_err();
    assert_eq!(
        err,
        format!("GET {}/index.yaml: HTTP 502 Bad Gateway (after 2 attempts)", server.url())
    );
}

#[test]
fn not_found_is_not_retried_and_names_the_url() {
    let (_dir, server) = served(&[]);
    let err = client(3, None).get(&url(&server, "/charts/demo-1.0.0.tgz")).unwrap_err();
    assert_eq!(err, format!("GET {}/charts/demo-1.0.0.tgz: HTTP 404 Not Found", server.url()));
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn credentials_go_to_the_repository_host_only() {
    let (_cdn_dir, cdn) = served(&[("demo.tgz", "chart bytes")]);
    let (_dir, repo) = served(&[("index.yaml", "entries: {}\n")]);
    repo.script("/demo.tgz", vec![Scripted::Redirect(format!("{}/demo.tgz", cdn.url()))]);
    let client = client(0, Some(("robot", "s3cret")));
    assert_eq!(client.get(&url(&repo, "/index.yaml")).unwrap(), b"entries: {}\n");
    assert_eq!(client.get(&url(&repo, "/demo.tgz")).unwrap(), b"chart bytes");
    let sent = repo.requests();
    assert!(
        sent.iter()
            .all(|request| request.authorization.as_deref() == Some("Basic cm9ib3Q6czNjcmV0")),
        "{sent:?}"
    );
    let cdn_requests = cdn.requests();
    assert_eq!(cdn_requests.len(), 1);
    assert_eq!(
        cdn_requests[0].authorization, None,
        "the Authorization header followed a redirect to another host"
    );
}
