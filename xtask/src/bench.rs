//! `cargo xtask bench`: wall-clock medians of whole `cozy` runs on a generated tree.
//!
//! The tree has 200 packages, each with Chart.yaml, values.yaml, cozy.toml and a vendored
//! `charts/` subtree of 50 files, plus platform sources for the system packages — the size of
//! a real Cozystack checkout.

#![expect(clippy::print_stdout, reason = "xtask prints its measurements")]
#![expect(
    clippy::disallowed_methods,
    reason = "the benchmark writes its fixture tree and times processes directly"
)]

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use xshell::{Shell, cmd};

const PACKAGES: usize = 200;
const VENDORED_FILES: usize = 50;

/// `cargo xtask bench [list] [--keep]` and `cargo xtask bench generate`. `--keep` leaves the
/// generated tree in place and prints its path (for profiling).
pub(crate) fn run(sh: &Shell, args: &[&str]) -> anyhow::Result<()> {
    cmd!(sh, "cargo build --release --quiet -p cozy-cli").run()?;
    match args.first() {
        Some(&"generate") => return generate(sh),
        Some(&"update") => return update(),
        Some(&"show") => return show(),
        _ => {}
    }
    let cozy = crate::project_root().join("target/release/cozy");
    let mut tree = tempfile::tempdir()?;
    if args.contains(&"--keep") {
        tree.disable_cleanup(true);
        println!("tree kept at {}", tree.path().display());
    }
    generate_tree(tree.path())?;
    let tree_arg = tree.path().to_str().expect("temp paths are UTF-8");

    let list = measure(&cozy, &["-C", tree_arg, "pkg", "list", "--output", "json"], 100)?;
    let table = measure(&cozy, &["-C", tree_arg, "pkg", "list"], 100)?;
    let version = measure(&cozy, &["--version"], 200)?;
    println!("cozy benchmarks ({PACKAGES} packages, {VENDORED_FILES} vendored files each)");
    println!("{:<40} {:>10} {:>10} {:>10}", "command", "median", "p90", "min");
    for (name, stats) in [
        ("cozy pkg list --output json", list),
        ("cozy pkg list", table),
        ("cozy --version", version),
    ] {
        println!("{name:<40} {:>10} {:>10} {:>10}", ms(stats.median), ms(stats.p90), ms(stats.min));
    }
    Ok(())
}

struct Stats {
    median: Duration,
    p90: Duration,
    min: Duration,
}

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

fn measure(program: &Path, args: &[&str], runs: usize) -> anyhow::Result<Stats> {
    measure_allowing(program, args, runs, &[0])
}

fn measure_allowing(
    program: &Path,
    args: &[&str],
    runs: usize,
    codes: &[i32],
) -> anyhow::Result<Stats> {
    // One warm-up run fills the page cache, as a user's second run would find it.
    let mut times = Vec::with_capacity(runs);
    for round in 0..=runs {
        let start = Instant::now();
        let status = Command::new(program)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        let elapsed = start.elapsed();
        anyhow::ensure!(
            status.code().is_some_and(|code| codes.contains(&code)),
            "`{} {}` failed with {status}",
            program.display(),
            args.join(" ")
        );
        if round > 0 {
            times.push(elapsed);
        }
    }
    times.sort();
    Ok(Stats { median: times[times.len() / 2], p90: times[times.len() * 9 / 10], min: times[0] })
}

/// `cozy pkg show --plain` of one chart against raw `helm template`, and `--kind system -j 2`
/// over eight charts against a sequential loop of single-package runs.
fn show() -> anyhow::Result<()> {
    let root = crate::project_root();
    let helm = root.join(".tools/bin/helm");
    anyhow::ensure!(
        helm.is_file(),
        "run scripts/install-test-tools.sh first (needs .tools/bin/helm)"
    );
    let tree = tempfile::tempdir()?;
    write(&tree.path().join("cozy.toml"), "[workspace]\n[render]\nkube_version = \"v1.33.0\"\n")?;
    let names: Vec<String> = (0..8).map(|index| format!("cilium-{index}")).collect();
    for name in &names {
        copy_dir(
            &root.join("packages/system/cilium"),
            &tree.path().join("packages/system").join(name),
        )?;
    }
    let empty = tree.path().join("empty.yaml");
    write(&empty, "{}\n")?;
    let cozy = root.join("target/release/cozy");
    let time = |program: &Path, args: &[&str], runs: usize| -> anyhow::Result<Duration> {
        let mut times = Vec::new();
        for round in 0..=runs {
            let start = Instant::now();
            let status = Command::new(program)
                .args(args)
                .env("COZY_HELM", &helm)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()?;
            anyhow::ensure!(status.success(), "`{} {}` failed", program.display(), args.join(" "));
            if round > 0 || runs == 0 {
                times.push(start.elapsed());
            }
        }
        times.sort();
        Ok(times[times.len() / 2])
    };
    let tree_arg = tree.path().to_str().expect("temp paths are UTF-8");
    let chart = tree.path().join("packages/system/cilium-0");
    let chart_arg = chart.to_str().expect("temp paths are UTF-8");
    let empty_arg = empty.to_str().expect("temp paths are UTF-8");
    let helm_args = [
        "template",
        "cilium-0",
        chart_arg,
        "--namespace",
        "cozy-cilium-0",
        "--no-hooks",
        "--kube-version",
        "v1.33.0",
        "--values",
        empty_arg,
    ];
    // Interleaved rounds (cozy, helm, cozy, helm, …) so machine drift hits both sides alike;
    // the first rounds warm the page cache and are dropped.
    let mut ours_runs = Vec::new();
    let mut raw_runs = Vec::new();
    for round in 0..65 {
        let ours = time(&cozy, &["-C", tree_arg, "pkg", "show", "cilium-0", "--plain"], 0)?;
        let raw = time(&helm, &helm_args, 0)?;
        if round >= 5 {
            ours_runs.push(ours);
            raw_runs.push(raw);
        }
    }
    ours_runs.sort();
    raw_runs.sort();
    let (ours, raw) = (ours_runs[ours_runs.len() / 2], raw_runs[raw_runs.len() / 2]);
    let parallel = time(
        &cozy,
        &["-C", tree_arg, "pkg", "show", "--kind", "system", "--plain", "-j", "2"],
        10,
    )?;
    let mut sequential_runs = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        for name in &names {
            let status = Command::new(&cozy)
                .args(["-C", tree_arg, "pkg", "show", name, "--plain"])
                .env("COZY_HELM", &helm)
                .stdout(Stdio::null())
                .status()?;
            anyhow::ensure!(status.success(), "cozy pkg show {name} failed");
        }
        sequential_runs.push(start.elapsed());
    }
    sequential_runs.sort();
    let sequential = sequential_runs[sequential_runs.len() / 2];
    println!("cozy pkg show (demo cilium chart, --plain)");
    println!("{:<52} {:>10}", "cozy pkg show cilium-0 --plain (median)", ms(ours));
    println!("{:<52} {:>10}", "helm template (median)", ms(raw));
    println!("{:<52} {:>9.2}x", "cozy / helm", ours.as_secs_f64() / raw.as_secs_f64());
    println!("{:<52} {:>10}", "cozy pkg show --kind system --plain -j 2 (8 charts)", ms(parallel));
    println!("{:<52} {:>10}", "sequential loop of 8 single runs", ms(sequential));
    println!("{:<52} {:>9.2}x", "speed-up", sequential.as_secs_f64() / parallel.as_secs_f64());
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::create_dir_all(to)?;
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// `cozy pkg update` of one package against a local chart repository, against the Makefile
/// recipe it replaces: `helm repo add`, `helm repo update`, `helm pull --untar`.
fn update() -> anyhow::Result<()> {
    let root = crate::project_root();
    let helm = root.join(".tools/bin/helm");
    anyhow::ensure!(
        helm.is_file(),
        "run scripts/install-test-tools.sh first (needs .tools/bin/helm)"
    );
    let work = tempfile::tempdir()?;
    let repo = work.path().join("repo");
    let chart = work.path().join("src/demo");
    write(&chart.join("Chart.yaml"), "apiVersion: v2\nname: demo\nversion: 1.16.5\n")?;
    write(&chart.join("values.yaml"), &"# a realistic values file\nkey: value\n".repeat(400))?;
    for index in 0..40 {
        write(
            &chart.join(format!("templates/t{index}.yaml")),
            &"apiVersion: v1\nkind: ConfigMap\n".repeat(30),
        )?;
    }
    std::fs::create_dir_all(&repo)?;
    let status = Command::new(&helm)
        .arg("package")
        .arg(&chart)
        .arg("-d")
        .arg(&repo)
        .stdout(Stdio::null())
        .status()?;
    anyhow::ensure!(status.success(), "helm package failed");
    let status = Command::new(&helm).arg("repo").arg("index").arg(&repo).status()?;
    anyhow::ensure!(status.success(), "helm repo index failed");

    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut server = Command::new("python3")
        .args(["-m", "http.server", &port.to_string(), "--bind", "127.0.0.1"])
        .current_dir(&repo)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let result = (|| -> anyhow::Result<(Stats, Duration)> {
        let tree = work.path().join("tree");
        write(&tree.join("cozy.toml"), "[workspace]\n")?;
        write(
            &tree.join("packages/system/demo/Chart.yaml"),
            "apiVersion: v2\nname: cozy-demo\nversion: 0.0.0\n",
        )?;
        write(
            &tree.join("packages/system/demo/cozy.toml"),
            &format!(
                "[[update.step]]\nkind = \"helm-pull\"\nrepo = \"{url}\"\nchart = \"demo\"\nversion = \"1.16\"\n"
            ),
        )?;
        let cozy = root.join("target/release/cozy");
        let tree_arg = tree.to_str().expect("temp paths are UTF-8");
        let ours = measure(&cozy, &["-C", tree_arg, "-q", "pkg", "update", "demo"], 20)?;

        let helm_home = work.path().join("helm-home");
        let script = format!(
            "set -e; export HELM_CONFIG_HOME={h}/config HELM_CACHE_HOME={h}/cache HELM_DATA_HOME={h}/data; cd {pkg}; \
             {helm} repo add bench {url} --force-update >/dev/null; {helm} repo update bench >/dev/null; \
             rm -rf charts; {helm} pull bench/demo --version 1.16 --untar --untardir charts",
            h = helm_home.display(),
            pkg = tree.join("packages/system/demo").display(),
            helm = helm.display(),
        );
        let mut times = Vec::new();
        for _ in 0..10 {
            let start = Instant::now();
            let status = Command::new("bash")
                .args(["-c", &script])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()?;
            anyhow::ensure!(status.success(), "the helm recipe failed");
            times.push(start.elapsed());
        }
        times.sort();
        Ok((ours, times[times.len() / 2]))
    })();
    let _ = server.kill();
    let _ = server.wait();
    let (ours, theirs) = result?;
    println!("update of one chart from a chart repository on 127.0.0.1");
    println!("{:<58} {:>10}", "cozy pkg update (median)", ms(ours.median));
    println!("{:<58} {:>10}", "helm repo add && helm repo update && helm pull --untar", ms(theirs));
    println!("{:<58} {:>9.1}x", "ratio", theirs.as_secs_f64() / ours.median.as_secs_f64());
    Ok(())
}

/// One `cozy generate --check` over every corpus package against one readme-generator process
/// per package, as `make generate` runs it, on the same values files.
fn generate(sh: &Shell) -> anyhow::Result<()> {
    let root = crate::project_root();
    let corpus = root.join("tests/fixtures/values/cozyvalues");
    let tree = tempfile::tempdir()?;
    write(&tree.path().join("cozy.toml"), "[workspace]\nname = \"bench-generate\"\n")?;
    let mut packages = Vec::new();
    for kind in ["apps", "extra", "system"] {
        let Ok(entries) = std::fs::read_dir(corpus.join(kind)) else { continue };
        for entry in entries.flatten() {
            let source = entry.path();
            if !source.join("values.yaml").is_file() {
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let dir = tree.path().join("packages").join(kind).join(&name);
            write(
                &dir.join("Chart.yaml"),
                &format!("apiVersion: v2\nname: {name}\nversion: 0.0.0\n"),
            )?;
            std::fs::copy(source.join("values.yaml"), dir.join("values.yaml"))?;
            if source.join("README.md").is_file() {
                std::fs::copy(source.join("README.md"), dir.join("README.md"))?;
            }
            packages.push(dir);
        }
    }
    let cozy = root.join("target/release/cozy");
    let tree_arg = tree.path().to_str().expect("temp paths are UTF-8");
    let ours =
        measure_allowing(&cozy, &["-C", tree_arg, "generate", "--all", "--check"], 30, &[0, 1, 2])?;

    cmd!(sh, "bash scripts/install-readme-generator.sh").run()?;
    let tool = root.join(".tools/readme-generator/node_modules/.bin/readme-generator");
    let rounds = 3;
    let mut per_round = Vec::new();
    for _ in 0..rounds {
        let start = Instant::now();
        for dir in &packages {
            let mut command = Command::new(&tool);
            command.current_dir(dir).args(["-v", "values.yaml", "-s", "/dev/null"]);
            if dir.join("README.md").is_file() {
                command.args(["-r", "README.md"]);
            }
            // The tool's verdict on cozyvalues-dialect files does not matter here; its cost does.
            command.stdout(Stdio::null()).stderr(Stdio::null()).status()?;
        }
        per_round.push(start.elapsed());
    }
    per_round.sort();
    let theirs = per_round[rounds / 2];
    println!("generate over {} corpus packages", packages.len());
    println!("{:<52} {:>10}", "cozy generate --all --check (one process, median)", ms(ours.median));
    println!("{:<52} {:>10}", "readme-generator, one process per package (median)", ms(theirs));
    println!("{:<52} {:>9.0}x", "ratio", theirs.as_secs_f64() / ours.median.as_secs_f64());
    Ok(())
}

fn generate_tree(root: &Path) -> anyhow::Result<()> {
    write(
        &root.join("cozy.toml"),
        "[workspace]\nname = \"bench\"\nfull_rebuild = [\"hack/**\"]\n",
    )?;
    let mut sources = String::new();
    for index in 0..PACKAGES {
        let (kind, name) = match index {
            0..5 => ("core", format!("core-{index}")),
            5..10 => ("library", format!("lib-{index}")),
            10..40 => ("apps", format!("app-{index}")),
            40..50 => ("extra", format!("extra-{index}")),
            _ => ("system", format!("component-{index}")),
        };
        let dir = root.join("packages").join(kind).join(&name);
        write(
            &dir.join("Chart.yaml"),
            &format!(
                "apiVersion: v2\nname: cozy-{name}\ndescription: Package {name}\ntype: application\nversion: 0.{index}.0\nappVersion: \"1.{index}\"\n"
            ),
        )?;
        write(
            &dir.join("values.yaml"),
            &format!(
                "## @param {{string}} image - Image\nimage: ghcr.io/example/{name}:v1\nreplicas: 2\n"
            ),
        )?;
        write(&dir.join("cozy.toml"), &manifest(kind, &name))?;
        let vendored = dir.join("charts").join(&name);
        for file in 0..VENDORED_FILES {
            let path = match file {
                0 => vendored.join("Chart.yaml"),
                1 => vendored.join("values.yaml"),
                _ => vendored.join("templates").join(format!("resource-{file}.yaml")),
            };
            write(
                &path,
                &format!("# vendored file {file} of {name}\napiVersion: v1\nkind: ConfigMap\n"),
            )?;
        }
        if kind == "system" {
            let _ = write!(
                sources,
                "---\napiVersion: cozystack.io/v1alpha1\nkind: PackageSource\nmetadata:\n  name: cozystack.{name}\nspec:\n  variants:\n  - name: default\n    components:\n    - name: {name}\n      path: system/{name}\n      install:\n        namespace: cozy-{name}\n"
            );
        }
        if kind == "apps" {
            std::os::unix::fs::symlink("../../../library/lib-5", dir.join("charts/cozy-lib"))?;
        }
    }
    write(&root.join("packages/core/platform/sources/all.yaml"), &sources)?;
    Ok(())
}

fn manifest(kind: &str, name: &str) -> String {
    match kind {
        "system" => format!(
            "schema = 1\n\n[build]\nci = true\n\n[[update.step]]\nkind = \"helm-pull\"\nrepo = \"https://charts.example.invalid\"\nchart = \"{name}\"\nversion = \"^1.2\"\n\n[[update.step]]\nkind = \"replace\"\nfile = \"charts/{name}/values.yaml\"\nliteral = \"a\"\nwith = \"b\"\nexpect = \">=1\"\n\n[[image]]\nname = \"{name}\"\ncontext = \"images/{name}\"\nversion_tag = \"v{{cozystack_version}}\"\nwrite = [{{ file = \"values.yaml\", key = \"image\", value = \"{{ref}}\" }}]\n"
        ),
        "apps" => {
            "schema = 1\n\n[release]\nmode = \"app\"\n\n[generate]\nreadme = true\n".to_owned()
        }
        _ => "schema = 1\n".to_owned(),
    }
}

fn write(path: &Path, contents: &str) -> anyhow::Result<()> {
    std::fs::create_dir_all(path.parent().expect("paths have parents"))?;
    std::fs::write(path, contents)?;
    Ok(())
}
