//! `cozy dashboards update` against dashboards served on 127.0.0.1.

use crate::support::Project;
use crate::support::http_server::{HttpServer, Scripted};

const UPSTREAM: &str =
    r#"{"id": 3, "uid": "n1", "title": "Nodes", "panels": [{"datasource": "${DS_PROMETHEUS}"}]}"#;

fn served() -> (tempfile::TempDir, HttpServer) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("nodes.json"), UPSTREAM).unwrap();
    let server = HttpServer::serve(dir.path().to_owned());
    (dir, server)
}

fn project(server: &HttpServer) -> Project {
    Project::new().file("cozy.toml", "[workspace]\n").file(
        "dashboards/dashboards.toml",
        &format!(
            "[[dashboard]]\nurl = \"{}/nodes.json\"\ndest = \"infra/nodes.json\"\nedits = [\n  {{ op = \"delete\", path = \"id\" }},\n  {{ op = \"replace\", find = \"${{DS_PROMETHEUS}}\", with = \"${{ds}}\" }},\n]\n",
            server.url()
        ),
    )
}

#[test]
fn fetches_edits_writes_and_checks() {
    let (_dir, server) = served();
    let t = project(&server);
    let out = t.cozy(["dashboards", "update", "--check"]);
    out.code(1);
    assert!(out.stdout.contains("+++ b/dashboards/infra/nodes.json\n"), "{}", out.stdout);
    assert!(!t.root().join("dashboards/infra/nodes.json").exists());
    let out = t.cozy(["dashboards", "update"]);
    out.code(0);
    assert_eq!(out.stderr, "wrote dashboards/infra/nodes.json\n");
    assert_eq!(
        std::fs::read_to_string(t.root().join("dashboards/infra/nodes.json")).unwrap(),
        "{\n  \"uid\": \"n1\",\n  \"title\": \"Nodes\",\n  \"panels\": [\n    {\n      \"datasource\": \"${ds}\"\n    }\n  ]\n}\n"
    );
    t.cozy(["dashboards", "update", "--check"]).code(0);
}

#[test]
fn errors_name_the_dashboard_and_keep_the_file() {
    let (_dir, server) = served();
    let t = project(&server);
    t.cozy(["dashboards", "update"]).code(0);
    let before = std::fs::read_to_string(t.root().join("dashboards/infra/nodes.json")).unwrap();
    server.script("/nodes.json", vec![Scripted::Status(404)]);
    let out = t.cozy_in(t.root(), ["dashboards", "update"], &[("COZY_HTTP_RETRY_DELAY_MS", "1")]);
    out.code(2);
    assert!(out.stderr.starts_with(&format!("error: dashboards/infra/nodes.json was not updated\n  caused by: GET {}/nodes.json: HTTP 404 Not Found\n", server.url())), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(t.root().join("dashboards/infra/nodes.json")).unwrap(),
        before
    );
    let t = t.file(
        "dashboards/dashboards.toml",
        "[[dashboard]]\nurl = \"x\"\ndest = \"y\"\nedits = [{ op = \"sett\", path = \"a\" }]\n",
    );
    let out = t.cozy(["dashboards", "update"]);
    out.code(2);
    assert!(out.stderr.starts_with("error: dashboards/dashboards.toml:4:"), "{}", out.stderr);
}
